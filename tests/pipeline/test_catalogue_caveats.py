"""The catalogue's publisher per input, the APS indicators' uncertainty, and Horizon 2020's notes on
its partial first and last years, whose figures must match the bundled file."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from locus.pipeline.catalogue import (
    INDICATORS,
    Indicator,
    catalogue_markdown,
    catalogue_rows,
    indicator_get,
)
from locus.pipeline.sources import (
    APS_UNCERTAINTY,
    BRES_UNCERTAINTY,
    GVA_UNCERTAINTY,
    caution_of,
    measure_get,
    source_get,
)

CORDIS = Path(__file__).resolve().parents[2] / "data" / "atlas" / "beis" / "cordis" / "cordis_funding.nuts3.csv"


def test_an_indicator_of_several_publishers_names_each_against_its_input():
    ind = indicator_get(indicator_id="research_income_per_head")
    assert ind.publisher == ("HE research income: HESA (HE-BCI / HE Finance) via Nesta BEIS R&D indicators; "
                             "Regional GVA(B) per head and income components (Tables 1, 6, 17): ONS")
    shared = indicator_get(indicator_id="contract_research_share")  # four HESA files: one publisher, once
    assert shared.publisher == "HESA (HE-BCI / HE Finance) via Nesta BEIS R&D indicators"
    for ind in INDICATORS:
        publishers = {source_get(source_id=s).publisher for s in ind.sources}
        if len(publishers) > 1:
            for s in ind.sources:
                src = source_get(source_id=s)
                assert f"{src.title}: {src.publisher}" in ind.publisher, ind.id


def test_only_the_survey_estimates_carry_an_uncertainty_note():
    noted = {i.id for i in INDICATORS if i.uncertainty}
    assert noted == {"nvq4_share", "stem_professionals_per_1000"} | ESTIMATES_WITHOUT_INTERVALS
    text = indicator_get(indicator_id="nvq4_share").uncertainty
    assert text.startswith("Survey estimate (Annual Population Survey)") and "95% confidence interval" in text
    assert "carry the estimate only, so none is shown" in text
    rows = {r["indicator_id"]: r for r in catalogue_rows()}
    assert rows["nvq4_share"]["uncertainty"] == text and rows["enterprise_birth_rate"]["uncertainty"] == ""
    assert f"| uncertainty | {text} |" in catalogue_markdown()


# BRES, BERD, ONS regional GVA and subregional productivity: estimates whose publishers give no interval for
# these areas (methodology section 1, "Estimates without a published interval")
ESTIMATES_WITHOUT_INTERVALS = {
    "eci_nesta", "lq_high_tech",  # BRES
    "berd_per_head", "business_rd_fte_per_1000",  # BERD (Eurostat)
    "gva_per_head", "manufacturing_gva_share", "knowledge_services_gva_share", "public_services_gva_share",  # GVA(B)
    "gva_per_hour",  # subregional productivity
}


@pytest.mark.parametrize("iid,starts,cites", [
    ("eci_nesta", "Survey estimate (Business Register and Employment Survey)", "Nomis, Business Register and Employment"),
    ("lq_high_tech", "Survey estimate (Business Register and Employment Survey)", "Nomis, Rounding of BRES"),
    ("berd_per_head", "Survey estimate (ONS Business Enterprise Research and Development survey", "£15.0 billion higher in 2018"),
    ("business_rd_fte_per_1000", "Survey estimate (ONS Business Enterprise Research and Development survey", "Office for Statistics Regulation"),
    ("gva_per_head", "Modelled estimate (ONS regional gross value added, balanced)", "17 December 2018"),
    ("manufacturing_gva_share", "Modelled estimate (ONS regional gross value added, balanced)", "latest year is provisional"),
    ("gva_per_hour", "Modelled estimate (ONS subregional productivity)", "smoothed series"),
])
def test_estimates_without_a_published_interval_say_so_and_cite_the_publisher(iid, starts, cites):
    ind = indicator_get(indicator_id=iid)
    assert ind.uncertainty.startswith(starts) and cites in ind.uncertainty
    # the caution shown beside values is the first sentence, and says no interval is shown
    assert ind.caution == caution_of(ind.uncertainty) and ind.uncertainty.startswith(ind.caution.rstrip("."))
    assert "no confidence interval" in ind.caution and "so none is shown" in ind.caution
    assert "apportioned" in ind.uncertainty  # Locus's own sharing out by population adds to it
    assert f"| uncertainty | {ind.uncertainty} |" in catalogue_markdown()


def test_the_gva_caution_follows_the_gva_measure_not_the_population_beside_it_in_the_workbook():
    assert measure_get(measure_id="gva").uncertainty_text == GVA_UNCERTAINTY
    assert measure_get(measure_id="population").uncertainty_text == ""  # same source file, no caution
    for iid in ("population", "research_income_per_head", "patents_per_100k", "innovate_uk_per_head"):
        assert indicator_get(indicator_id=iid).caution == "", iid  # per head of population: not an estimate's caveat
    assert source_get(source_id="nomis_bres_2018").uncertainty == BRES_UNCERTAINTY  # the location quotients' input


def test_an_indicator_of_two_estimates_shows_each_caution_once():
    both = Indicator("x", "x", "x", "ratio", ("gva", "gva_industry_total"), "stem_professionals", 1.0,
                     "context", "context", "ITL3")
    assert both.uncertainty_texts == (GVA_UNCERTAINTY, APS_UNCERTAINTY)
    assert both.caution == f"{caution_of(GVA_UNCERTAINTY)} {caution_of(APS_UNCERTAINTY)}"


def test_caution_of_takes_the_first_sentence():
    assert caution_of("First part: a, b. Second.") == "First part: a, b."
    assert caution_of("") == "" and caution_of("One sentence only.") == "One sentence only."


def test_the_aps_files_bundled_have_no_interval_to_show():
    aps = Path(__file__).resolve().parents[2] / "data" / "atlas" / "beis" / "aps"
    for path in aps.glob("*.csv"):
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header[:3] == ["year", "nuts_id", "nuts_year_spec"] and len(header) == 4, path  # the estimate only


def test_horizon_2020s_year_notes_state_the_bundled_files_totals():
    totals, areas = defaultdict(float), defaultdict(int)
    with CORDIS.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            totals[int(row["year"])] += float(row["cordis_funding"])
            areas[int(row["year"])] += 1
    assert min(totals) == 2014  # the programme's first year is the file's first
    assert round(totals[2014] / 1e6) == 120 and round(totals[2020] / 1e6) == 773
    middle = [totals[y] / 1e9 for y in range(2015, 2020)]
    assert round(min(middle), 1) == 1.0 and round(max(middle), 1) == 1.4
    ind = indicator_get(indicator_id="h2020_funding_per_head")
    assert "€120 million" in ind.year_note(2014) and "€1.0 to €1.4 billion" in ind.year_note(2014)
    assert "€773 million" in ind.year_note(2020) and "9 September 2020" in ind.year_note(2020)
    assert ind.year_note(2017) == "" and ind.year_note(None) == ""
    markdown = catalogue_markdown()
    assert f"| 2014 values | {ind.year_note(2014)} |" in markdown


def test_innovate_uks_year_notes_state_the_bundled_files_totals():
    path = CORDIS.parents[1] / "innovate_uk" / "gbp_innovate_uk_funding.nuts3.csv"
    totals = defaultdict(float)
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            totals[int(row["year"])] += float(row["gbp_innovate_uk_funding"])
    assert (min(totals), max(totals)) == (2010, 2020)
    assert round(totals[2010] / 1e6) == 171 and round(totals[2020] / 1e6) == 172
    middle = [totals[y] / 1e9 for y in range(2011, 2020)]
    assert round(min(middle), 1) == 0.6 and round(max(middle), 1) == 2.3
    for iid in ("innovate_uk_per_head", "innovate_uk_total"):
        ind = indicator_get(indicator_id=iid)
        assert "£171 million" in ind.year_note(2010) and "£0.6 to £2.3 billion" in ind.year_note(2010)
        assert "£172 million" in ind.year_note(2020) and "1 August 2020" in ind.year_note(2020)


def test_innovate_uks_2010_is_a_whole_competition_year_and_stays_scored():
    """The evidence does not show 2010 to be partial (sources.py, the notes above _PARTIAL_YEARS): Nesta
    dates awards by competition year from 2010/11 and the list covers awards since 2004; the file's 2010 is
    as broad as its next years. So 2010 is not declared partial, and its note says what cannot be checked."""
    path = CORDIS.parents[1] / "innovate_uk" / "gbp_innovate_uk_funding.nuts3.csv"
    areas = defaultdict(int)
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            areas[int(row["year"])] += float(row["gbp_innovate_uk_funding"]) > 0
    assert (areas[2010], areas[2011], areas[2012]) == (123, 127, 133)  # areas with an award (one 2010 row is 0)
    assert dict(source_get(source_id="beis_innovate_uk").partial_years) == {2020: "awards listed up to 1 August 2020"}
    for iid in ("innovate_uk_per_head", "innovate_uk_total"):
        ind = indicator_get(indicator_id=iid)
        assert 2010 not in ind.partial_years and 2020 in ind.partial_years
        note = ind.year_note(2010)
        assert "competition year (2010 is 2010/11)" in note and "since 2004" in note
        assert "cannot be checked" in note and "scored like other years" in note
        assert "by competition year (2015 is the 2015/16 competition year)" in ind.definition
