"""Money: pages show pounds and pence with a £ sign ("£102.50"); the API gives machine-readable
decimal strings with two places ("102.50"), as its schema says."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from locus.peers.costs import cost_record, cost_summary
from tests.peers.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def spent(programme):
    day = timezone.localdate() - timedelta(days=3)
    for amount in ("100", "2.50"):
        cost_record(programme=programme, category="hosting", amount=amount, incurred_on=day,
                    description="Room")
    return programme


def test_the_summary_keeps_pence_even_when_the_database_drops_them(spent):
    s = cost_summary(programme=spent)
    assert [str(v) for v in (s.actual, s.budget, s.remaining)] == [
        "102.50", "30000.00", "29897.50"]
    assert {k: str(v) for k, v in s.by_category.items()} == {
        "facilitation": "0.00", "hosting": "102.50", "promotion": "0.00"}


def test_the_api_gives_pounds_as_strings_with_two_places(client, manager, spent):
    login(client, manager)
    body = client.get(f"/api/v1/peers/programmes/{spent.slug}/costs").json()
    assert (body["budget"], body["actual"]) == ("30000.00", "102.50")
    assert body["by_category"] == {"facilitation": "0.00", "hosting": "102.50",
                                   "promotion": "0.00"}
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["CostsOut"]
    assert "Pounds sterling (GBP)" in schema["properties"]["actual"]["description"]
    programme = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["ProgrammeOut"]
    assert "Pounds sterling (GBP)" in programme["properties"]["budget"]["description"]


def test_pages_show_pounds_and_pence_with_a_pound_sign(client, manager, spent):
    login(client, manager)
    costs = client.get(f"/peers/{spent.slug}/costs/").content.decode()
    assert "£102.50" in costs and "£29,897.50" in costs and "£30,000.00" in costs
    assert ">102.5<" not in costs
    dashboard = client.get(f"/peers/{spent.slug}/").content.decode()
    assert "£102.50" in dashboard and "£30,000.00" in dashboard


def test_the_reference_unit_cost_names_its_source_and_date(client, manager, spent):
    costs = login(client, manager).get(f"/peers/{spent.slug}/costs/").content.decode()
    assert "ocds-h6vhtk-037bc6" in costs and "February 2023" in costs
    assert 'href="/policy/cases/beis-peer-networks/"' in costs


def test_a_unit_cost_with_nothing_to_divide_by_says_why_not_unknown(client, manager, spent):
    costs = login(client, manager).get(f"/peers/{spent.slug}/costs/").content.decode()
    assert "None: no participating firms yet" in costs and "None: no meetings held yet" in costs
    assert "None: no attendance recorded yet" in costs and ">unknown<" not in costs


@pytest.mark.parametrize("typed,read", [("450", "450"), ("£1,450.50", "1450.50"), (" £ 12,000 ", "12000"),
                                        ("1,250,000", "1250000"), ("0.5", "0.5")])
def test_pounds_as_people_type_them_are_read(typed, read):
    from locus.peers.costs import pounds_text

    assert pounds_text(typed) == read


@pytest.mark.parametrize("typed", ["4,50", "£4,50", "1,00", ",5", "12,50,000", "1.000,50", "1,2345"])
def test_a_comma_that_is_not_between_thousands_is_refused_not_read_as_a_bigger_amount(typed):
    """'4,50' meant £4.50 (a decimal comma) or is a typo; reading it as £450 would record 100 times
    the money (the same rule as the policy cost model's)."""
    from locus.peers.costs import pounds_text
    from locus.peers.forms import PoundsField

    with pytest.raises(ValueError, match="comma only between thousands"):
        pounds_text(typed)
    from django import forms

    with pytest.raises(forms.ValidationError):
        PoundsField(max_digits=12, decimal_places=2).clean(typed)


def test_the_cost_ledger_refuses_a_decimal_comma_and_keeps_what_was_typed(client, programme, manager):
    login(client, manager)
    page = client.post(f"/peers/{programme.slug}/costs/", {
        "category": "hosting", "amount": "£4,50", "incurred_on": timezone.localdate().isoformat(),
        "description": "Tea"}).content.decode()
    assert 'href="#id_amount"' in page and 'id="amount-error"' in page
    assert "comma only between thousands" in page and 'value="£4,50"' in page
    assert not programme.costs.exists()
