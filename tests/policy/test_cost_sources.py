"""The cost model against the brief and its cited sources: the default total lies in the brief's
£10-15m a year, every input taken from a source is the figure at the place in the source it
names, and every other input is labelled as Locus's assumption on the page, in the API and in
the CLI."""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import pytest

from locus.errors import DataFileError
from locus.policy import costs
from locus.policy.files import cost_assumptions_read

COST_FILE = Path(__file__).resolve().parents[2] / "data" / "policy" / "cost_model.yaml"
ASSUMPTIONS, _, NOTES = cost_assumptions_read(COST_FILE)

# The brief (The Productivity Institute, 2024), closing paragraph: "The total cost of this set
# of proposals is unlikely to exceed £10-15m a year". It gives no other figure.
BRIEF_LOW, BRIEF_HIGH = 10_000_000, 15_000_000

# The inputs the model takes from sources, the figure each source states, and the words of the
# section the data file names (so a changed value or a section that no longer says it fails).
CITED = {
    # Lancashire Telegraph: "each cohort made up of 8-11 Lancashire business leaders"
    "pn_group_size": (lambda a: 8 <= a.low <= a.value <= a.high <= 11, "8-11"),
    # Cai and Szeidl (2018), abstract: "monthly meetings for one year" = 12;
    # ERC on Evolve Digital: "six peer-learning sessions" = the low end
    "pn_meetings_per_year": (lambda a: a.value == 12 and a.low == 6, "monthly meetings for"),
    # SPRU 2018 course: "an all-inclusive package of £2,999", rounded to the nearest £10
    "cb_fee_per_place": (lambda a: a.value == round(2_999, -1), "£2,999"),
    # UKRI LPIP hub: FEC "up to £3.6 million", "available for 44 months", per year, to £10,000
    "cb_coordination_hub": (lambda a: a.value == round(3_600_000 / 44 * 12, -4), "£3.6 million"),
}


def test_the_default_total_lies_in_the_brief_range_with_the_cited_inputs():
    assert costs.BRIEF_RANGE == (BRIEF_LOW, BRIEF_HIGH)
    assert "unlikely to exceed £10-15m a year" in costs.BRIEF_SECTION
    sourced = {k for k, a in ASSUMPTIONS.items() if a.basis != "assumption"}
    assert sourced == set(CITED), "an input's basis changed: update CITED with its source's figure"
    for key, (matches_source, words) in CITED.items():
        a = ASSUMPTIONS[key]
        assert matches_source(a), f"{key} = {a.value} is not the figure its source states"
        assert any(words in (s.section or "") for s in a.sources), f"{key}: section lacks {words!r}"
    total = costs.breakdown(costs.defaults(ASSUMPTIONS)).total
    assert total == 11_345_000 and BRIEF_LOW <= total <= BRIEF_HIGH
    assert costs.verdict(total) == "within"
    # The hub is the only derived figure: its working is in its reason.
    assert "£3.6m / 44 x 12" in ASSUMPTIONS["cb_coordination_hub"].reason
    assert math.isclose(3_600_000 / 44 * 12, 981_818, abs_tol=1)


def test_figures_not_in_a_source_are_labelled_assumptions():
    # The 2020 Peer Networks programme's 6,000 places were England's; the model's UK-wide number
    # is a judgement, so it is an assumption anchored on that figure, not a sourced figure.
    firms = ASSUMPTIONS["pn_firms_per_year"]
    assert firms.basis == "assumption" and "England only" in firms.reason
    for key, a in ASSUMPTIONS.items():
        if a.basis == "assumption":
            assert a.reason, f"{key}: an assumption needs its reason in plain words"
    # The brief limits public support for peer networks; the extra coordination is said to be ours.
    assert any("facilitation, hosting and promotional costs" in n and "set that assumption to 0" in n
               for n in NOTES["scope_notes"])


def test_a_sourced_input_without_a_section_fails_to_load(tmp_path):
    text = COST_FILE.read_text(encoding="utf-8")
    start = text.index("    section: >-", text.index("key: cb_coordination_hub"))
    bad = tmp_path / "cost_model.yaml"  # the hub's source, less its section
    bad.write_text(text[:start] + text[text.index("\nbenchmarks:", start) + 1:], encoding="utf-8")
    with pytest.raises(DataFileError, match="cb_coordination_hub: a figure taken or derived") as err:
        cost_assumptions_read(bad)
    line = bad.read_text(encoding="utf-8").splitlines()[err.value.line - 1]
    assert line == "  - publisher: UK Research and Innovation"  # the error names the hub's sources


def test_the_page_labels_each_input_and_names_where_each_figure_is(client):
    page = client.get("/policy/cost-model/").content.decode()
    tags = dict(re.findall(r'id="(\w+)-hint">.*?data-basis="(\w+)"', page, flags=re.S))
    assert tags == {k: a.basis for k, a in ASSUMPTIONS.items()}
    assert page.count(">Locus assumption</strong>") == sum(
        a.basis == "assumption" for a in ASSUMPTIONS.values())
    text = html.unescape(page)
    for a in ASSUMPTIONS.values():
        for s in a.sources:
            if s.section:
                assert f"({s.section})" in text, s.section
    assert "unlikely to exceed £10-15m a year" in text
    assert "The brief gives only that total; the inputs below are from cited sources or are our " \
           "assumptions, for you to change." in text


def test_the_api_gives_each_input_its_basis_and_sources_with_sections(client):
    body = client.get("/api/v1/policy/cost-model").json()
    inputs = {a["key"]: a for a in body["assumptions"]}
    assert inputs["pn_firms_per_year"]["basis"] == "assumption"
    hub = inputs["cb_coordination_hub"]
    assert hub["basis"] == "derived" and "44 months" in hub["sources"][0]["section"]
    assert "unlikely to exceed £10-15m a year" in body["source"]


def test_the_cli_names_the_brief_section_and_counts_the_assumptions():
    from typer.testing import CliRunner

    from locus.cli import app

    result = CliRunner().invoke(app, ["policy", "cost-model"])
    assert result.exit_code == 0, result.output
    assert "closing paragraph" in result.output
    mine = sum(a.basis == "assumption" for a in ASSUMPTIONS.values())
    assert f"{len(ASSUMPTIONS) - mine} inputs come from cited sources" in result.output
    assert f"{mine} are Locus's assumptions, which you can change" in result.output
