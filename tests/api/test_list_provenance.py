"""Figures in lists carry their provenance as the detail endpoints do (H29 A6): each area of
GET /areas names the source, vintage and licence of its population and land area, and a boundary gives
its vintage (the LAD polygons') and the lookup that names its members."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_each_listed_area_carries_the_provenance_of_its_figures(client):
    areas = client.get("/api/v1/areas", {"level": "ca", "limit": 3}).json()
    detail = client.get(f"/api/v1/areas/{areas[0]['code']}").json()
    for area in areas:
        assert area["population"] and area["land_km2"]  # the shape is as before, with provenance added
        assert area["provenance"] == {k: detail["provenance"][k] for k in ("population", "land_area")}
    assert areas[0]["provenance"]["land_area"]["vintage"] == "December 2023"
    assert areas[0]["provenance"]["population"]["licence"].startswith("Creative Commons")
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "provenance" in schema["AreaListItem"]["properties"]


@pytest.mark.parametrize("code,membership", [("E47000001", "May 2025"), ("TLD3", "ITL January 2021, LAD April 2023"),
                                             ("E08000003", None)])
def test_a_boundary_gives_its_vintage_and_provenance(client, code, membership):
    properties = client.get(f"/api/v1/areas/{code}/boundary").json()["properties"]
    assert properties["vintage"] == "December 2023"
    assert properties["provenance"]["boundary"]["vintage"] == "December 2023"
    assert properties["provenance"].get("membership", {}).get("vintage") == membership
    detail = client.get(f"/api/v1/areas/{code}").json()["provenance"]
    assert detail["boundary"] == properties["provenance"]["boundary"]
    assert detail.get("membership") == properties["provenance"].get("membership")
