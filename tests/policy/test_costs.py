"""The cost model's arithmetic against hand-worked scenarios, its checks, and its sensitivity."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from locus.policy import costs
from locus.policy.files import cost_assumptions_read

COST_FILE = Path(__file__).resolve().parents[2] / "data" / "policy" / "cost_model.yaml"
ASSUMPTIONS, BENCHMARKS, NOTES = cost_assumptions_read(COST_FILE)

# A small scenario worked by hand (see the comments for each measure).
HAND = {
    "atlas_staff_fte": 2, "atlas_cost_per_fte": 60_000, "atlas_data_and_hosting": 50_000,
    "pn_firms_per_year": 95, "pn_group_size": 10, "pn_meetings_per_year": 6,
    "pn_facilitation_per_meeting": 500, "pn_hosting_per_meeting": 100,
    "pn_promotion_per_firm": 20, "pn_programme_management": 10_000,
    "collab_projects_per_year": 300, "collab_check_cost_per_project": 200,
    "collab_brokerage_service": 40_000,
    "cb_places_per_year": 12, "cb_fee_per_place": 2_500, "cb_coordination_hub": 70_000,
}


def test_hand_worked_scenario():
    result = costs.breakdown(HAND)
    # 1: 2 FTE x £60,000 + £50,000 = £170,000
    assert result.by_measure[1] == 170_000
    # 2: ceil(95 / 10) = 10 groups x 6 meetings = 60 meetings x (£500 + £100) = £36,000;
    #    + 95 firms x £20 = £1,900; + £10,000 management = £47,900
    assert result.by_measure[2] == 47_900
    # 3: 300 projects x £200 = £60,000 + £40,000 brokerage = £100,000
    assert result.by_measure[3] == 100_000
    # 4: 12 places x £2,500 = £30,000 + £70,000 hub = £100,000
    assert result.by_measure[4] == 100_000
    assert result.total == 417_900
    assert costs.verdict(result.total) == "below"
    assert "10 groups (95 firms / 10, rounded up)" in result.items[2].working


def test_default_scenario_is_hand_worked_and_within_the_brief():
    result = costs.breakdown(costs.defaults(ASSUMPTIONS))
    # 3 x £75,000 + £100,000; 600 groups x 12 x £950 + 6,000 x £100 + £500,000;
    # 2,000 x £250 + £1,000,000; 200 x £3,000 + £980,000
    assert result.by_measure == {1: 325_000, 2: 7_940_000, 3: 1_500_000, 4: 1_580_000}
    assert result.total == 11_345_000
    assert costs.verdict(result.total) == "within"


def test_place_sizing_hand_worked():
    sized = costs.place_sizing(costs.defaults(ASSUMPTIONS), share=0.05, basis="test")
    # 6,000 x 5% = 300 firms -> 30 groups x 12 x £950 = £342,000; 300 x £100 = £30,000;
    # 5% of £500,000 = £25,000; 200 x 5% = 10 places x £3,000 = £30,000
    assert (sized.firms, sized.groups, sized.places) == (300, 30, 10)
    assert sized.peer_networks == 342_000 + 30_000 + 25_000
    assert sized.capacity_building == 30_000
    assert sized.total == 427_000
    with pytest.raises(costs.CostModelError):
        costs.place_sizing(costs.defaults(ASSUMPTIONS), share=0, basis="none")


@pytest.mark.parametrize("key,value,message", [
    ("pn_firms_per_year", "-5", "cannot be negative"),
    ("pn_group_size", "0", "at least 2"),
    ("pn_group_size", "1", "at least 2"),
    ("pn_meetings_per_year", "6.5", "whole number"),
    ("cb_fee_per_place", "lots", "must be a number"),
    ("cb_fee_per_place", "nan", "must be a number"),
    ("atlas_staff_fte", "1000", "or less"),
])
def test_out_of_range_values_are_field_errors(key, value, message):
    with pytest.raises(costs.CostModelError) as caught:
        costs.scenario_parse({key: value}, ASSUMPTIONS)
    assert list(caught.value.errors) == [key]
    assert message in caught.value.errors[key]


def test_blank_values_keep_defaults_and_money_may_be_formatted():
    values = costs.scenario_parse({"cb_fee_per_place": "£2,500", "pn_group_size": ""}, ASSUMPTIONS)
    assert values["cb_fee_per_place"] == 2500
    assert values["pn_group_size"] == ASSUMPTIONS["pn_group_size"].value


def test_sensitivity_is_one_at_a_time_and_sorted():
    base = costs.defaults(ASSUMPTIONS)
    swings = costs.sensitivity(ASSUMPTIONS)
    assert len(swings) == len(ASSUMPTIONS)
    assert [s.swing for s in swings] == sorted((s.swing for s in swings), reverse=True)
    top = swings[0]
    moved = dict(base, **{top.key: ASSUMPTIONS[top.key].high})
    assert top.total_at_high == costs.breakdown(moved).total
    # Firms per year is the biggest lever of the default scenario (it multiplies meetings).
    assert top.key == "pn_firms_per_year"


@settings(max_examples=60, deadline=None)
@given(key=st.sampled_from(sorted(costs.REQUIRED_KEYS - {"pn_group_size"})),
       low=st.floats(0, 1e5), extra=st.floats(0, 1e5))
def test_total_never_falls_when_a_cost_driver_rises(key, low, extra):
    base = costs.defaults(ASSUMPTIONS)
    a = costs.breakdown(dict(base, **{key: low})).total
    b = costs.breakdown(dict(base, **{key: low + extra})).total
    assert b >= a - 1e-6


@settings(max_examples=60, deadline=None)
@given(size=st.integers(2, 50), firms=st.integers(0, 20_000))
def test_groups_cover_every_firm(size, firms):
    values = dict(costs.defaults(ASSUMPTIONS), pn_firms_per_year=firms, pn_group_size=size)
    result = costs.breakdown(values)
    groups = math.ceil(firms / size)
    assert groups * size >= firms and (groups - 1) * size < max(firms, 1)
    per_meeting = values["pn_facilitation_per_meeting"] + values["pn_hosting_per_meeting"]
    assert result.items[2].amount == groups * values["pn_meetings_per_year"] * per_meeting


def test_benchmarks_and_notes_are_read():
    assert {b.key for b in BENCHMARKS} >= {"bench_lancashire_cohort_cost", "bench_htgm_price"}
    assert NOTES["scope_notes"] and NOTES["currency"] == "GBP"


def test_bounds_hold_every_scenario_within_the_plausible_ranges():
    # Oracle: random scenarios with each assumption anywhere in its low-high range (corners
    # included) never fall outside the bounds, and the bounds themselves are reached.
    import random
    low, high = costs.bounds(ASSUMPTIONS)
    base = costs.defaults(ASSUMPTIONS)
    assert low < costs.breakdown(base).total < high
    rng = random.Random(7)
    for _ in range(500):
        values = {k: (rng.choice([a.low, a.high]) if rng.random() < 0.5 else rng.uniform(a.low, a.high))
                  for k, a in ASSUMPTIONS.items()}
        values["pn_group_size"] = max(values["pn_group_size"], costs.MINIMUM.get("pn_group_size", 0))
        assert low - 1e-6 <= costs.breakdown(values).total <= high + 1e-6
    # A larger peer group lowers the total, so the lowest total takes the high group size.
    a = ASSUMPTIONS["pn_group_size"]
    assert costs.breakdown({**base, "pn_group_size": a.high}).total <= costs.breakdown(
        {**base, "pn_group_size": a.low}).total


def test_the_cost_model_page_shows_the_total_as_a_range_and_never_a_success_panel(client):
    """A neutral result, headed by the total and its plausible range, not a GOV.UK confirmation panel
    (QA H25 F9): the range dwarfs the brief's band, and an input may be far outside its own."""
    page = client.get("/policy/cost-model/").content.decode()
    low, high = costs.bounds(ASSUMPTIONS)
    total = costs.breakdown(costs.defaults(ASSUMPTIONS)).total
    headline = re.search(r'id="headline">(.*?)</h2>', page, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", headline).split() == (
        f"£{total / 1e6:.1f}m a year (plausible £{low / 1e6:.1f}m–£{high / 1e6:.1f}m)").split()
    assert f"(£{low:,.0f} and £{high:,.0f} a year)" in page
    for params in ({}, {"pn_firms_per_year": "100000"}, {"atlas_staff_fte": "25"}):
        other = client.get("/policy/cost-model/", params).content.decode()
        assert "govuk-panel--confirmation" not in other and "govuk-panel" not in other
    above = client.get("/policy/cost-model/", {"pn_firms_per_year": "100000"}).content.decode()
    assert "above the brief" in above and 'data-verdict="above"' in above
