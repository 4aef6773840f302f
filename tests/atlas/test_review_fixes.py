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
