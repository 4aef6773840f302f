"""A year an input file covers only in part is published (flagged) but never scored.

Innovate UK's list of funded projects is dated 1 August 2020 and the CORDIS Horizon 2020 file
9 September 2020, so their 2020 totals are a fraction of a usual year's. Those values stay in
``indicator_values`` with ``partial_year`` true; stage scores, trends, weak links, the evidence of
opportunities and the neighbours' variables use the last full year (2019).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from locus.pipeline import assemble
from locus.pipeline.catalogue import INDICATORS, indicator_get
from locus.pipeline.engine import model_run
from locus.pipeline.export import table_read
from locus.pipeline.models import MODELS
from locus.pipeline.sources import SOURCES, source_get

from .tiny_world import tiny_connection

BEIS = Path(__file__).resolve().parents[2] / "data" / "atlas" / "beis"

# Innovate UK funding per NUTS3 area (UKX11, UKX12) and year; 2020 is the partial year. BERD (NUTS2,
# 2018 only) is a second business R&D indicator, so the stage has the two of four it needs.
INNOVATE = {2018: (100.0, 300.0), 2019: (200.0, 100.0), 2020: (10.0, 50.0)}


def _tiny(*, declare_partial: bool = True):
    beis = [("innovate_uk_funding", y, code, 2016, v) for y, vs in INNOVATE.items()
            for code, v in zip(("UKX11", "UKX12"), vs, strict=True)]
    beis.append(("berd", 2018, "UKX1", 2016, 5000.0))
    con = tiny_connection(beis=beis)
    if not declare_partial:  # the same inputs with no partial year declared: the control
        con.execute("DELETE FROM catalogue_partial_years")
    for model in MODELS:
        if model.kind == "sql":
            model_run(con=con, name=model.name, spec={})
    return con


@pytest.fixture(scope="module")
def tiny():
    con = _tiny()
    return con, assemble.atlas_tables(con=con)


def _rows(table, **equal):
    for column, value in equal.items():
        table = table.filter(pc.equal(table[column], value))
    return table.to_pylist()


def test_the_two_files_ending_part_way_through_2020_declare_it_with_their_own_dates():
    declared = {s.id: dict(s.partial_years) for s in SOURCES if s.partial_years}
    assert set(declared) == {"beis_innovate_uk", "beis_cordis"}
    assert all(set(years) == {2020} for years in declared.values())  # 2014 (H2020's first year) is whole
    # the dates are the files' own: Innovate UK's list named in its schema, CORDIS's data_date
    innovate = (BEIS / "innovate_uk" / "gbp_innovate_uk_funding.nuts3.yaml").read_text(encoding="utf-8")
    assert "20200801_Innovate_UK_Funded_Projects.xlsx" in innovate
    assert declared["beis_innovate_uk"][2020].endswith("1 August 2020")
    cordis = (BEIS / "cordis" / "cordis_funding.nuts3.yaml").read_text(encoding="utf-8")
    assert re.search(r"^data_date: 20200909$", cordis, re.M)
    assert declared["beis_cordis"][2020].endswith("9 September 2020")
    assert source_get(source_id="beis_cordis").partial_year(2019) == ""


def test_every_indicator_of_a_partial_year_says_on_that_year_that_it_is_not_scored():
    affected = {i.id for i in INDICATORS if i.partial_years}
    assert affected == {"h2020_funding_per_head", "innovate_uk_per_head", "innovate_uk_total"}
    for iid in affected:
        ind = indicator_get(indicator_id=iid)
        note = ind.year_note(2020)
        assert "part year" in note, iid
        if ind.direction != "context":  # a scored indicator says what the scores use instead
            assert "not used in stage scores, trends, weak links or opportunities" in note
            assert "2019, the last full year" in note
        else:
            assert "not used" not in note
    assert "not used" not in indicator_get(indicator_id="h2020_funding_per_head").year_note(2014)


def test_a_partial_year_is_kept_in_the_values_and_flagged(tiny):
    con, tables = tiny
    rows = _rows(tables["indicator_values"], indicator_id="innovate_uk_per_head", level="itl3",
                 area_code="TLX11")
    assert [(r["year"], r["partial_year"]) for r in rows] == [(2018, False), (2019, False), (2020, True)]
    assert rows[-1]["value"] == pytest.approx(10.0 / 150.0)  # the value itself is unchanged
    flagged = _rows(tables["indicator_values"], partial_year=True)
    assert {(r["indicator_id"], r["year"]) for r in flagged} == {("innovate_uk_per_head", 2020),
                                                                 ("innovate_uk_total", 2020)}


def test_a_partial_year_is_not_normalised_or_scored(tiny):
    con, tables = tiny
    assert not _rows(tables["indicator_scores"], year=2020)
    assert {r["year"] for r in _rows(tables["indicator_scores"], indicator_id="innovate_uk_per_head")} == {2018, 2019}
    for level, code in (("itl3", "TLX11"), ("itl3", "TLX12"), ("ca", "E47000099")):
        scores = _rows(tables["stage_scores"], level=level, area_code=code, stage="business_rd_finance")
        assert [(r["year"], r["is_latest"]) for r in scores] == [(2018, False), (2019, True)], code
    latest = assemble._latest_by_level(con, ["innovate_uk_per_head"])["itl3"]  # neighbours and evidence
    assert latest[("TLX11", "innovate_uk_per_head")] == (2019, pytest.approx(200.0 / 150.0))


def test_without_the_declaration_the_same_inputs_would_score_2020():
    tables = assemble.atlas_tables(con=_tiny(declare_partial=False))
    assert not _rows(tables["indicator_values"], partial_year=True)
    scores = _rows(tables["stage_scores"], level="itl3", area_code="TLX11", stage="business_rd_finance")
    assert [r["year"] for r in scores if r["is_latest"]] == [2020]


def test_the_bundled_build_scores_the_last_full_year_and_records_the_rule(built_atlas):
    out, manifest = built_atlas
    values = table_read(atlas_dir=out, table="indicator_values")
    flagged = values.filter(values["partial_year"])
    assert set(zip(flagged["indicator_id"].to_pylist(), flagged["year"].to_pylist(), strict=True)) == {
        ("h2020_funding_per_head", 2020), ("innovate_uk_per_head", 2020), ("innovate_uk_total", 2020)}
    assert flagged.num_rows > 500  # every level's 2020 values are still published
    normalised = table_read(atlas_dir=out, table="indicator_scores")
    ids = pa.array(sorted(i.id for i in INDICATORS if i.partial_years))
    assert pc.any(pc.is_in(normalised["indicator_id"], value_set=ids)).as_py()  # their full years are scored
    partial = pc.and_(pc.is_in(normalised["indicator_id"], value_set=ids), pc.equal(normalised["year"], 2020))
    assert not pc.any(partial).as_py()
    scores = table_read(atlas_dir=out, table="stage_scores")
    for stage in ("research", "business_rd_finance"):
        latest = _rows(scores, level="itl3", stage=stage, is_latest=True)
        assert len(latest) == 179 and {r["year"] for r in latest} == {2019}, stage
    # weak links are assessed on the latest scores (research, the first stage, has none)
    links = _rows(table_read(atlas_dir=out, table="weak_links"), level="itl3", stage="business_rd_finance")
    assert len(links) == 179 and {r["year"] for r in links} == {2019}
    written = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    rule = written["parameters"]["partial_years"]
    assert rule["sources"] == {"beis_cordis": {"2020": "projects listed up to 9 September 2020"},
                               "beis_innovate_uk": {"2020": "awards listed up to 1 August 2020"}}
    assert rule["indicators"]["innovate_uk_per_head"] == [2020]
    assert "last full year" in rule["rule"]



def test_no_structural_variable_has_a_partial_year():
    # the atlas re-derives neighbours' variables from the loaded values (locus/atlas/pathway.py), which
    # carry no partial_year flag: a structural variable with a partial year would need that reader changed
    partial = {i.id for i in INDICATORS if i.partial_years}
    assert partial and not partial & {v for v, _t in assemble.STRUCTURAL}
