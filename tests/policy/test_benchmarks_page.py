"""The cost model page's benchmarks: each says whether it rests on a primary or a secondary source,
where in the source its figure is, and a secondary one shows its caution beside it."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from locus.policy.files import cost_assumptions_read

COST_FILE = Path(__file__).resolve().parents[2] / "data" / "policy" / "cost_model.yaml"
_, BENCHMARKS, _ = cost_assumptions_read(COST_FILE)


def benchmark_rows(page: str) -> dict[str, str]:
    table = page[page.index('id="benchmarks"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r'<tr class="govuk-table__row" id="(\w+)">(.*?)</tr>', table, flags=re.S)
    return {key: html.unescape(row) for key, row in rows}


def test_each_benchmark_shows_its_standing_sections_and_caution(client):
    page = client.get("/policy/cost-model/").content.decode()
    rows = benchmark_rows(page)
    assert set(rows) == {b.key for b in BENCHMARKS}
    for b in BENCHMARKS:
        row = rows[b.key]
        tag = re.search(r'data-standing="(\w+)">([^<]+)<', row)
        assert tag and tag.group(1) == b.standing, b.key
        assert tag.group(2) == {"primary": "Primary source", "secondary": "Secondary source"}[b.standing]
        for s in b.sources:
            assert s.section in row and s.url in html.unescape(row), (b.key, s.publisher)
        if b.standing == "secondary":
            assert f"Caution: {b.caution}" in row, b.key
        elif b.caution:
            assert f"Note: {b.caution}" in row and "Caution:" not in row, b.key
    # A copy held on another site says so.
    assert "a copy, held on another site, of Peer Network Support in Lancashire by Lancashire County " \
           "Council" in rows["bench_lancashire_cohort_cost"]
    assert sum(b.standing == "secondary" for b in BENCHMARKS) == page.count(">Secondary source<") == 3


def test_the_page_explains_primary_and_secondary_before_the_table(client):
    text = html.unescape(client.get("/policy/cost-model/").content.decode())
    intro = text[text.index("Benchmarks for comparison"):text.index('id="benchmarks"')]
    assert "the model does not use these figures" in intro
    assert "primary source" in intro and "secondary source" in intro
    assert "Treat secondary figures with care" in intro


def test_the_total_says_how_many_inputs_are_assumptions(client):
    # Read by an analyst: the headline total is not a costing from evidence when most inputs are
    # judgements; the page says how many, counted from the data file.
    from locus.policy.files import cost_assumptions_read as read

    assumptions, _, _ = read(COST_FILE)
    mine = sum(a.basis == "assumption" for a in assumptions.values())
    assert mine > len(assumptions) / 2  # why the sentence matters
    text = html.unescape(client.get("/policy/cost-model/").content.decode())
    # said once, in the headline's caveat (QA H25 F9: it was repeated under the box)
    assert text.count(f"{mine} of its {len(assumptions)} inputs are Locus judgements, not figures from a "
                      "source") == 1
    assert "it is not a costing built from evidence" in text


@pytest.mark.django_db
@pytest.mark.usefixtures("policy_library")
def test_the_pack_reads_its_sized_costs_as_an_order_of_magnitude(client):
    text = html.unescape(client.get("/policy/packs/E47000001/").content.decode())
    section = text[text.index('id="measures-heading"'):text.index('id="pack-measures"')]
    assert "which it calls low-cost" in section
    assert "are Locus assumptions rather than sourced figures" in section
    assert "not a costed proposal" in section
