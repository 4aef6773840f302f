"""How the cost model reads what people type (QA H5 finding 3): a comma only between thousands, '£'
only in money inputs, and a warning (not an error) beside the result for a value outside its
plausible range. "2,5" was read as 25 FTE, a tenfold mistake, with no error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from locus.policy import costs
from locus.policy.files import cost_assumptions_read

COST_FILE = Path(__file__).resolve().parents[2] / "data" / "policy" / "cost_model.yaml"
ASSUMPTIONS, _, _ = cost_assumptions_read(COST_FILE)
MONEY = sorted(k for k, a in ASSUMPTIONS.items() if costs.is_money(a))
NOT_MONEY = sorted(k for k in ASSUMPTIONS if k not in MONEY)


def _error(key: str, text: str) -> str:
    with pytest.raises(costs.CostModelError) as caught:
        costs.scenario_parse({key: text}, ASSUMPTIONS)
    assert list(caught.value.errors) == [key]
    return caught.value.errors[key]


def test_the_inputs_split_into_money_and_counts():
    assert "atlas_staff_fte" in NOT_MONEY and "pn_group_size" in NOT_MONEY
    assert "pn_firms_per_year" in NOT_MONEY and "cb_places_per_year" in NOT_MONEY
    assert "atlas_cost_per_fte" in MONEY and "cb_fee_per_place" in MONEY
    assert all(ASSUMPTIONS[k].unit.startswith("GBP") for k in MONEY)


@pytest.mark.parametrize("key,text", [
    ("atlas_staff_fte", "2,5"), ("atlas_staff_fte", "£2,5"), ("atlas_staff_fte", ",5"),
    ("atlas_staff_fte", "1,00"), ("atlas_staff_fte", "2,50"), ("atlas_staff_fte", "2,"),
    ("cb_fee_per_place", "2,5"), ("cb_fee_per_place", "£2,5"), ("cb_fee_per_place", "1,00"),
    ("cb_fee_per_place", "12,50,000"), ("cb_fee_per_place", "1,0000"), ("cb_fee_per_place", "1,,000"),
    ("cb_fee_per_place", "1000,000"), ("cb_fee_per_place", "1.000,50"),
    ("pn_group_size", "1,0"), ("pn_firms_per_year", "6,00"), ("pn_firms_per_year", ",600"),
])
def test_a_comma_outside_a_thousands_position_is_refused_not_dropped(key, text):
    message = _error(key, text)
    assert "full stop for decimals" in message and "1,000" in message
    if text.startswith("£") and key in NOT_MONEY:
        assert "without £" in message
    assert ASSUMPTIONS[key].label.lower()[:20] in message.lower()


def test_a_decimal_comma_is_told_the_number_to_type():
    message = _error("atlas_staff_fte", "2,5")
    assert message.startswith("Staff to maintain and enrich the national mapping resource")
    assert "enter 2.5, not 2,5" in message


@pytest.mark.parametrize("key,text,value", [
    ("cb_fee_per_place", "£2,500", 2_500), ("cb_fee_per_place", "2,500.50", 2_500.5),
    ("pn_programme_management", "£1,000,000", 1_000_000), ("pn_programme_management", "£ 750,000", 750_000),
    ("collab_brokerage_service", "12,500,000", 12_500_000), ("cb_fee_per_place", "£3000", 3_000),
    ("pn_firms_per_year", "6,000", 6_000), ("pn_firms_per_year", "12,500", 12_500),
    ("atlas_staff_fte", "2.5", 2.5), ("atlas_staff_fte", " 4 ", 4), ("atlas_staff_fte", ".5", 0.5),
])
def test_thousands_separators_and_a_pound_sign_on_money_are_read(key, text, value):
    assert costs.scenario_parse({key: text}, ASSUMPTIONS)[key] == value


@pytest.mark.parametrize("key", NOT_MONEY)
def test_a_pound_sign_is_refused_in_an_input_that_is_not_money(key):
    message = _error(key, f"£{ASSUMPTIONS[key].value:g}")
    assert "not an amount of money" in message and "without £" in message
    assert ASSUMPTIONS[key].unit in message


@pytest.mark.parametrize("key", MONEY)
def test_a_pound_sign_is_accepted_in_every_money_input(key):
    value = ASSUMPTIONS[key].value
    assert costs.scenario_parse({key: f"£{value:,.0f}"}, ASSUMPTIONS)[key] == round(value)


@settings(max_examples=150, deadline=None)
@given(key=st.sampled_from(MONEY), pounds=st.integers(0, 10**7), pence=st.integers(0, 99),
       sign=st.booleans())
def test_property_money_typed_with_separators_reads_as_written(key, pounds, pence, sign):
    low, high = costs.limits(ASSUMPTIONS[key])
    amount = pounds + pence / 100
    text = ("£" if sign else "") + f"{pounds:,}.{pence:02d}"
    if low <= amount <= high:
        assert costs.scenario_parse({key: text}, ASSUMPTIONS)[key] == pytest.approx(amount)
    else:
        assert "or less" in _error(key, text)


@settings(max_examples=150, deadline=None)
@given(key=st.sampled_from(sorted(ASSUMPTIONS)), whole=st.integers(0, 999),
       tail=st.text(alphabet="0123456789", min_size=1, max_size=6).filter(lambda t: len(t) != 3))
@example(key="atlas_staff_fte", whole=2, tail="5")
def test_property_a_comma_not_followed_by_exactly_three_digits_is_always_refused(key, whole, tail):
    """Whatever the input, "<digits>,<not three digits>" is an error at that field, never a value
    ten (or a hundred, or a thousand) times what was meant."""
    message = _error(key, f"{whole},{tail}")
    assert "full stop for decimals" in message


@settings(max_examples=100, deadline=None)
@given(key=st.sampled_from(sorted(ASSUMPTIONS)), number=st.integers(1000, 10**8))
def test_property_grouped_whole_numbers_read_as_the_number(key, number):
    low, high = costs.limits(ASSUMPTIONS[key])
    text = f"{number:,}"
    if number <= high:
        assert costs.scenario_parse({key: text}, ASSUMPTIONS)[key] == number
    else:
        assert "or less" in _error(key, text)


def test_values_outside_the_plausible_range_are_listed_not_refused():
    values = costs.scenario_parse({"atlas_staff_fte": "25", "pn_group_size": "8"}, ASSUMPTIONS)
    outside = costs.outside_plausible(values, ASSUMPTIONS)
    assert [o.key for o in outside] == ["atlas_staff_fte"]
    assert (outside[0].value, outside[0].low, outside[0].high) == (25, 1.5, 5)
    assert outside[0].times == "5 times the high end"
    assert costs.outside_plausible(costs.defaults(ASSUMPTIONS), ASSUMPTIONS) == []
    low = costs.outside_plausible({**values, "atlas_staff_fte": 1}, ASSUMPTIONS)
    assert [(o.key, o.times) for o in low] == [("atlas_staff_fte", "")]


# --- the page -------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("text", ["2,5", "£2,5", ",5", "1,00"])
def test_the_page_shows_a_comma_error_at_the_field_and_keeps_the_input(client, text):
    response = client.get("/policy/cost-model/", {"atlas_staff_fte": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error:" in page and 'href="#id_atlas_staff_fte"' in page
    error = re.search(r'id="atlas_staff_fte-error"[^>]*>(.*?)</p>', page, re.S).group(1)
    assert "full stop for decimals" in error or "not an amount of money" in error
    field = re.search(r'<input[^>]*id="id_atlas_staff_fte"[^>]*>', page, re.S).group(0)
    assert f'value="{text}"' in field and "govuk-input--error" in field
    assert 'id="total"' not in page and "25 FTE" not in page


@pytest.mark.django_db
def test_the_page_warns_beside_the_result_when_a_value_is_far_outside_its_range(client):
    page = client.get("/policy/cost-model/", {"atlas_staff_fte": "25"}).content.decode()
    assert "<title>Error:" not in page and 'id="total"' in page
    warning = page[page.index('id="outside-range"'):page.index('id="total"')]
    assert "Staff to maintain and enrich the national mapping resource" in warning
    assert "25 FTE, plausible range 1.5 to 5" in warning and "5 times the high end" in warning
    assert 'href="#id_atlas_staff_fte"' in warning
    # the warning comes before the verdict, and the verdict says it rests on it (QA H25 F9)
    assert page.index('id="outside-range"') < page.index('id="total"')
    verdict = re.search(r'id="verdict">(.*?)</p>', page, re.S).group(1)
    assert "only with an input outside its plausible range" in verdict


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, {"atlas_staff_fte": "2.5"}, {"cb_fee_per_place": "£3,500"}])
def test_no_warning_within_the_plausible_ranges(client, params):
    page = client.get("/policy/cost-model/", params).content.decode()
    assert 'id="total"' in page and 'id="outside-range"' not in page
