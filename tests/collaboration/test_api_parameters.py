"""Collaboration API parameters against what the OpenAPI document says (schemathesis, 29 November 2026):
rule_set lists the rule sets, a blank org_type and a JSON boolean k are refused, organisations take a
limit, the simulator names an unknown dataset or a filter that leaves nobody, and network metrics carry
their source, vintage and licence. Uses the bundled collaboration data (this folder's conftest)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


def _post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_a_blank_org_type_is_a_400_naming_it(client):
    """schemathesis: org_type= (blank), outside the documented enum, listed every organisation."""
    response = client.get("/api/v1/collaboration/organisations", {"org_type": ""})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("org_type: ") and "university" in response.json()["detail"]


def test_organisations_take_a_limit_like_areas(client):
    assert len(client.get("/api/v1/collaboration/organisations", {"limit": 2}).json()) == 2
    assert len(client.get("/api/v1/collaboration/organisations", {"limit": 120}).json()) == 120
    assert len(client.get("/api/v1/collaboration/organisations").json()) == 50
    for bad in (0, 501):
        response = client.get("/api/v1/collaboration/organisations", {"limit": bad})
        assert response.status_code == 400 and response.json()["detail"].startswith("limit: ")


@pytest.mark.parametrize("path,body", [
    ("/api/v1/collaboration/check", {"participants": []}),
    ("/api/v1/collaboration/simulate", {})])
def test_rule_set_lists_the_rule_sets_in_the_openapi(client, path, body):
    """schemathesis sent rule_set "" (the document allowed any string) and got the rightful 400."""
    from locus.collaboration.rules.model import rule_set_list

    spec = client.get("/api/v1/openapi.json").json()
    ref = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    documented = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]["rule_set"]["enum"]
    assert documented == [rs.id for rs in rule_set_list()]
    response = _post(client, path, {"rule_set": "", **body})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "rule_set" and "innovate-uk-crd" in response.json()["detail"]


@pytest.mark.parametrize("k", [False, True, 0, 51, "5"])
def test_partners_k_is_a_whole_number_from_1_to_50(client, k):
    """schemathesis: k=false was read as 0 and quietly raised to 1; 500 was quietly cut to 50."""
    response = _post(client, "/api/v1/collaboration/partners", {"description": "climate science", "k": k})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "k"


def test_partners_k_bounds_are_documented(client):
    k = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["PartnersIn"]["properties"]["k"]
    assert (k["minimum"], k["maximum"]) == (1, 50)
    body = _post(client, "/api/v1/collaboration/partners", {"description": "climate science", "k": 50}).json()
    assert 0 < len(body["suggestions"]) <= 50


def test_simulate_names_an_unknown_dataset_and_a_filter_that_leaves_nobody(client, tmp_path):
    """An unknown dataset key, or a year with no grants, said "No participant-level data is loaded"."""
    from locus.collaboration.services import innovate_uk_import
    from tests.collaboration.fixtures.innovate_uk import write_workbook

    innovate_uk_import(path=write_workbook(tmp_path / "iuk.xlsx"))
    unknown = _post(client, "/api/v1/collaboration/simulate", {"rule_set": "apc", "datasets": ["nope"]})
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "datasets"
    assert "'nope'" in unknown.json()["detail"]
    empty = _post(client, "/api/v1/collaboration/simulate", {"rule_set": "apc", "year_from": 2099})
    assert empty.status_code == 422
    assert "year_from 2099" in empty.json()["detail"] and "not loaded" not in empty.json()["detail"]
    assert "Innovate UK" in empty.json()["detail"]  # the funders the data hold


def test_network_metrics_carry_source_vintage_and_licence(client):
    rows = client.get("/api/v1/collaboration/network/places").json()
    assert rows and all(r["provenance"]["licence"] and r["provenance"]["vintage"] for r in rows)
    assert rows[0]["provenance"]["dataset"] == "wales-network-2017"
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "provenance" in schemas["PlaceMetricsOut"]["required"]


@pytest.mark.parametrize("body,field", [
    ({"organisation_id": True}, "organisation_id"),
    ({"description": "climate science", "partner_ids": [False]}, "partner_ids[0]"),
    ({"description": "climate science", "partner_ids": [1, True]}, "partner_ids[1]"),
])
def test_partner_ids_are_whole_numbers_not_booleans(client, body, field):
    """schemathesis: partner_ids [false] was read as id 0 and the request answered as if it were empty."""
    response = _post(client, "/api/v1/collaboration/partners", body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


@pytest.mark.parametrize("change,field,documented", [
    ({"name": ""}, "name", False), ({"name": "   "}, "name", False), ({"name": "Acme Research"}, "name", True),
    ({"eligible_costs": -1}, "eligible_costs", False), ({"eligible_costs": 0}, "eligible_costs", True)])
def test_participant_name_and_costs_are_documented_as_checked(client, change, field, documented):
    """schemathesis sent a blank name, allowed by the document and rightly refused with a 400."""
    import re

    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    prop = schemas["ParticipantIn"]["properties"][field]
    value = change[field]
    assert (bool(re.search(prop["pattern"], value)) if field == "name" else value >= prop["minimum"]) is documented
    lead = {"name": "Acme", "role": "lead", "organisation_type": "business", "size": "small", "eligible_costs": 10}
    partner = {"name": "Cardiff University", "role": "partner", "organisation_type": "research",
               "eligible_costs": 10} | change
    response = _post(client, "/api/v1/collaboration/check", {"rule_set": "innovate-uk-crd",
                                                             "participants": [lead, partner]})
    assert response.status_code == (200 if documented else 400), response.content
    if not documented:
        assert response.json()["errors"][0]["field"] == f"participants[1].{field}"


def test_a_consortium_of_nobody_and_money_given_as_true_are_refused_as_documented(client):
    """schemathesis: participants [] (allowed by the document) was rightly a 400; grant_requested true
    (outside the document) was read as £1."""
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schemas["CheckIn"]["properties"]["participants"]["minItems"] == 1
    empty = _post(client, "/api/v1/collaboration/check", {"rule_set": "apc", "participants": []})
    assert empty.status_code == 400 and empty.json()["errors"][0]["field"] == "participants"
    lead = {"name": "Acme", "role": "lead", "organisation_type": "business", "size": "small", "eligible_costs": 10}
    for field in ("grant_requested", "eligible_costs"):
        response = _post(client, "/api/v1/collaboration/check",
                         {"rule_set": "apc", "participants": [lead | {field: True}]})
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == f"participants[0].{field}"
        assert "not true or false" in response.json()["detail"]
    as_text = _post(client, "/api/v1/collaboration/check",
                    {"rule_set": "apc", "participants": [lead | {"eligible_costs": "10"}]})
    assert as_text.status_code == 200  # a number in a string is still read, as before


@pytest.mark.parametrize("name,allowed", [("needs", "research_or_rto"), ("types", "university")])
def test_partner_needs_and_types_list_their_values(client, name, allowed):
    """schemathesis sent types [""], allowed by the document and rightly a 400 naming types."""
    prop = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["PartnersIn"]["properties"][name]
    assert allowed in prop["items"]["enum"] and "" not in prop["items"]["enum"]
    response = _post(client, "/api/v1/collaboration/partners", {"description": "climate science", name: [""]})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == name
    ok = _post(client, "/api/v1/collaboration/partners", {"description": "climate science", name: [allowed]})
    assert ok.status_code == 200, ok.content


@pytest.mark.parametrize("path,body", [
    ("/api/v1/collaboration/check", {"participants": [{"name": "Acme Ltd", "role": "lead",
                                                       "organisation_type": "business", "country": "GB",
                                                       "eligible_costs": 100}]}),
    ("/api/v1/collaboration/simulate", {})])
@pytest.mark.parametrize("value", ["", " "])
def test_an_empty_rule_set_is_a_choose_a_rule_set_400(client, path, body, value):
    """An empty rule_set said "unknown rule set ''": it says to choose one, and lists them."""
    response = _post(client, path, {"rule_set": value, **body})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "rule_set" and error["message"].startswith("Choose a rule set")
    assert "unknown" not in error["message"] and "apc" in error["message"]


@pytest.mark.parametrize("dataset", ["x", "", "he-providers", "ukri-funding-decisions"])
def test_network_places_refuses_a_dataset_that_is_not_a_network_with_a_400_naming_it(client, dataset):
    """An unknown dataset was a 404 (a 404 is for a path); a dataset with no links (the HE providers
    list) was drawn as an empty network: both are a 400 in the API's error shape, listing the keys."""
    response = client.get("/api/v1/collaboration/network/places", {"dataset": dataset})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("dataset: ") and "wales-network-2017" in body["detail"]
    assert body["errors"] == [{"field": "dataset", "message": body["detail"].removeprefix("dataset: ")}]
    spec = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/collaboration/network/places"]["get"]
    assert "400" in spec["responses"] and "404" not in spec["responses"]


