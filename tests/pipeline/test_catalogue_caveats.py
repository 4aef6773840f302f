"""The catalogue's publisher per input, the APS indicators' uncertainty, and Horizon 2020's notes on
its partial first and last years, whose figures must match the bundled file."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from locus.pipeline.catalogue import INDICATORS, catalogue_markdown, catalogue_rows, indicator_get
from locus.pipeline.sources import source_get

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
    assert noted == {"nvq4_share", "stem_professionals_per_1000"}  # the two APS indicators
    text = indicator_get(indicator_id="nvq4_share").uncertainty
    assert text.startswith("Survey estimate (Annual Population Survey)") and "95% confidence interval" in text
    assert "carry the estimate only, so none is shown" in text
    rows = {r["indicator_id"]: r for r in catalogue_rows()}
    assert rows["nvq4_share"]["uncertainty"] == text and rows["gva_per_hour"]["uncertainty"] == ""
    assert f"| uncertainty | {text} |" in catalogue_markdown()


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
