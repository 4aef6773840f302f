"""What an analyst reading the atlas pages needs beside each figure: sources by name, not only by id."""

from __future__ import annotations

from html import escape

import pytest

pytestmark = pytest.mark.django_db


def test_an_indicators_source_is_named_by_its_title_with_the_manifest_id_beside_it(client):
    page = client.get("/atlas/areas/E47000001/").content.decode()
    prov = page.split("HE research income per head")[1].split("</dl>")[0]
    sources = prov.split("<dt>Sources</dt><dd>")[1].split("</dd>")[0]
    assert sources.index("HE research income</span>") < sources.index("Regional GVA(B) per head and income components")
    assert "(in the manifest: beis_research_income)" in sources and "(in the manifest: ons_regional_gva)" in sources
    data = client.get("/atlas/map-data.json", {"measure": "ind:research_income_per_head"}).json()
    assert data["provenance"]["titles"].startswith("HE research income (2015-2018); ")  # the map's info box reads it
    assert data["provenance"]["source"] == "beis_research_income, ons_regional_gva"  # ids unchanged
    single = client.get("/atlas/areas/E47000001/").content.decode().split("GVA per hour worked")[1].split("</dl>")[0]
    assert "<dt>Source</dt><dd>Subregional productivity" in single and "<dt>Vintage</dt><dd>2004-2022</dd>" in single


def _li(block: str, title: str) -> str:
    return block.split(f'<span class="locus-prov-title">{title}</span>')[1].split("</li>")[0]


def test_each_inputs_vintage_and_licence_sit_beside_its_own_title_on_the_profile(client, atlas_loaded):
    """HE research income per head is HESA's income (2015-2018) over ONS's population (1998-2022): the
    profile's Source box once read "Vintage 2015-2018; 1998-2022" without saying which was which."""
    inputs = {i["id"]: i for i in atlas_loaded.manifest["inputs"]}
    hesa, ons = inputs["beis_research_income"], inputs["ons_regional_gva"]
    assert hesa["vintage"] != ons["vintage"]
    page = client.get("/atlas/areas/E47000001/").content.decode()
    prov = page.split("HE research income per head")[1].split("</dl>")[0]
    assert f"<dd>{hesa['vintage']}; {ons['vintage']}</dd>" not in prov  # the bare join is gone
    for src in (hesa, ons):
        li = _li(prov, src["title"])
        assert f"vintage {src['vintage']};" in li and f"licence {src['licence']}" in li and escape(src["publisher"]) in li
    # four inputs, two vintages (contract research 2014-2018, research income 2015-2018)
    block = page.split("Contract research income per £100 of research income")[1].split("</dl>")[0]
    assert "vintage 2014-2018;" in _li(block, inputs["beis_contract_sme"]["title"])
    assert "vintage 2015-2018;" in _li(block, hesa["title"])


