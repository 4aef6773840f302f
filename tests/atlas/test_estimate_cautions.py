"""Estimates whose publisher gives no interval for these areas (BRES, BERD, ONS regional GVA and
subregional productivity) carry a caution wherever their values appear, as the APS survey estimates do;
and a map of any cautioned indicator does not pretend its ranks are exact (a note on the map and above
the table, and each place's legend band in the table, the JSON, the map's info box and the download)."""

from __future__ import annotations

import csv
import io

import pytest
from markupsafe import escape

from locus.atlas import selectors as sel
from locus.atlas.mapdata import RANK_CAUTION, LegendClass, band_text, map_data_get, map_json

pytestmark = pytest.mark.django_db

GM = "E47000001"  # Greater Manchester (Combined Authority)
ESTIMATES = {  # indicator: the start of its caution
    "berd_per_head": "Survey estimate (ONS Business Enterprise Research and Development survey",
    "gva_per_head": "Modelled estimate (ONS regional gross value added, balanced)",
    "gva_per_hour": "Modelled estimate (ONS subregional productivity)",
    "lq_high_tech": "Survey estimate (Business Register and Employment Survey)",
}


def _csv(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("iid", sorted(ESTIMATES))
def test_each_estimate_carries_its_caution_on_pages_api_and_downloads(client, iid):
    caveats = sel.indicator_caveats(indicator_id=iid)
    caution = caveats["caution"]
    assert caution.startswith(ESTIMATES[iid]) and "so none is shown" in caution
    profile = client.get(f"/atlas/areas/{GM}/").content.decode()
    row = profile.split(f'data-indicator="{iid}"')[1].split("</tr>")[0]
    assert f"data-caution>{escape(caution)}</p>" in row
    assert f"<dt>Uncertainty</dt><dd>{escape(caveats['uncertainty'])}</dd>" in row
    mapped = client.get("/atlas/", {"measure": f"ind:{iid}", "level": "itl3"}).content.decode()
    assert f'id="map-caution">{escape(caution)}</p>' in mapped
    assert f"data-caution>{escape(caution)}</span>" in client.get(
        "/atlas/compare/", {"areas": f"{GM},E47000002"}).content.decode()
    api = {i["id"]: i for i in client.get("/api/v1/indicators").json()}[iid]["provenance"]
    assert api["caution"] == caution and api["uncertainty"] == caveats["uncertainty"]
    values = client.get(f"/api/v1/indicators/{iid}/values", {"level": "ca"}).json()["values"]
    assert values and {v["provenance"]["caution"] for v in values} == {caution}
    assert {r["note"] for r in _csv(client, f"/atlas/download/map.csv?measure=ind:{iid}&level=ca")} == {caution}
    own = [r for r in _csv(client, f"/atlas/download/indicator-values.csv?area={GM}") if r["indicator_id"] == iid]
    assert own and all(r["note"].startswith(caution) for r in own)
    catalogue = {r["indicator_id"]: r for r in _csv(client, "/atlas/download/indicators.csv")}
    assert catalogue[iid]["uncertainty"] == caveats["uncertainty"]


def test_the_employment_specialisation_says_bres_is_a_survey_estimate(client):
    caution = sel.source_caution(source_id="nomis_bres_2018")
    assert caution.startswith("Survey estimate (Business Register and Employment Survey)")
    assert sel.source_caution(source_id="no_such_input") == "" and sel.source_caution(source_id="ons_business_demography") == ""
    profile = client.get(f"/atlas/areas/{GM}/").content.decode()
    assert f'id="specialisation-caution" data-caution>{escape(caution)}</p>' in profile
    rows = _csv(client, f"/atlas/download/specialisation.csv?area={GM}")
    assert rows and {r["note"] for r in rows} == {caution}


def test_a_population_denominator_does_not_make_a_count_an_estimate(client):
    for iid in ("research_income_per_head", "innovate_uk_per_head", "enterprise_birth_rate"):
        assert sel.indicator_caveats(indicator_id=iid)["caution"] == "", iid
    page = client.get("/atlas/", {"measure": "ind:research_income_per_head", "level": "itl3"}).content.decode()
    assert 'id="map-caution"' not in page and 'id="rank-caution"' not in page


@pytest.mark.parametrize("iid", ["nvq4_share", "berd_per_head"])
def test_a_map_of_estimates_says_nearby_ranks_may_not_differ_and_gives_bands(client, iid):
    data = map_data_get(measure=f"ind:{iid}", level="itl3")
    assert data.rank_caution == RANK_CAUTION and len(data.classes) == 5
    ranked = sorted(data.with_data, key=lambda r: r.rank)
    assert ranked[0].band.startswith("1 of 5: ") and ranked[-1].band.startswith("5 of 5: ")
    assert all(r.band == "" for r in data.no_data)
    assert all(r.band.endswith(data.classes[r.cls].label) for r in data.with_data)
    # bands never invert the order: a better rank is never in a later band
    numbers = [int(r.band.split(" of ")[0]) for r in ranked]
    assert numbers == sorted(numbers)

    page = client.get("/atlas/", {"measure": f"ind:{iid}", "level": "itl3"}).content.decode()
    assert f'id="rank-caution">{escape(RANK_CAUTION)}</p>' in page
    inset = page.split('id="table-rank-caution">')[1].split("</div>")[0]
    assert "Ranks are not exact." in inset and escape(RANK_CAUTION) in inset
    table = page.split('id="map-table"')[1].split("</table>")[0]
    assert 'aria-describedby="table-rank-caution"' in page.split('id="map-table"')[0].rsplit("<table", 1)[1] + table[:200]
    assert '<th scope="col" class="govuk-table__header">Band</th>' in table
    top = table.split(f'<tr class="govuk-table__row" data-code="{ranked[0].code}">')[1].split("</tr>")[0]
    assert f'data-col="band">{escape(ranked[0].band)}</td>' in top

    payload = client.get("/atlas/map-data.json", {"measure": f"ind:{iid}", "level": "itl3"}).json()
    assert payload["rank_caution"] == RANK_CAUTION
    assert payload["values"][ranked[0].code]["band"] == ranked[0].band

    rows = _csv(client, f"/atlas/download/map.csv?measure=ind:{iid}&level=itl3")
    assert {r["area_code"]: r["band"] for r in rows}[ranked[0].code] == ranked[0].band


def test_a_map_of_counts_keeps_plain_ranks(client):
    data = map_data_get(measure="ind:research_income_per_head", level="itl3")
    assert data.rank_caution == "" and all(r.band == "" for r in data.rows)
    assert "rank_caution" in map_json(data) and map_json(data)["rank_caution"] == ""
    assert all("band" not in v for v in map_json(data)["values"].values())
    page = client.get("/atlas/", {"measure": "ind:research_income_per_head", "level": "itl3"}).content.decode()
    assert 'id="table-rank-caution"' not in page and ">Band</th>" not in page
    rows = _csv(client, "/atlas/download/map.csv?measure=ind:research_income_per_head&level=itl3")
    assert "band" not in rows[0]
    # a stage score map has no indicator caution either (its own uncertainty is the weak-link interval)
    assert map_data_get(measure="stage:research", level="itl3").rank_caution == ""


def test_the_xlsx_download_of_a_map_of_estimates_states_the_rank_caution(client):
    from openpyxl import load_workbook

    response = client.get("/atlas/download/map.xlsx", {"measure": "ind:nvq4_share", "level": "itl3"})
    about = dict(load_workbook(io.BytesIO(response.content))["about"].iter_rows(values_only=True))
    assert about["rank"].endswith(RANK_CAUTION) and about["rank"].startswith("Rank 1 is the highest value.")


def test_band_text_numbers_bands_from_the_one_holding_rank_1():
    legend = [LegendClass(f"class {i}", "#000", 1) for i in range(3)]
    assert band_text(2, legend) == "1 of 3: class 2"  # the highest values when rank 1 is the highest
    assert band_text(0, legend) == "3 of 3: class 0"
    assert band_text(0, legend, descending=False) == "1 of 3: class 0"  # lower is better: rank 1 is the lowest
    assert band_text(None, legend) == "" and band_text(1, []) == ""
