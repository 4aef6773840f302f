"""A row a source is known to have wrong is published (flagged) but never scored, and an undeclared
break in a stock measure stops the build.

The bundled HESA research income and research students (Estates management record, via Nesta) lack
Birmingham's main research university in 2018: research income £202.8m in 2017, £28.5m in 2018.
``sources._DEFECTS`` declares the row; every value built from it (numerator or denominator, at every
level containing the area) carries ``source_defect`` and stays out of normalisation, stage scores,
trends, weak links, opportunities and neighbours, as a partial year's values do.
"""

from __future__ import annotations

import pyarrow.compute as pc
import pytest

from locus.errors import PipelineError
from locus.pipeline import assemble
from locus.pipeline.catalogue import INDICATORS, indicator_get
from locus.pipeline.engine import model_run
from locus.pipeline.export import table_read
from locus.pipeline.models import MODELS, checks_spec
from locus.pipeline.sources import defect_rows, source_get

from .tiny_world import tiny_connection

# research income of UKX11 and UKX12 (tiny world NUTS3 areas = ITL3 TLX11, TLX12); UKX11's 2020 is broken
RESEARCH = {2018: (100.0, 300.0), 2019: (110.0, 310.0), 2020: (5.0, 320.0)}
COLLAB = {2018: (50.0, 60.0), 2019: (55.0, 62.0), 2020: (58.0, 64.0)}


# the bundled check (schema.yml) alone: the tiny world is too small for the coverage check
_YEAR_ON_YEAR = {"int_measure_rows": {"year_on_year": checks_spec()["int_measure_rows"]["year_on_year"]}}


def _tiny(*, declare: bool):
    beis = [(m, y, code, 2016, v) for m, table in (("research_income", RESEARCH), ("collab_research", COLLAB))
            for y, vs in table.items() for code, v in zip(("UKX11", "UKX12"), vs, strict=True)]
    con = tiny_connection(beis=beis)
    if declare:
        con.execute("INSERT INTO catalogue_source_defects VALUES ('research_income', 2020, 'UKX11')")
    return con


def _run_models(con, spec: dict | None = None):
    for model in MODELS:
        if model.kind == "sql":
            model_run(con=con, name=model.name, spec=spec or {})
    return con


def _rows(table, **equal):
    for column, value in equal.items():
        table = table.filter(pc.equal(table[column], value))
    return table.to_pylist()


@pytest.fixture(scope="module")
def declared():
    con = _run_models(_tiny(declare=True))
    return con, assemble.atlas_tables(con=con)


def test_an_undeclared_break_in_a_stock_stops_the_build_naming_file_line_and_area():
    con = _tiny(declare=False)
    spec = _YEAR_ON_YEAR
    with pytest.raises(PipelineError) as caught:
        _run_models(con, spec)
    message = str(caught.value)
    assert "year on year" in message and "research_income" in message and "UKX11" in message
    assert "110 in 2019" in message and "5 in 2020" in message
    assert "file f.csv, line 6" in message  # the 2020 row of UKX11 (rows from line 2, two per year)
    assert "_DEFECTS" in message


def test_a_declared_break_passes_the_check():
    _run_models(_tiny(declare=True), _YEAR_ON_YEAR)


def test_a_flow_that_jumps_is_not_checked():
    """Spin-off investment and funding awards are lumpy by nature: only stocks carry max_year_ratio."""
    con = tiny_connection(beis=[("innovate_uk_funding", y, "UKX11", 2016, v)
                                for y, v in ((2018, 100.0), (2019, 1.0), (2020, 500.0))])
    _run_models(con, _YEAR_ON_YEAR)


def test_values_built_from_the_row_are_published_and_flagged_numerator_and_denominator(declared):
    _con, tables = declared
    values = tables["indicator_values"]
    flagged = {(r["indicator_id"], r["level"], r["area_code"], r["year"]) for r in _rows(values, source_defect=True)}
    # research income itself, per head, and collaborative research per £100 of research income (denominator)
    for ind in ("research_income_total", "research_income_per_head", "collab_research_share"):
        assert (ind, "itl3", "TLX11", 2020) in flagged, ind
        assert (ind, "itl3", "TLX12", 2020) not in flagged, ind  # the other area's 2020 is sound
        assert (ind, "itl3", "TLX11", 2019) not in flagged, ind  # and so are the area's other years
    assert {year for (_i, _l, _a, year) in flagged} == {2020}
    # the regions, nation and CA containing the area carry the flag too
    assert {level for (_i, level, _a, _y) in flagged} >= {"itl3", "itl2", "itl1", "uk"}
    row = _rows(values, indicator_id="research_income_total", level="itl3", area_code="TLX11", year=2020)[0]
    assert row["value"] == pytest.approx(5.0) and row["partial_year"] is False  # published as the source has it