def test_the_maps_source_line_and_the_api_name_each_inputs_vintage(client, atlas_loaded):
    inputs = {i["id"]: i for i in atlas_loaded.manifest["inputs"]}
    hesa, ons = inputs["beis_research_income"], inputs["ons_regional_gva"]
    data = client.get("/atlas/map-data.json", {"measure": "ind:research_income_per_head"}).json()
    prov = data["provenance"]
    # the info box and the keyboard announcement read "Sources: " + cited (atlas-map.js sourceText)
    assert prov["cited"] == (f"{hesa['title']} ({hesa['publisher']}), {hesa['vintage']}, licence {hesa['licence']}. "
                             f"{ons['title']} ({ons['publisher']}), {ons['vintage']}, licence {ons['licence']}.")
    assert prov["vintage"] == f"{hesa['title']}: {hesa['vintage']}; {ons['title']}: {ons['vintage']}"
    assert [s["id"] for s in prov["sources"]] == ["beis_research_income", "ons_regional_gva"]
    page = client.get("/atlas/", {"measure": "ind:research_income_per_head"}).content.decode()
    box = page.split('id="map-info"')[1].split("</dl>")[0]  # the map's Source box
    assert f"vintage {hesa['vintage']};" in _li(box, hesa["title"]) and f"vintage {ons['vintage']};" in _li(box, ons["title"])
    api = client.get("/api/v1/indicators/research_income_per_head/values", {"level": "ca"}).json()
    assert api["values"][0]["provenance"]["vintage"] == prov["vintage"]
    catalogue = {i["id"]: i for i in client.get("/api/v1/indicators").json()}
    assert catalogue["research_income_per_head"]["provenance"]["vintage"] == prov["vintage"]
    # one input: its vintage as published, with no title in front
    gva = client.get("/atlas/map-data.json", {"measure": "ind:gva_per_hour"}).json()["provenance"]
    assert gva["vintage"] == inputs["ons_productivity"]["vintage"] and gva["cited"].endswith(
        f", {inputs['ons_productivity']['vintage']}, licence {inputs['ons_productivity']['licence']}.")
    js = (__import__("pathlib").Path(__file__).resolve().parents[2] / "locus/static/locus/atlas-map.js").read_text()
    assert '"Sources: " : "Source: ") + p.cited' in js


def test_compare_the_pack_and_the_downloads_name_each_inputs_vintage(client, atlas_loaded):
    import csv
    import io

    inputs = {i["id"]: i for i in atlas_loaded.manifest["inputs"]}
    hesa, ons = inputs["beis_research_income"], inputs["ons_regional_gva"]
    labelled = f"{hesa['title']}: {hesa['vintage']}; {ons['title']}: {ons['vintage']}"
    cited = f"{hesa['title']} ({hesa['publisher']}), {hesa['vintage']}, licence {hesa['licence']}."
    page = client.get("/atlas/compare/", {"areas": "E47000001,E47000002"}).content.decode()
    row = page.split("HE research income per head<br>")[1].split("</th>")[0]
    assert "Sources: " in row and escape(cited) in row and f"{hesa['vintage']}; {ons['vintage']}" not in row
    pack = client.get("/atlas/areas/E47000001/evidence-pack.html").content.decode()
    caption = pack.split("HE research income per head (")[1].split("</figcaption>")[0]
    assert escape(cited) in caption and f"{ons['title']} ({ons['publisher']}), {ons['vintage']}" in caption
    for url, key in (("/atlas/download/indicators.csv", "indicator_id"),
                     ("/atlas/download/indicator-values.csv?area=E47000001", "indicator_id"),
                     ("/atlas/download/compare.csv?areas=E47000001,E47000002", "indicator_id"),
                     ("/atlas/download/map.csv?measure=ind:research_income_per_head&level=ca", "measure")):
        rows = list(csv.DictReader(io.StringIO(client.get(url).content.decode())))
        mine = [r for r in rows if r[key] in ("research_income_per_head", "ind:research_income_per_head")]
        assert mine and all(r["vintage"] == labelled for r in mine), url


def test_the_downloads_page_lists_each_tables_parameters(client):
    from locus.atlas.downloads import DOWNLOAD_PARAMS, DOWNLOADS

    assert set(DOWNLOAD_PARAMS) == set(DOWNLOADS)  # a new table must say what it takes
    page = client.get("/atlas/downloads/").content.decode()
    rows = page.split('id="download-tables"')[1].split("</dl>")[0]
    map_row = rows.split("<code>map</code>")[1].split("</dd>")[0]
    assert all(f"<code>{p}</code>" in map_row for p in ("measure", "level", "year"))
    assert "<code>kind</code>: university, makerspace, catapult" in rows
    assert "<code>areas</code>: 2 to 6 comma-separated area codes" in rows
    assert "(HTTP 400)" in page
    for table, params in DOWNLOAD_PARAMS.items():  # each parameter named is one the table reads
        for p in params:
            name = p.split(": ")[0]
            url = f"/atlas/download/{table}.csv?{name}=%3Fnot-a-value"
            response = client.get(url)
            assert response.status_code == 400 and response.json()["detail"].startswith(f"{name}: "), url


