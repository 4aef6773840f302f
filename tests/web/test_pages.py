"""The web shell and the Places pages, through Django's test client."""

from __future__ import annotations

import json

import pytest

from locus.geography.sources import GEO_SOURCES

pytestmark = pytest.mark.django_db


def test_home_explains_the_four_measures(client):
    page = client.get("/").content.decode()
    for title in ("Atlas", "Peer networks", "Collaboration", "Policy learning"):
        assert title in page
    assert "The Productivity Institute (2024)" in page
    assert "GOV.UK" not in page.replace("GOV.UK Design System", "")  # used off GOV.UK
    assert "govuk-header__logotype" not in page  # no crown


def test_pages_set_no_cookies_for_visitors(client):
    for path in ("/", "/places/", "/places/E47000001/", "/data-sources/"):
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies, path


def test_data_sources_lists_every_bundled_dataset(client):
    page = client.get("/data-sources/").content.decode()
    for source in GEO_SOURCES:
        assert source.title in page and source.licence in page


def test_search_by_name_lists_matching_places(client):
    page = client.get("/places/", {"q": "Manchester"}).content.decode()
    assert "Greater Manchester" in page and "/places/E47000001/" in page
    assert page.index(">Manchester<span") < page.index(">Greater Manchester<span")  # exact first


def test_search_by_code_redirects_to_the_area(client):
    response = client.get("/places/", {"q": "e47000001"})
    assert response.status_code == 302 and response["Location"] == "/places/E47000001/"


def test_search_by_postcode_shows_its_places(client):
    page = client.get("/places/", {"q": "m1 1aa"}).content.decode()
    assert "M1 1AA" in page and "/places/E08000003/" in page and "/places/E47000001/" in page


@pytest.mark.parametrize("query,message", [
    ("M1 1A", "not a valid UK postcode"),
    ("B99 9ZZ", "not in the postcode table"),
])
def test_bad_postcodes_get_a_govuk_error_message(client, query, message):
    page = client.get("/places/", {"q": query}).content.decode()
    assert "govuk-error-summary" in page and "govuk-error-message" in page
    assert message in page
    assert "<title>Error:" in page


def test_unknown_code_gets_a_404_page_with_the_search_box(client):
    response = client.get("/places/XX000000/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page and 'name="q"' in page and "XX000000" in page


def test_ca_page_shows_members_hierarchy_neighbours_and_provenance(client):
    page = client.get("/places/E47000001/").content.decode()
    assert "10 local authority districts" in page
    for name in ("Bolton", "Wigan", "Salford", "Trafford"):
        assert name in page
    assert "mySociety" in page and "Standard Area Measurements" in page
    assert "Liverpool City Region" in page  # a neighbouring CA
    assert "<noscript><svg" in page  # a map without JavaScript


def test_lad_page_shows_its_chain_and_memberships(client):
    page = client.get("/places/E08000003/").content.decode()
    for parent in ("TLD33", "TLD3", "TLD", "E92000001", "E47000001", "E12000002"):
        assert f"/places/{parent}/" in page


def test_split_lad_shows_its_shares(client):
    page = client.get("/places/E06000064/").content.decode()  # Westmorland and Furness
    assert "West Cumbria" in page and "East Cumbria" in page and "% of this district" in page


def test_boundary_download_is_geojson(client):
    response = client.get("/places/E47000001/boundary.geojson")
    data = json.loads(response.content)
    assert response["Content-Type"] == "application/geo+json"
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 11
    assert data["features"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def test_favicon_ico_points_at_the_icon(client):
    """Pages that name no icon (JSON, the printable evidence pack) make browsers ask for it."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and "favicon" in response["Location"] and response["Location"].endswith(".svg")
    assert not response.cookies
