"""The /api/v1/ geography endpoints and their OpenAPI description."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_lists_the_geography_endpoints(client):
    spec = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/areas", "/api/v1/areas/{code}", "/api/v1/areas/{code}/boundary",
                 "/api/v1/geocode"):
        assert path in spec["paths"], path


def test_interactive_docs_are_served_locally(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"cdn" not in response.content.lower()
    assert b'<html lang="en">' in response.content  # ninja's template declares no language (axe: html-has-lang)


@pytest.mark.parametrize("level,count", [("ca", 15), ("nation", 4), ("region", 9), ("itl1", 12),
                                         ("itl2", 41), ("itl3", 179), ("lad", 361)])
def test_areas_by_level(client, level, count):
    data = client.get("/api/v1/areas", {"level": level, "limit": 500}).json()
    assert len(data) == count and {a["level"] for a in data} == {level}


def test_areas_search(client):
    data = client.get("/api/v1/areas", {"q": "manchester"}).json()
    assert data[0]["code"] == "E08000003"
    assert "E47000001" in {a["code"] for a in data}


def test_unknown_level_is_a_400_with_a_message(client):
    response = client.get("/api/v1/areas", {"level": "county"})
    assert response.status_code == 400 and "level" in response.json()["detail"]


def test_area_detail_has_parents_children_and_provenance(client):
    data = client.get("/api/v1/areas/E47000001").json()
    assert data["name"] == "Greater Manchester" and len(data["members"]) == 10
    assert data["parents"][0]["code"] == "E92000001"
    assert data["provenance"]["population"]["licence"].startswith("Creative Commons")
    itl2 = client.get("/api/v1/areas/TLD3").json()
    assert {c["code"] for c in itl2["children"]} >= {"TLD33", "TLD34"}
    assert [p["level"] for p in itl2["parents"]] == ["itl1", "nation"]


def test_unknown_area_is_a_404_json(client):
    response = client.get("/api/v1/areas/ZZ123")
    assert response.status_code == 404 and "ZZ123" in response.json()["detail"]
    assert client.get("/api/v1/areas/ZZ123/boundary").status_code == 404


def test_boundary_is_a_geojson_feature(client):
    response = client.get("/api/v1/areas/E08000003/boundary")
    feature = response.json()
    assert response["Content-Type"] == "application/geo+json"
    assert feature["type"] == "Feature" and feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    west, south, east, north = feature["bbox"]
    assert -2.4 < west < east < -2.1 and 53.3 < south < north < 53.6


def test_geocode_returns_the_places_of_a_postcode(client):
    data = client.get("/api/v1/geocode", {"postcode": "sw1a1aa"}).json()
    assert data["postcode"] == "SW1A 1AA" and data["lad"]["code"] == "E09000033"
    assert data["region"]["code"] == "E12000007" and data["combined_authority"] is None
    assert data["provenance"]["vintage"] == "May 2025"


@pytest.mark.parametrize("postcode,status,reason", [("M1", 400, "malformed"),
                                                    ("not a postcode", 400, "malformed"),
                                                    ("B99 9ZZ", 404, "unknown")])
def test_bad_postcodes_get_4xx_with_a_reason(client, postcode, status, reason):
    response = client.get("/api/v1/geocode", {"postcode": postcode})
    assert response.status_code == status
    assert response.json()["reason"] == reason and response.json()["detail"]


def test_missing_parameter_is_a_400(client):
    response = client.get("/api/v1/geocode")
    assert response.status_code == 400 and "postcode" in response.json()["detail"]


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.json()["detail"]


@pytest.mark.parametrize("url, param", [
    ("/api/v1/areas?level=ca&level=lad", "level"),
    ("/api/v1/areas?q=leeds&q=york", "q"),
    ("/api/v1/geocode?postcode=M1%201AA&postcode=LS1%201AA", "postcode"),
])
def test_a_query_parameter_given_twice_is_a_400_naming_it(client, url, param):
    response = client.get(url)
    assert response.status_code == 400 and response.json()["detail"].startswith(f"{param}: given 2 times")


def test_an_invalid_query_value_is_400_and_an_unknown_code_in_the_path_is_404(client):
    bad_limit = client.get("/api/v1/areas", {"limit": "0"})
    assert bad_limit.status_code == 400 and bad_limit.json()["detail"].startswith("limit: ")
    unknown = client.get("/api/v1/areas/XX000000")
    assert unknown.status_code == 404 and "XX000000" in unknown.json()["detail"]


def test_the_geography_endpoints_document_their_errors(client):
    spec = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/areas", "/api/v1/areas/{code}", "/api/v1/areas/{code}/boundary", "/api/v1/geocode"):
        op = spec["paths"][path]["get"]
        assert "400" in op["responses"] and "400 when a query parameter's value is not valid" in op["description"]


def test_every_area_can_be_listed_page_by_page(client):
    """limit stops at 500 and there are 621 areas: without offset the last 121 could not be listed."""
    first = client.get("/api/v1/areas", {"limit": 500}).json()
    rest = client.get("/api/v1/areas", {"limit": 500, "offset": 500}).json()
    codes = [a["code"] for a in first + rest]
    assert len(codes) == len(set(codes)) == 621
    assert [a["code"] for a in client.get("/api/v1/areas", {"limit": 3, "offset": 2}).json()] == codes[2:5]
    response = client.get("/api/v1/areas", {"offset": -1})
    assert response.status_code == 400 and response.json()["detail"].startswith("offset")
