"""The OpenAPI document says what each parameter takes (H29 ST202: schemathesis sent values the
document allowed and the server rightly refused): a set fixed in code is an `enum` (rule-set ids, as
level, stage and layer already were); a set that comes from the loaded data (STIP instruments, themes
and countries, network and participant datasets, Combined Authorities) is listed in the parameter's
description as it is when the document is asked for. The server's own 400 messages are unchanged."""

from __future__ import annotations

import pytest

from locus.collaboration.network_data import network_dataset_keys
from locus.collaboration.rules.model import rule_set_list
from locus.policy.api import closed_lists

pytestmark = pytest.mark.django_db


def _parameter(spec, path, name, method="get"):
    return next(p for p in spec["paths"][path][method]["parameters"] if p["name"] == name)


def test_rule_set_ids_are_an_enum(client):
    spec = client.get("/api/v1/openapi.json").json()
    documented = _parameter(spec, "/api/v1/collaboration/rule-sets/{rule_set_id}", "rule_set_id")["schema"]["enum"]
    assert documented == [rs.id for rs in rule_set_list()] and documented
    assert client.get("/api/v1/collaboration/rule-sets/nope").status_code == 404  # still a 404


def test_data_driven_values_are_in_the_descriptions(client):
    spec = client.get("/api/v1/openapi.json").json()
    lists = closed_lists()
    for name in ("instrument", "theme", "country"):
        description = _parameter(spec, "/api/v1/policy/cases", name)["description"]
        assert "Values the server takes now" in description
        assert all(value in description for value in lists[name]), name
    dataset = _parameter(spec, "/api/v1/collaboration/network/places", "dataset")["description"]
    assert all(key in dataset for key in network_dataset_keys())
    assert "E47000001" in _parameter(spec, "/api/v1/opportunities", "ca")["description"]
    simulate = spec["components"]["schemas"]["SimulateIn"]["properties"]["datasets"]
    assert "Values the server takes now" in simulate["description"]


def test_the_servers_messages_are_unchanged(client):
    response = client.get("/api/v1/policy/cases", {"instrument": "PI000"})
    assert response.status_code == 400 and response.json()["detail"].startswith(
        "instrument: 'PI000' is not one of the values it takes: ")
