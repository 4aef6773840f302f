"""The cost ledger keeps text whole or refuses it (H29 A3): a description over 300 characters, a
supplier over 200 or a correction or removal reason over 300 is a 400 naming the field, the limit and
the length sent (the form: a GOV.UK error at the field), and nothing is stored; the API had answered
201 and kept the first 300 characters."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from locus.peers.costs import cost_record
from tests.peers.conftest import login

pytestmark = pytest.mark.django_db


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _cost(**extra) -> dict:
    return {"category": "hosting", "amount": 45, "incurred_on": str(timezone.localdate()),
            "description": "Room hire", **extra}


def _entry(programme):
    return cost_record(programme=programme, category="hosting", amount=Decimal("12"),
                       incurred_on=timezone.localdate() - timedelta(days=3), description="Room")


def _refused(response, field: str, limit: int, sent: int):
    assert response.status_code == 400, response.content
    body = response.json()
    assert [e["field"] for e in body["errors"]] == [field]
    assert body["detail"] == f"{field}: Must be {limit} characters or fewer (you sent {sent:,})"


@pytest.mark.parametrize("field,limit", [("description", 300), ("supplier", 200)])
def test_an_over_long_cost_text_is_refused_not_shortened(client, programme, manager, field, limit):
    login(client, manager)
    url = f"/api/v1/peers/programmes/{programme.slug}/costs"
    _refused(_post(client, url, _cost(**{field: "x" * 100_000})), field, limit, 100_000)
    _refused(_post(client, url, _cost(**{field: "x" * (limit + 1)})), field, limit, limit + 1)
    assert not programme.costs.exists()
    # the limit itself is kept whole (surrounding spaces are not counted)
    assert _post(client, url, _cost(**{field: f"  {'y' * limit}  "})).status_code == 201
    assert getattr(programme.costs.get(), field) == "y" * limit


def test_both_over_long_texts_are_named_at_once(client, programme, manager):
    login(client, manager)
    response = _post(client, f"/api/v1/peers/programmes/{programme.slug}/costs",
                     _cost(description="d" * 301, supplier="s" * 201))
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["description", "supplier"]


def test_an_over_long_correction_or_removal_reason_is_refused(client, programme, manager):
    entry = _entry(programme)
    login(client, manager)
    base = f"/api/v1/peers/programmes/{programme.slug}/costs/{entry.pk}"
    _refused(_post(client, f"{base}/correct", _cost(amount=13, reason="r" * 5000)), "reason", 300, 5000)
    _refused(_post(client, f"{base}/remove", {"reason": "r" * 301}), "reason", 300, 301)
    _refused(_post(client, f"{base}/correct", _cost(amount=13, reason="ok", description="d" * 301)),
             "description", 300, 301)
    entry.refresh_from_db()
    assert entry.superseded_at is None and programme.costs.count() == 1  # nothing corrected or removed
    response = _post(client, f"{base}/remove", {"reason": "r" * 300})
    assert response.status_code == 200 and response.json()["reason"] == "r" * 300


def test_the_openapi_document_gives_the_limits(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schemas["CostIn"]["properties"]["description"]["maxLength"] == 300
    assert schemas["CostIn"]["properties"]["supplier"]["maxLength"] == 200
    assert schemas["CostCorrectionIn"]["properties"]["reason"]["maxLength"] == 300
    assert schemas["CostRemovalIn"]["properties"]["reason"]["maxLength"] == 300


def test_the_cost_form_refuses_over_long_text_at_the_field(client, programme, manager):
    login(client, manager)
    page = client.post(f"/peers/{programme.slug}/costs/", {
        "category": "hosting", "amount": "45", "incurred_on": timezone.localdate().isoformat(),
        "description": "x" * 301, "supplier": "s" * 201}).content.decode()
    assert 'href="#id_description"' in page and 'href="#id_supplier"' in page
    assert "Must be 300 characters or fewer" in page and "Must be 200 characters or fewer" in page
    assert not programme.costs.exists()


def test_the_cost_form_refuses_a_nul_character(client, programme, manager):
    """Django's CharField refuses NUL (PostgreSQL cannot store it), at the field."""
    login(client, manager)
    page = client.post(f"/peers/{programme.slug}/costs/", {
        "category": "hosting", "amount": "45", "incurred_on": timezone.localdate().isoformat(),
        "description": "nul\x00byte"}).content.decode()
    assert 'href="#id_description"' in page and "Null characters are not allowed" in page
    assert not programme.costs.exists()


def test_a_nul_character_in_a_cost_is_refused_before_it_is_stored(client, programme, manager):
    """On PostgreSQL this was a 500 (it cannot store NUL in text); the API's body reading refuses it
    for every operation (tests/api/test_text_inputs.py); scripts/test.sh runs this on both databases."""
    login(client, manager)
    url = f"/api/v1/peers/programmes/{programme.slug}/costs"
    response = _post(client, url, _cost(description="nul\u0000byte", supplier="S\u0000"))
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["description", "supplier"]
    assert not programme.costs.exists()
    assert client.get(f"/api/v1/peers/programmes/{programme.slug}%00/costs").status_code == 400
    entry = _entry(programme)
    response = _post(client, f"{url}/{entry.pk}/remove", {"reason": "dup\u0000"})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "reason"
