"""GET /api/v1/policy/cases: a value outside a closed list (stage, level, layer, instrument,
theme, country), blank included, is a 400 naming the parameter and listing what it accepts (it was
"Unknown filter value 'zzz'." without the parameter, and an unknown instrument was an empty 200);
a single-valued parameter given twice is a 400 naming it (min_rating=1&min_rating=2 took the
last); the OpenAPI documents the 400."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy_library")]
URL = "/api/v1/policy/cases"


@pytest.mark.parametrize("query,name,allowed", [
    ("layer=zzz", "layer", "local, stip"), ("layer=", "layer", "local, stip"),
    ("level=", "level", "city_region"), ("level=zzz", "level", "nation"),
    ("stage=", "stage", "productivity"), ("stage=moon", "stage", "research"),
    ("instrument=zzz", "instrument", "PI006"), ("instrument=PI999", "instrument", "PI033"),
    ("theme=TH0", "theme", "TH99"), ("stage=research&stage=moon", "stage", "formation"),
    ("country=Narnia", "country", "United Kingdom"), ("country=", "country", "Wales"),
    ("country=Japan&country=Atlantis", "country", "Scotland"),
])
def test_an_unknown_value_of_a_closed_list_is_a_400_naming_the_parameter(client, query, name,
                                                                          allowed):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    assert detail.startswith(f"{name}:") and allowed in detail, detail
    assert len(detail) < 1000


@pytest.mark.parametrize("query,name", [
    ("min_rating=1&min_rating=2", "min_rating"), ("q=peer&q=network", "q"),
    ("limit=10&limit=20", "limit"), ("offset=0&offset=20", "offset"),
    ("match=all&match=any", "match"),
])
def test_a_single_valued_parameter_given_twice_is_a_400_naming_it(client, query, name):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response.json()["detail"].startswith(f"{name}: given 2 times")


def test_known_values_and_repeated_list_parameters_still_filter(client):
    both = client.get(f"{URL}?layer=local&layer=stip&instrument=PI006&limit=5")
    assert both.status_code == 200 and both.json()["total"] > 0
    assert client.get(f"{URL}?stage=research&stage=formation&level=nation").status_code == 200


def test_country_takes_the_uk_nations_and_the_countries_the_library_holds(client):
    uk = client.get(f"{URL}?country=United%20Kingdom&layer=local")
    assert uk.status_code == 200 and uk.json()["total"] > 0
    assert {r["country"] for r in uk.json()["results"]} == {"United Kingdom"}
    for nation in ("England", "Scotland", "Wales", "Northern%20Ireland"):
        assert client.get(f"{URL}?country={nation}").status_code == 200, nation
    japan = client.get(f"{URL}?country=Japan")
    assert japan.status_code == 200 and japan.json()["total"] > 0


def test_an_offset_that_is_not_a_multiple_of_limit_is_taken(client):
    """It was a 400 ("offset: must be a multiple of limit"); any offset from 0 is taken now (the
    slices are checked in test_api_offset_sources.py)."""
    response = client.get(f"{URL}?limit=20&offset=5")
    assert response.status_code == 200 and response.json()["offset"] == 5


def test_the_openapi_documents_the_400_and_the_rule(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"][URL]["get"]
    assert "400" in operation["responses"]
    assert "given twice" in operation["description"]


def test_a_long_unknown_value_is_shortened_in_the_message(client):
    response = client.get(URL, {"layer": "z" * 5000})
    assert response.status_code == 400 and len(response.json()["detail"]) < 200


@pytest.mark.parametrize("name", ["stage", "level", "layer"])
def test_the_openapi_lists_the_values_of_the_fixed_lists(client, name):
    """schemathesis sent level= (the document allowed any string), rightly a 400: the document now lists
    the values, and the API accepts each of them and nothing else."""
    operation = client.get("/api/v1/openapi.json").json()["paths"][URL]["get"]
    documented = next(p for p in operation["parameters"] if p["name"] == name)["schema"]["items"]["enum"]
    assert documented and "" not in documented
    for value in documented:
        assert client.get(URL, {name: value}).status_code == 200, value
    assert client.get(URL, {name: "zzz"}).status_code == 400


@pytest.mark.parametrize("name", ["instrument", "theme", "country"])
def test_the_openapi_gives_the_form_of_the_loaded_lists(client, name):
    """schemathesis sent instrument= (blank), allowed by the document and rightly a 400."""
    import re

    from locus.policy.api import closed_lists

    operation = client.get("/api/v1/openapi.json").json()["paths"][URL]["get"]
    pattern = next(p for p in operation["parameters"] if p["name"] == name)["schema"]["items"]["pattern"]
    values = closed_lists()[name]
    assert values and all(re.search(pattern, v) for v in values)
    assert not re.search(pattern, "") and client.get(URL, {name: ""}).status_code == 400
