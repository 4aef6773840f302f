"""The atlas API documents the form of `neighbours` (not blank) and `ca` (a Combined Authority code or
nothing): schemathesis sent neighbours= and ca=%0ET%25, which the document allowed as any string and
the API rightly refused with a 400 naming the parameter."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _schema(client, path, name):
    operation = client.get("/api/v1/openapi.json").json()["paths"][path]["get"]
    schema = next(p for p in operation["parameters"] if p["name"] == name)["schema"]
    return next(s for s in schema.get("anyOf", [schema]) if s.get("type") == "string")


@pytest.mark.parametrize("value,documented", [("", False), (",,", False), (" , ", False),
                                              ("TLD34", True), ("tld34,TLD35", True)])
def test_neighbours_pattern_says_a_blank_list_is_refused(client, value, documented):
    assert bool(re.search(_schema(client, "/api/v1/areas/{code}/pathway", "neighbours")["pattern"],
                          value)) is documented
    response = client.get("/api/v1/areas/TLD33/pathway", {"neighbours": value})
    assert response.status_code == (200 if documented else 400), response.content
    if not documented:
        assert response.json()["detail"].startswith("neighbours: ")
    assert client.get("/api/v1/areas/TLD33/pathway").json()["neighbours_source"] == "computed"


@pytest.mark.parametrize("value,documented", [("", True), ("E47000001", True), ("e47000001", True),
                                              ("\x0eT%", False), ("TLD33", False), ("E470000011", False)])
def test_ca_pattern_is_the_form_the_view_reads(client, value, documented):
    assert bool(re.search(_schema(client, "/api/v1/opportunities", "ca")["pattern"], value)) is documented
    response = client.get("/api/v1/opportunities", {"ca": value, "limit": 1})
    assert response.status_code == (200 if documented else 400), response.content
    if not documented:
        assert response.json()["detail"].startswith("ca: ")
