"""Every place that gives an indicator's licence names each input's licence against that input."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.utils.html import escape
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def _per_input(atlas_loaded, *ids):
    inputs = {i["id"]: i for i in atlas_loaded.manifest["inputs"]}
    return " ".join(f"{inputs[i]['title']}: {inputs[i]['licence']}." for i in ids)


def test_csv_downloads_name_each_inputs_licence_beside_its_title(client, atlas_loaded):
    labelled = _per_input(atlas_loaded, "beis_research_income", "ons_regional_gva")
    assert labelled.startswith("HE research income: CC BY 4.0 (HESA)")
    for url, key in (("/atlas/download/indicators.csv", "indicator_id"),
                     ("/atlas/download/indicator-values.csv?area=E47000001", "indicator_id"),
                     ("/atlas/download/compare.csv?areas=E47000001,E47000002", "indicator_id"),
                     ("/atlas/download/map.csv?measure=ind:research_income_per_head&level=ca", "measure")):
        rows = list(csv.DictReader(io.StringIO(client.get(url).content.decode())))
        mine = [r for r in rows if r[key] in ("research_income_per_head", "ind:research_income_per_head")]
        assert mine and all(r["licence"] == labelled for r in mine), url
        gva = [r for r in rows if r[key] in ("gva_per_hour", "ind:gva_per_hour")]
        assert all(r["licence"] == "Open Government Licence v3.0" for r in gva), url  # one input: no title


def test_xlsx_and_geojson_carry_the_per_input_licence_and_each_inputs_own(client, atlas_loaded):
    labelled = _per_input(atlas_loaded, "beis_research_income", "ons_regional_gva")
    query = "measure=ind:research_income_per_head&level=ca"
    book = load_workbook(io.BytesIO(client.get(f"/atlas/download/map.xlsx?{query}").content), read_only=True)
    about = dict(r[:2] for r in book["about"].iter_rows(values_only=True))
    assert about["licence"] == labelled
    geo = json.loads(client.get(f"/atlas/download/map.geojson?{query}").content)
    assert geo["provenance"]["licence"] == labelled
    # machine-readable: each input with its own licence
    assert [(s["id"], s["licence"]) for s in geo["provenance"]["sources"]] == [
        (i["id"], i["licence"]) for i in atlas_loaded.manifest["inputs"]
        if i["id"] in ("beis_research_income", "ons_regional_gva")]


def test_the_profile_gives_a_single_inputs_licence_and_no_unattributed_list(client, atlas_loaded):
    page = client.get("/atlas/areas/E47000001/").content.decode()
    box = page.split("GVA per hour worked")[1].split("</dl>")[0]
    assert "<dt>Licence</dt><dd>Open Government Licence v3.0</dd>" in box
    per_head = page.split("HE research income per head")[1].split("</dl>")[0]
    assert "<dt>Licence</dt>" not in per_head  # two inputs: each licence sits in its input's line
    for i in atlas_loaded.manifest["inputs"]:
        if i["id"] in ("beis_research_income", "ons_regional_gva"):
            line = per_head.split(f'<span class="locus-prov-title">{escape(i["title"])}</span>')[1].split("</li>")[0]
            assert f"licence {escape(i['licence'])}" in line
    assert "underlying data as stated by the publisher" not in page
