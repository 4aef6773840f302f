"""The simulator's breakdowns, on small portfolios built by hand (no database)."""

from __future__ import annotations

from locus.collaboration.simulation import Portfolio, result_csv, simulate


def _portfolio() -> Portfolio:
    # three one-business projects: led from Manchester (Greater Manchester CA), Cardiff (Wales has
    # no Combined Authorities) and an unknown place
    rows = [("p1", "E08000003", "TLD33", "E47000001"), ("p2", "W06000015", "TLL52", ""),
            ("p3", "", "", "")]
    return Portfolio(
        project=[r[0] for r in rows], funder=["Innovate UK"] * 3, year=[2021] * 3,
        org_type=["business"] * 3, size=["small"] * 3, country=["GB"] * 3, is_lead=[True] * 3,
        costs=[100.0, 200.0, 300.0], grant=[None] * 3, lad=[r[1] for r in rows],
        itl3=[r[2] for r in rows], ca=[r[3] for r in rows],
        area_names={"E47000001": "Greater Manchester", "E08000003": "Manchester", "W06000015": "Cardiff"})


def test_a_lead_in_no_combined_authority_is_not_called_not_known():
    result = simulate(_portfolio(), rule_set_id="innovate-uk-crd")
    ca = {r["name"]: r["money"] for r in next(b for b in result.breakdowns if b.dimension == "ca").rows}
    assert ca == {"Greater Manchester": 100.0, "Not in a Combined Authority": 200.0, "Not known": 300.0}
    assert "ca,none,Not in a Combined Authority,1," in result_csv(result)


def test_organisation_types_are_named_in_words_and_keyed_by_code():
    portfolio = _portfolio()
    portfolio.org_type = ["university", "business", "rto"]
    portfolio.size = ["", "large", ""]
    result = simulate(portfolio, rule_set_id="innovate-uk-crd")
    rows = next(b for b in result.breakdowns if b.dimension.startswith("organisation type")).rows
    assert {r["key"]: r["name"] for r in rows} == {
        "university": "University or college", "business (large)": "Business (large)",
        "rto": "RTO or Catapult"}