_PARTICIPANT = {"name": "Acme Ltd", "role": "lead", "organisation_type": "business", "country": "GB",
                "eligible_costs": 100}


@pytest.mark.parametrize("field", ["publishes", "claims_funding"])
@pytest.mark.parametrize("value", ["yes", "no", "true", 1, 0, None, "on"])
def test_yes_no_answers_are_json_true_or_false(client, field, value):
    """"yes" and 1 were read as true (and "no" too): a yes/no answer is true or false or left out."""
    response = _post(client, "/api/v1/collaboration/check",
                     {"rule_set": "gber-art25-collaboration", "participants": [{**_PARTICIPANT, field: value}]})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == f"participants[0].{field}" and "true or false" in error["message"]


@pytest.mark.parametrize("field,value", [("publishes", True), ("claims_funding", False)])
def test_true_and_false_are_still_answers(client, field, value):
    response = _post(client, "/api/v1/collaboration/check",
                     {"rule_set": "gber-art25-collaboration", "participants": [{**_PARTICIPANT, field: value}]})
    assert response.status_code == 200
    spec = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["ParticipantIn"]["properties"]
    assert spec[field]["type"] == "boolean"


def test_the_engine_refuses_a_yes_no_answer_that_is_not_true_or_false():
    """The command line reads JSON into the engine directly: "no" was true to Python's bool."""
    from locus.collaboration.rules.engine import participants_validate
    from locus.collaboration.rules.model import FieldErrors

    with pytest.raises(FieldErrors) as caught:
        participants_validate([{**_PARTICIPANT, "publishes": "no", "claims_funding": 1}])
    assert [f for f, _ in caught.value.errors] == ["participants[0].publishes", "participants[0].claims_funding"]
    ok = participants_validate([{**_PARTICIPANT, "publishes": True}])
    assert ok[0].publishes is True and ok[0].claims_funding is True  # left out: the default
