"""What an analyst reading the atlas pages needs beside each figure: sources by name, not only by id."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_an_indicators_source_is_named_by_its_title_with_the_manifest_id_beside_it(client):
    page = client.get("/atlas/areas/E47000001/").content.decode()
    prov = page.split("HE research income per head")[1].split("</dl>")[0]
    source = prov.split("<dt>Source</dt><dd>")[1].split("</dd>")[0]
    assert source.startswith("HE research income; Regional GVA(B) per head and income components")
    assert "(in the manifest: beis_research_income, ons_regional_gva)" in source
    data = client.get("/atlas/map-data.json", {"measure": "ind:research_income_per_head"}).json()
    assert data["provenance"]["titles"].startswith("HE research income; ")  # the map's info box reads it
    assert data["provenance"]["source"] == "beis_research_income, ons_regional_gva"  # ids unchanged


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
