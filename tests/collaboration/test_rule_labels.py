"""A check's label states the settings in force, not the defaults it was written with."""

from __future__ import annotations

import pytest

from locus.collaboration.rules.checks import label_fill
from locus.collaboration.rules.engine import consortium_check, participants_validate
from locus.collaboration.rules.model import rule_set_list
from locus.collaboration.simulation import Portfolio, simulate


def _walk(checks):
    for check in checks:
        yield check
        yield from _walk(getattr(check, "children", []))


@pytest.mark.parametrize("rule_set", rule_set_list(), ids=lambda rs: rs.id)
def test_every_label_naming_a_setting_reads_the_same_at_the_defaults(rule_set):
    """``label`` (the rule set page, the API's list) and ``label_set`` at the defaults agree, and
    every setting a label names in words has a ``label_set``."""
    defaults = {name: p.default for name, p in rule_set.parameters.items()}
    for check in _walk(rule_set.checks):
        template = check.args.get("label_set")
        if template:
            assert label_fill(template, defaults) == check.label
        elif not hasattr(check, "children"):  # a composite's settings are its children's
            assert not check.referenced_params() & {"min_total_costs", "min_match_funding", "max_partners",
                                                    "max_single_undertaking_share", "min_research_share",
                                                    "min_businesses_with_rto_lead", "min_smes",
                                                    "min_research_orgs"}, check.id


def _check(rule_set_id, parameters):
    people = participants_validate([
        {"name": "Big Motors", "role": "lead", "organisation_type": "business", "size": "large",
         "country": "GB", "eligible_costs": 2_000_000, "tier": "vehicle_manufacturer",
         "grant_requested": 700_000},
        {"name": "Cell Co", "role": "partner", "organisation_type": "business", "size": "small",
         "country": "GB", "eligible_costs": 1_000_000, "grant_requested": 500_000}])
    report = consortium_check(rule_set_id=rule_set_id, participants=people, parameters=parameters)
    return {c.id: c for c in report.checks}


def test_changed_settings_are_named_in_the_checks_they_change():
    apc = _check("apc", {"min_total_costs": 1_000_000, "min_match_funding": 0.6, "max_partners": 8})
    assert apc["project_size"].passed and apc["project_size"].label == (
        "Total eligible costs between £1 million and £40 million")
    assert apc["match_funding"].label == "At least 60 % match funded"
    assert apc["partners"].label == "At most eight partners (suggested)"
    mandate = _check("ukri-collaboration-mandate", {"min_smes": 2, "min_research_orgs": 0})
    assert mandate["sme"].label == "Includes at least two SMEs" and not mandate["sme"].passed
    assert mandate["research"].label == "Includes at least zero universities, research institutes or RTOs"


def test_the_simulator_names_the_setting_it_applied():
    portfolio = Portfolio(project=["p"], funder=["Innovate UK"], year=[2021], org_type=["business"],
                          size=["small"], country=["GB"], is_lead=[True], costs=[100.0], grant=[None],
                          lad=[""], itl3=[""], ca=[""])
    result = simulate(portfolio, rule_set_id="ukri-collaboration-mandate", parameters={"min_smes": 3})
    assert {c["id"]: c["label"] for c in result.changes}["sme"] == "Includes at least three SMEs"
