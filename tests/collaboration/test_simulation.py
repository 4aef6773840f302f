"""The simulator's breakdowns, on small portfolios built by hand (no database)."""

from __future__ import annotations

import re

from locus.collaboration.simulation import Portfolio, Provenance, result_csv, simulate


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
    csv_text = result_csv(result, provenance=Provenance("Test portfolio", "2020", "OGL v3.0"))
    assert "ca,none,Not in a Combined Authority,1," in csv_text
    assert all(line.endswith(",Test portfolio,2020,OGL v3.0") for line in csv_text.splitlines()[1:])


def test_organisation_types_are_named_in_words_and_keyed_by_code():
    portfolio = _portfolio()
    portfolio.org_type = ["university", "business", "rto"]
    portfolio.size = ["", "large", ""]
    result = simulate(portfolio, rule_set_id="innovate-uk-crd")
    rows = next(b for b in result.breakdowns if b.dimension.startswith("organisation type")).rows
    assert {r["key"]: r["name"] for r in rows} == {
        "university": "University or college", "business (large)": "Business (large)",
        "rto": "RTO or Catapult"}


def test_what_would_have_to_change_agrees_in_number():
    """'1 project gives', '2 projects give': never '1 project give' or '1 project fail'."""
    # p1: a university-led pair whose university carries 90 % of costs; p2: one business alone;
    # p3: a claiming business with no grant recorded (APC match funding unknown)
    portfolio = Portfolio(
        project=["p1", "p1", "p2", "p3", "p3"], funder=["Innovate UK"] * 5, year=[2021] * 5,
        org_type=["university", "business", "business", "business", "business"],
        size=["", "large", "small", "large", "small"], country=["GB"] * 5,
        is_lead=[True, False, True, True, False], costs=[900.0, 100.0, 50.0, 6e6, 1e6],
        grant=[900.0, 50.0, 25.0, None, 1e5], lad=[""] * 5, itl3=[""] * 5, ca=[""] * 5)
    texts = [c["text"] for rs in ("innovate-uk-crd", "apc", "gber-art25-collaboration",
                                  "horizon-europe-ria", "ukri-collaboration-mandate")
             for c in simulate(portfolio, rule_set_id=rs).changes]
    assert any(t.startswith("1 project ") for t in texts), texts
    bad = [t for t in texts if re.search(r"\b1 project (give|fail|have|are|meet)\b", t)
           or "0 of them" in t]
    assert not bad, bad


def test_every_csv_row_says_whether_its_money_is_grant_or_eligible_costs():
    """money_gbp is the grant where the data give one, otherwise eligible costs: each row names its
    basis and the part taken from eligible costs, so a reader can tell £300 of costs from £300 of
    grant."""
    import csv
    import io

    # p1 (2020): a grant of 50 and a partner with costs of 200 only; p2 (2021): costs of 300 only;
    # p3 (2022): grants only
    portfolio = Portfolio(
        project=["p1", "p1", "p2", "p3"], funder=["Innovate UK"] * 4, year=[2020, 2020, 2021, 2022],
        org_type=["business"] * 4, size=["small", "large", "small", "small"], country=["GB"] * 4,
        is_lead=[True, False, True, True], costs=[100.0, 200.0, 300.0, 80.0],
        grant=[50.0, None, None, 40.0], lad=[""] * 4, itl3=[""] * 4, ca=[""] * 4)
    result = simulate(portfolio, rule_set_id="innovate-uk-crd")
    assert result.money == 590.0 and result.money_from_eligible_costs == 500.0
    rows = list(csv.DictReader(io.StringIO(
        result_csv(result, provenance=Provenance("Test portfolio", "2020", "OGL v3.0")))))
    overall = rows[0]
    assert overall["money_basis"] == "grant where given, otherwise eligible costs"
    assert overall["money_from_eligible_costs_gbp"] == "500.00"
    years = {r["key"]: (r["money_gbp"], r["money_basis"], r["money_from_eligible_costs_gbp"])
             for r in rows if r["dimension"] == "year"}
    assert years == {"2020": ("250.00", "grant where given, otherwise eligible costs", "200.00"),
                     "2021": ("300.00", "eligible costs", "300.00"),
                     "2022": ("40.00", "grant", "0.00")}
    types = {r["key"]: r["money_basis"] for r in rows if r["dimension"].startswith("organisation")}
    assert types == {"business (small)": "grant where given, otherwise eligible costs",
                     "business (large)": "eligible costs"}
    assert {r["group"]: r["money_basis"] for r in result.reach}["SMEs"] == \
        "grant where given, otherwise eligible costs"
