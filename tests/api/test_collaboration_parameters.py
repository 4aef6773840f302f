"""An unknown organisation type is a 400 that names ``org_type`` and lists its values, which the OpenAPI
document lists too (schemathesis: GET /collaboration/organisations?org_type=Infinity answered
"Unknown organisation type 'Infinity'." without naming the parameter)."""

from __future__ import annotations

import pytest

from locus.collaboration.models import OrgType

pytestmark = pytest.mark.django_db


def test_an_unknown_org_type_is_a_400_naming_it(client):
    response = client.get("/api/v1/collaboration/organisations", {"org_type": "Infinity"})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("org_type: ") and "university" in body["detail"]
    assert body["errors"][0]["field"] == "org_type"


def test_org_type_lists_its_values_in_the_openapi(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/collaboration/organisations"]["get"]
    org_type = next(p for p in operation["parameters"] if p["name"] == "org_type")
    enums = [s["enum"] for s in org_type["schema"].get("anyOf", [org_type["schema"]]) if "enum" in s]
    assert enums == [list(OrgType.values)]
    for value in OrgType.values:
        assert client.get("/api/v1/collaboration/organisations", {"org_type": value}).status_code == 200


def test_an_unknown_network_dataset_names_the_parameter(client):
    """A 400 since d8adadc (a dataset that is not a network's is a bad query value, not a 404)."""
    response = client.get("/api/v1/collaboration/network/places", {"dataset": "no-such-dataset"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("dataset: ") and "no-such-dataset" in response.json()["detail"]
    assert response.json()["errors"][0]["field"] == "dataset"
