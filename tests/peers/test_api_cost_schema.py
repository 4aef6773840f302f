"""The OpenAPI document says what a cost, a correction and a removal take, and the API refuses
what the document rules out with a 400 naming the field (schemathesis sent category "", amount ""
and reason "", which the document allowed as any string)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from locus.peers.costs import cost_record
from tests.peers.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def schemas(client):
    return client.get("/api/v1/openapi.json").json()["components"]["schemas"]


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_category_lists_the_three_allowed_costs(schemas, client, programme, manager):
    for name in ("CostIn", "CostCorrectionIn"):
        assert schemas[name]["properties"]["category"]["enum"] == ["facilitation", "hosting", "promotion"]
    login(client, manager)
    day = str(timezone.localdate())
    response = _post(client, f"/api/v1/peers/programmes/{programme.slug}/costs",
                     {"category": "", "amount": 10, "incurred_on": day, "description": "Room"})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "category"
    assert "facilitation, hosting or promotion" in response.json()["detail"]


@pytest.mark.parametrize("amount,documented", [(450, True), ("450.50", True), (" 12 ", True),
                                               ("", False), ("£5", False), ("1,250", False),
                                               ("450.505", False), (0, False), ("abc", False),
                                               ("0", False), ("0.00", False), ("0.01", True), ("0.5", True),
                                               ("007.10", True)])
def test_the_documented_amount_is_the_amount_the_api_takes(schemas, client, programme, manager,
                                                           amount, documented):
    branches = {b["type"]: b for b in schemas["CostIn"]["properties"]["amount"]["anyOf"]}
    if isinstance(amount, str):
        assert bool(re.search(branches["string"]["pattern"], amount)) is documented
    else:
        assert (amount > branches["number"]["exclusiveMinimum"]) is documented
    login(client, manager)
    response = _post(client, f"/api/v1/peers/programmes/{programme.slug}/costs",
                     {"category": "hosting", "amount": amount, "incurred_on": str(timezone.localdate()),
                      "description": "Room"})
    assert response.status_code == (201 if documented else 400), response.content
    if not documented:
        assert response.json()["errors"][0]["field"] == "amount"


@pytest.mark.parametrize("action", ["correct", "remove"])
def test_a_blank_reason_is_outside_the_document_and_refused(schemas, client, programme, manager, action):
    name = "CostRemovalIn" if action == "remove" else "CostCorrectionIn"
    pattern = schemas[name]["properties"]["reason"]["pattern"]
    assert not re.search(pattern, "  ") and re.search(pattern, "Duplicate")
    entry = cost_record(programme=programme, category="hosting", amount=Decimal("120"),
                        incurred_on=timezone.localdate() - timedelta(days=1), description="Room")
    login(client, manager)
    body = {"reason": "  ", "category": "hosting", "amount": "100", "description": "Room",
            "incurred_on": str(timezone.localdate())}
    response = _post(client, f"/api/v1/peers/programmes/{programme.slug}/costs/{entry.pk}/{action}", body)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "reason"


def test_attendance_marks_are_documented_as_at_least_one(client):
    """schemathesis sent marks [] (allowed by the document), which the API refuses as the page does."""
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["AttendanceIn"]
    assert schema["properties"]["marks"]["minItems"] == 1


def test_an_attendance_status_is_documented_as_one_of_three(client, facilitator, group, meetings):
    """schemathesis sent status "" (allowed by the document), refused with a 400 naming the mark."""
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schemas["Mark"]["properties"]["status"]["enum"] == ["present", "apologies", "absent"]
    login(client, facilitator)
    firm = group.firms.order_by("pk").first()
    response = _post(client, f"/api/v1/peers/meetings/{meetings[0].pk}/attendance",
                     {"marks": [{"firm_id": firm.pk, "status": ""}]})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "marks[0].status"
