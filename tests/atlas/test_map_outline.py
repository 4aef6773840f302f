"""The nations' outline under a map of Combined Authorities: they cover part of England, and without the
country around them a phone showed shapes floating on grey."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import shape

pytestmark = pytest.mark.django_db


def test_the_outline_is_the_four_nations_simplified_small_and_valid(client):
    from locus.geography.models import Area

    response = client.get("/atlas/boundaries/outline.geojson")
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    assert len(response.content) < 120_000  # the full nations are 270 KB of text
    data = json.loads(response.content)
    assert {f["properties"]["name"] for f in data["features"]} == {"England", "Scotland", "Wales", "Northern Ireland"}
    for feature in data["features"]:
        simple = shape(feature["geometry"])
        full = shape(json.loads(Area.objects.get(code=feature["properties"]["code"]).boundary))
        assert simple.is_valid
        # the same land within a few per cent (islets under ~10 km² dropped, coast smoothed to ~1 km)
        assert simple.area == pytest.approx(full.area, rel=0.05)


def test_only_the_combined_authority_map_draws_the_outline_and_says_what_grey_is(client):
    ca = client.get("/atlas/", {"measure": "stage:research", "level": "ca"}).content.decode()
    assert 'data-outline-url="/atlas/boundaries/outline.geojson"' in ca
    assert "Land in grey lies outside the 15 Combined Authorities." in ca
    for level in ("itl3", "lad"):
        page = client.get("/atlas/", {"measure": "stage:research", "level": level}).content.decode()
        assert "data-outline-url" not in page and "Land in grey" not in page
