"""An amount too large for pounds and pence (1e27 has more digits than decimal arithmetic keeps),
not a number, infinite or negative zero is refused at the amount field, on the API and the form,
never a 500 (a quantize beyond 28 digits raised decimal.InvalidOperation)."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from locus.peers.costs import cost_record
from locus.peers.errors import PeersFieldError
from locus.peers.models import CostEntry
from tests.peers.conftest import login

pytestmark = pytest.mark.django_db


def _record(programme, amount):
    return cost_record(programme=programme, category="hosting", amount=amount,
                       incurred_on=timezone.localdate() - timedelta(days=10),
                       description="Room")


@pytest.mark.parametrize("amount,message", [
    ("1e27", "more than the programme’s whole budget"),
    (Decimal("1e28"), "more than the programme’s whole budget"),
    ("1E+999999999", "more than the programme’s whole budget"),  # not written out digit by digit
    ("1e27.5", "Enter the amount in pounds"), ("NaN", "Enter the amount in pounds"),
    ("sNaN", "Enter the amount in pounds"), ("-Infinity", "Enter the amount in pounds"),
    ("-0", "greater than £0"), ("-0.00", "greater than £0"),
    ("1e-40", "pounds and pence"),
])
def test_an_amount_out_of_range_is_refused_at_the_amount(programme, amount, message):
    with pytest.raises(PeersFieldError, match=message) as exc:
        _record(programme, amount)
    assert exc.value.field == "amount" and len(str(exc.value)) < 300
    assert not programme.costs.exists()


def test_without_a_budget_a_huge_amount_meets_the_ceiling(programme):
    programme.budget = Decimal(0)
    programme.save()
    with pytest.raises(PeersFieldError, match="£1,000,000 or less") as exc:
        _record(programme, "1e27")
    assert exc.value.field == "amount"


def _api(client, url, body: str):
    return client.post(url, body, content_type="application/json")


def test_the_api_refuses_a_huge_amount_with_a_400_naming_it(client, programme, manager):
    login(client, manager)
    base = f"/api/v1/peers/programmes/{programme.slug}/costs"
    day = str(timezone.localdate() - timedelta(days=10))
    added = _api(client, base, '{"category":"facilitation","amount":1e27,"incurred_on":'
                 f'"{day}","description":"x"}}')
    assert added.status_code == 400, added.content
    assert [e["field"] for e in added.json()["errors"]] == ["amount"]
    entry = _record(programme, "120")
    for amount in ("1e28", '"1E+999999999"', "NaN", "Infinity", "-0"):
        corrected = _api(client, f"{base}/{entry.pk}/correct", json.dumps({
            "category": "hosting", "incurred_on": day, "description": "Room",
            "reason": "Typo"})[:-1] + f', "amount": {amount}}}')
        assert corrected.status_code == 400, (amount, corrected.content)
        assert [e["field"] for e in corrected.json()["errors"]] == ["amount"]
        assert corrected.json()["detail"].startswith("amount")
    entry.refresh_from_db()
    assert entry.superseded_at is None and CostEntry.objects.count() == 1


def test_the_form_refuses_a_huge_amount_at_its_field(client, programme, manager):
    login(client, manager)
    response = client.post(f"/peers/{programme.slug}/costs/", {
        "category": "hosting", "amount": "1e27", "incurred_on": timezone.localdate().isoformat(),
        "description": "Room hire"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="amount-error"' in page
    assert "more than the programme’s whole budget" in page and 'value="1e27"' in page
    assert not programme.costs.exists()