@pytest.mark.parametrize("code, pathway, opportunities", [
    ("K02000001", "Pathway: not scored for the United Kingdom", "Investment opportunities across the United Kingdom"),
    ("TLD", "Pathway: not scored for ITL1 regions", "Investment opportunities in or near North West (England)"),
    ("E47000001", "Pathway against its neighbours and the national median",
     "Investment opportunities in or near Greater Manchester"),
])
def test_an_unscored_profile_does_not_promise_a_pathway_chart(client, code, pathway, opportunities):
    page = client.get(f"/atlas/areas/{code}/").content.decode()
    assert f'id="pathway-heading">{pathway}</h2>' in page
    assert f'id="opp-heading">{opportunities}</h2>' in page


def test_compared_places_of_the_same_name_are_told_apart_by_their_level(client):
    page = client.get("/atlas/compare/", {"areas": "E47000001,TLD33,E08000003"}).content.decode()
    both = "Greater Manchester, Manchester (ITL3 area), Manchester (local authority district)"
    assert f"<title>Compare {both} – Locus" in page
    assert f'id="compare-heading" tabindex="-1">{both}</h2>' in page and f"Comparing {both}:" in page
    head = page.split('id="compare-indicators"')[1].split("</thead>")[0]
    assert ">Manchester (ITL3 area)</th>" in head and ">Manchester (local authority district)</th>" in head
    assert f"<title>Pathway stage scores of {both}</title>" in page  # the chart's name too
    plain = client.get("/atlas/compare/", {"areas": "E47000001,E47000002"}).content.decode()
    assert "Compare Greater Manchester, South Yorkshire – Locus" in plain  # no level where names differ


def test_the_infrastructure_list_and_a_site_name_the_district_not_only_its_code(client):
    from locus.atlas.models import InfrastructureSite

    page = client.get("/atlas/infrastructure/", {"kind": "makerspace"}).content.decode()
    row = page.split(">Access space<")[1].split("</tr>")[0]
    assert '<a class="govuk-link" href="/atlas/areas/E08000019/">Sheffield</a> <span class="locus-source">E08000019</span>' in row
    site = InfrastructureSite.objects.get(name="Access space")
    detail = client.get(f"/atlas/infrastructure/{site.pk}/").content.decode()
    assert ">Sheffield</a> <span class=\"locus-source\">E08000019</span>" in detail


def test_specialisation_and_compares_stage_scores_name_source_vintage_and_licence(client, atlas_loaded):
    """The profile's specialisation line said "(OGL v3.0)" for a file Nesta processed (MIT as well,
    as the manifest records), and compare's stage scores named no build, vintage or licence."""
    import csv
    import io

    bres = next(i for i in atlas_loaded.manifest["inputs"] if i["id"] == "nomis_bres_2018")
    page = client.get("/atlas/areas/TLD33/").content.decode()
    line = page.split('id="specialisation-source">')[1].split("</p>")[0]
    assert all(escape(bres[k]) in line for k in ("title", "publisher", "vintage", "licence")), line
    assert "MIT (Nesta 2021)" in line
    rows = list(csv.DictReader(io.StringIO(client.get("/atlas/download/specialisation.csv?area=TLD33").content.decode())))
    assert rows and all(r["licence"] == bres["licence"] and r["vintage"] == bres["vintage"] for r in rows)
    compare = client.get("/atlas/compare/", {"areas": "E47000001,E47000002"}).content.decode()
    note = compare.split('id="compare-sources">')[1].split("</p>")[0]
    assert f"Locus atlas build {atlas_loaded.checksum[:12]}" in note and 'href="/atlas/manifest' in note