def test_flagged_values_are_never_normalised_scored_or_used_as_latest(declared):
    con, tables = declared
    scores = tables["indicator_scores"]
    assert not _rows(scores, area_code="TLX11", year=2020, indicator_id="research_income_per_head")
    assert not _rows(scores, area_code="TLX11", year=2020, indicator_id="collab_research_share")
    assert _rows(scores, area_code="TLX12", year=2020, indicator_id="research_income_per_head")  # sound: scored
    latest = assemble._latest_by_level(con, ["research_income_per_head"])["itl3"]
    assert latest[("TLX11", "research_income_per_head")][0] == 2019
    assert latest[("TLX12", "research_income_per_head")][0] == 2020


def test_without_the_declaration_the_broken_row_would_be_scored():
    con = _run_models(_tiny(declare=False))
    tables = assemble.atlas_tables(con=con)
    assert not _rows(tables["indicator_values"], source_defect=True)
    assert _rows(tables["indicator_scores"], area_code="TLX11", year=2020, indicator_id="research_income_per_head")


def test_the_declared_defects_are_birminghams_2018_hesa_rows():
    assert sorted({(m, y, code) for m, y, code, _t in defect_rows()}) == [
        ("research_income", 2018, "UKG31"), ("research_students", 2018, "UKG31")]
    for sid in ("beis_research_income", "beis_research_students"):
        ((year, code, text),) = source_get(source_id=sid).defects
        assert (year, code) == (2018, "UKG31")
        assert "£202.8 million" in text and "£28.5 million" in text and "not used in stage scores" in text


def test_every_indicator_over_the_broken_figure_says_so_on_2018_and_no_other_does():
    affected = {i.id for i in INDICATORS
                if {"research_income", "research_students"} & {*i.numerator, *((i.denominator,) if i.denominator else ())}}
    assert affected >= {"research_income_per_head", "research_students_per_100k", "contract_research_share",
                        "ip_income_share", "spinoff_investment_share"}
    for ind in INDICATORS:
        says = "Birmingham (NUTS3 UKG31)" in ind.year_note(2018)
        assert says == (ind.id in affected), ind.id
    assert "Birmingham" not in indicator_get(indicator_id="research_income_per_head").year_note(2017)


def test_the_bundled_build_flags_birmingham_2018_and_the_areas_containing_it(built_atlas):
    out, _manifest = built_atlas
    values = table_read(atlas_dir=out, table="indicator_values")
    flagged = values.filter(values["source_defect"])
    assert set(flagged["year"].to_pylist()) == {2018}
    assert set(zip(flagged["level"].to_pylist(), flagged["area_code"].to_pylist(), strict=True)) == {
        ("itl3", "TLG31"), ("lad", "E08000025"), ("ca", "E47000007"), ("itl2", "TLG3"), ("itl1", "TLG"),
        ("nation", "E92000001"), ("uk", "K02000001")}
    birmingham = _rows(values, indicator_id="research_income_total", level="itl3", area_code="TLG31", year=2018)
    assert birmingham[0]["value"] == pytest.approx(28_520_000.0) and birmingham[0]["source_defect"]
    scores = table_read(atlas_dir=out, table="indicator_scores")
    assert not _rows(scores, area_code="TLG31", year=2018, indicator_id="contract_research_share")
    assert _rows(scores, area_code="TLG31", year=2017, indicator_id="contract_research_share")
    # the West Midlands' knowledge-exchange score no longer rests on Birmingham's broken denominator
    stage = _rows(table_read(atlas_dir=out, table="stage_scores"), level="ca", area_code="E47000007",
                  stage="knowledge_exchange", is_latest=True)[0]
    assert stage["data_year_min"] == 2017
