"""Downloads parse back to the same values in CSV, XLSX and GeoJSON; the bulk zip has everything."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from locus.atlas import models as m
from locus.atlas.mapdata import map_data_get

pytestmark = pytest.mark.django_db
MAP = "measure=ind:gva_per_hour&level=itl3&year=2022"


def _float(text):
    return None if text in ("", None) else float(text)


def test_map_csv_xlsx_and_geojson_hold_the_same_values_as_the_map(client):
    expected = {r.code: r.value for r in map_data_get(measure="ind:gva_per_hour", level="itl3", year=2022).rows}
    body = client.get(f"/atlas/download/map.csv?{MAP}").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {r["area_code"]: _float(r["value"]) for r in rows} == pytest.approx(expected)
    assert all(r["licence"] and r["source"] and r["vintage"] for r in rows)

    book = load_workbook(io.BytesIO(client.get(f"/atlas/download/map.xlsx?{MAP}").content), read_only=True)
    sheet = list(book["data"].iter_rows(values_only=True))
    header = list(sheet[0])
    got = {r[header.index("area_code")]: r[header.index("value")] for r in sheet[1:]}
    assert got == pytest.approx(expected)
    about = dict(r[:2] for r in book["about"].iter_rows(values_only=True))
    assert "attribution" in about and "licence" in about

    geo = json.loads(client.get(f"/atlas/download/map.geojson?{MAP}").content)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 179
    assert {f["properties"]["area_code"]: f["properties"]["value"] for f in geo["features"]} == pytest.approx(expected)
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in geo["features"])


def test_pathway_download_matches_the_stage_scores(client):
    rows = list(csv.DictReader(io.StringIO(client.get("/atlas/download/pathway.csv?area=E47000001").content.decode())))
    stored = {s.stage: s.score for s in m.StageScore.objects.filter(area_code="E47000001", level="ca", is_latest=True)}
    assert {r["stage"]: _float(r["score"]) for r in rows} == pytest.approx(stored)
    assert any(k.startswith("neighbour_") for k in rows[0])


def test_a_district_pathway_download_has_its_scores_and_the_reasons_for_the_others(client):
    rows = list(csv.DictReader(io.StringIO(client.get("/atlas/download/pathway.csv?area=E08000003").content.decode())))
    stored = {s.stage: s.score for s in m.StageScore.objects.filter(area_code="E08000003", level="lad", is_latest=True)}
    assert {r["stage"]: _float(r["score"]) for r in rows if r["score"]} == pytest.approx(stored)
    unscored = [r for r in rows if r["verdict"] == "not scored at this level"]
    assert len(unscored) == 4 and all("district rule" in r["not_scored_reason"] and not r["score"] for r in unscored)
    assert "/atlas/download/weak-links.csv?level=lad" in client.get("/atlas/downloads/").content.decode()
    links = list(csv.DictReader(io.StringIO(client.get("/atlas/download/weak-links.csv?level=lad").content.decode())))
    assert len(links) == m.WeakLink.objects.filter(level="lad").count() > 0
    assert {r["stage"] for r in links} == {"formation", "productivity"}


def test_weak_links_of_a_level_as_geojson(client):
    geo = json.loads(client.get("/atlas/download/weak-links.geojson?level=ca").content)
    assert len(geo["features"]) == m.WeakLink.objects.filter(level="ca").count()
    f = geo["features"][0]["properties"]
    assert f["gap_lo_95"] <= f["gap"] <= f["gap_hi_95"]


def test_infrastructure_as_point_geojson(client):
    geo = json.loads(client.get("/atlas/download/infrastructure.geojson?kind=university").content)
    located = [f for f in geo["features"] if f["geometry"]]
    assert located and all(f["geometry"]["type"] == "Point" for f in located)
    assert len(geo["features"]) == m.InfrastructureSite.objects.filter(kind="university").count()


@pytest.mark.parametrize("url", ["/atlas/download/nope.csv", "/atlas/download/indicators.geojson"])
def test_a_table_or_format_that_does_not_exist_is_404(client, url):
    """What the path names (the table, its format) is a missing page; a bad query parameter is a 400
    (tests/atlas/test_query_errors.py)."""
    assert client.get(url).status_code == 404


def test_bulk_zip_has_every_table_and_the_manifest(client, atlas_loaded):
    response = client.get("/atlas/download/atlas.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(archive.namelist())
    manifest = json.loads(archive.read("manifest.json"))
    for table, meta in manifest["tables"].items():
        assert f"parquet/{table}.parquet" in names and f"csv/{table}.csv" in names
        lines = archive.read(f"csv/{table}.csv").decode().count("\n")
        assert lines >= meta["rows"]  # header + rows (quoted values may hold newlines)
    assert "README.txt" in names and atlas_loaded.checksum[:12] in archive.read("README.txt").decode()


def _page_data_years(client, code: str) -> dict[str, str]:
    """{stage: data years} from the profile's stage-score table."""
    import re

    html = client.get(f"/atlas/areas/{code}/").content.decode()
    table = html[html.index('id="pathway-table"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r'data-stage="([a-z_]+)">.*?<td class="govuk-table__cell">([^<]*)</td></tr>', table, re.S)
    return {stage: ("" if years == "–" else years) for stage, years in rows}


@pytest.mark.parametrize("code", ["E47000007", "E47000001", "TLG31"])
def test_each_pathway_row_carries_its_own_stages_provenance_as_the_page_and_api_do(client, code):
    """The pathway download gave every stage the research stage's vintage (West Midlands: 2018-2019 on all
    six rows while productivity's data are 2022 and business formation's 2024). Each row now has its own
    stage's source, vintage, licence and method, the same as the API's and the page's data years, in CSV,
    XLSX and GeoJSON; the XLSX about sheet and the GeoJSON's provenance name each stage's vintage."""
    api = {s["stage"]: s for s in client.get(f"/api/v1/areas/{code}/pathway").json()["stages"]}
    page = _page_data_years(client, code)
    csv_rows = {r["stage"]: r for r in csv.DictReader(io.StringIO(
        client.get(f"/atlas/download/pathway.csv?area={code}").content.decode()))}
    assert set(csv_rows) == set(api) and len(api) == 6
    vintages = {s: a["provenance"]["vintage"] for s, a in api.items()}
    assert len(set(vintages.values())) > 1, vintages  # the stages' data years differ, so the test can fail
    for stage, a in api.items():
        assert {k: csv_rows[stage][k] for k in ("source", "vintage", "licence", "method")} == {
            k: a["provenance"][k] for k in ("source", "vintage", "licence", "method")}, stage
        assert csv_rows[stage]["vintage"] == a["data_years"] == page[stage], stage

    book = load_workbook(io.BytesIO(client.get(f"/atlas/download/pathway.xlsx?area={code}").content), read_only=True)
    sheet = list(book["data"].iter_rows(values_only=True))
    header = list(sheet[0])
    assert {r[header.index("stage")]: r[header.index("vintage")] for r in sheet[1:]} == vintages
    about = dict(r[:2] for r in book["about"].iter_rows(values_only=True))
    assert about["vintage"] != vintages["research"] and all(
        f"{a['title']} {vintages[s]}" in about["vintage"] for s, a in api.items())

    geo = json.loads(client.get(f"/atlas/download/pathway.geojson?area={code}").content)
    assert {f["properties"]["stage"]: f["properties"]["vintage"] for f in geo["features"]} == vintages
    assert geo["provenance"]["vintage"] == about["vintage"]


def test_weak_link_rows_carry_the_vintage_the_weak_links_api_gives_them(client):
    api = {(r["area_code"], r["stage"]): r["provenance"]["vintage"]
           for r in client.get("/api/v1/weak-links?level=ca").json()["links"]}
    rows = list(csv.DictReader(io.StringIO(client.get("/atlas/download/weak-links.csv?level=ca").content.decode())))
    assert rows and {(r["area_code"], r["stage"]): r["vintage"] for r in rows} == api
    assert all(r["vintage"] == r["data_years"] and r["data_years"].endswith(r["year"]) for r in rows)
