"""Every organisation the API lists names where its row comes from (H29 A6: the list had type_basis and
place_basis but no source, vintage or licence): the loaded datasets that name it, each with title,
publisher, vintage and licence, as the data page lists them."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_each_listed_organisation_names_its_sources(client):
    found = client.get("/api/v1/collaboration/organisations", {"q": "Cardiff University"}).json()
    assert found
    for org in found:
        assert org["sources"], org["name"]
        for source in org["sources"]:
            assert set(source) == {"dataset", "source", "publisher", "vintage", "licence"}
            assert all(source.values()), source
    one = client.get(f"/api/v1/collaboration/organisations/{found[0]['id']}").json()
    assert one["sources"] == found[0]["sources"]  # the detail carries the same


def test_the_sources_are_the_datasets_that_name_it(client):
    from locus.collaboration.models import OrganisationAlias

    org = client.get("/api/v1/collaboration/organisations", {"q": "Swansea University"}).json()[0]
    keys = set(OrganisationAlias.objects.filter(organisation_id=org["id"])
               .values_list("dataset__key", flat=True))
    assert {s["dataset"] for s in org["sources"]} - {"postcodes"} == keys
