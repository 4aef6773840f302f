"""The collaboration API: rule sets, the checker (with 400s naming the field), organisations,
network metrics and partner recommendations; all in the OpenAPI."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

CONSORTIUM = [
    {"name": "Acme Ltd", "role": "lead", "organisation_type": "business", "size": "large",
     "country": "GB", "eligible_costs": 700000},
    {"name": "Cardiff University", "role": "partner", "organisation_type": "research",
     "size": None, "country": "GB", "eligible_costs": 300000, "publishes": True},
]


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_rule_sets_are_listed_with_sources_and_versions(client):
    sets = client.get("/api/v1/collaboration/rule-sets").json()
    assert {s["id"] for s in sets} >= {"innovate-uk-crd", "apc", "horizon-europe-ria"}
    assert all(s["version"] and s["sources"] for s in sets)
    one = client.get("/api/v1/collaboration/rule-sets/apc").json()
    assert one["parameters"][0]["name"] == "min_total_costs"
    assert client.get("/api/v1/collaboration/rule-sets/nope").status_code == 404


def test_check_answers_per_rule_with_reasons(client):
    response = post(client, "/api/v1/collaboration/check",
                    {"rule_set": "innovate-uk-crd", "participants": CONSORTIUM})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["passed"] is True and body["version"]
    assert {c["id"] for c in body["checks"]} == {"collaborative", "lead", "research_share",
                                                 "claiming"}
    assert all(c["message"] for c in body["checks"])


def test_check_failure_says_what_would_fix_it(client):
    body = post(client, "/api/v1/collaboration/check",
                {"rule_set": "ukri-collaboration-mandate", "participants": CONSORTIUM}).json()
    sme = next(c for c in body["checks"] if c["id"] == "sme")
    assert not body["passed"] and not sme["passed"] and "add 1 more SME" in sme["message"]
    assert body["needs"] == ["sme"]


@pytest.mark.parametrize("change,field", [
    ({"rule_set": "horizon-2020"}, "rule_set"),
    ({"participants": [dict(CONSORTIUM[0], eligible_costs=-1)]}, "participants[0].eligible_costs"),
    ({"participants": [dict(CONSORTIUM[0], country="XX")]}, "participants[0].country"),
    ({"participants": [dict(CONSORTIUM[0], role="partner")]}, "participants"),
    ({"parameters": {"max_research_share": "lots"}}, "parameters.max_research_share"),
    ({"participants": [dict(CONSORTIUM[0], grant_requested=-1)]},
     "participants[0].grant_requested"),
    ({"participants": [dict(CONSORTIUM[0], grant_requested=800000)]},
     "participants[0].grant_requested"),
    ({"participants": [dict(CONSORTIUM[0], controlled_by="x" * 201)]},
     "participants[0].controlled_by"),
])
def test_bad_check_requests_get_400_naming_the_field(client, change, field):
    body = {"rule_set": "innovate-uk-crd", "participants": CONSORTIUM} | change
    response = post(client, "/api/v1/collaboration/check", body)
    assert response.status_code == 400
    assert field in [e["field"] for e in response.json()["errors"]], response.json()


def test_type_errors_are_400_naming_the_field_too(client):
    bad = [dict(CONSORTIUM[0], organisation_type="club")]
    response = post(client, "/api/v1/collaboration/check",
                    {"rule_set": "apc", "participants": bad})
    assert response.status_code == 400 and "organisation_type" in response.json()["detail"]


def test_simulate_without_participant_data_says_how_to_load_it(client):
    response = post(client, "/api/v1/collaboration/simulate", {"rule_set": "apc"})
    assert response.status_code == 422 and "locus data import innovate-uk" in response.json()["detail"]


def test_organisations_and_network_places(client):
    found = client.get("/api/v1/collaboration/organisations", {"q": "Cardiff University"}).json()
    assert found and found[0]["org_type"] == "university" and found[0]["lad"] == "W06000015"
    places = client.get("/api/v1/collaboration/network/places").json()
    cardiff = next(p for p in places if p["code"] == "W06000015")
    assert cardiff["links"] > 50 and 0 < cardiff["university_business_share"] < 1
    # an unknown dataset is a bad query value (400 naming it), not a missing page (404)
    bad = client.get("/api/v1/collaboration/network/places", {"dataset": "x"})
    assert bad.status_code == 400


def test_partners_come_with_reasons(client):
    org = client.get("/api/v1/collaboration/organisations", {"q": "Swansea University"}).json()[0]
    body = post(client, "/api/v1/collaboration/partners",
                {"organisation_id": org["id"], "needs": ["sme"], "k": 5}).json()
    assert len(body["suggestions"]) == 5
    assert all(s["reasons"] for s in body["suggestions"])
    assert body["no_topic_match"] is False  # no description: nothing to match
    unmatched = post(client, "/api/v1/collaboration/partners", {"description": "zyxwv qqqq", "k": 3}).json()
    assert unmatched["no_topic_match"] is True and len(unmatched["suggestions"]) == 3
    assert post(client, "/api/v1/collaboration/partners", {}).status_code == 400


def test_every_collaboration_endpoint_is_in_the_openapi(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/collaboration/check", "/api/v1/collaboration/rule-sets",
                 "/api/v1/collaboration/simulate", "/api/v1/collaboration/partners",
                 "/api/v1/collaboration/organisations", "/api/v1/collaboration/network/places"):
        assert path in paths


def test_simulate_on_imported_data(client, tmp_path):
    from locus.collaboration.services import innovate_uk_import
    from tests.collaboration.fixtures.innovate_uk import write_workbook

    innovate_uk_import(path=write_workbook(tmp_path / "iuk.xlsx"))
    body = post(client, "/api/v1/collaboration/simulate",
                {"rule_set": "innovate-uk-crd", "funder": "Innovate UK"}).json()
    assert body["projects"] == 4 and body["compliant_projects"] == 2
    assert body["project_share"] == 0.5 and "lad" in body["breakdowns"]
    # traceable like the CSV: which data, of when, under which licence
    assert "Innovate UK funded projects 2020-2021 (imported copy " in body["source"]
    assert "iuk.xlsx" not in body["source"]  # the importer's file name is not published
    assert body["vintage"] == "2020-2021" and body["licence"] == "Open Government Licence v3.0"
    # which money: the grant where given, otherwise eligible costs, as the CSV says per row
    assert body["money_basis"] == "grant" and body["money_from_eligible_costs"] == 0
    assert all(r["money_basis"] == "grant" for rows in body["breakdowns"].values() for r in rows)
    bad = post(client, "/api/v1/collaboration/simulate",
               {"rule_set": "apc", "parameters": {"max_partners": -1}})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "parameters.max_partners"


def test_partners_for_a_project_description_only(client):
    body = post(client, "/api/v1/collaboration/partners",
                {"description": "climate science and ecosystems", "postcode": "CF10 3AT",
                 "types": ["university"], "k": 3}).json()
    assert len(body["suggestions"]) == 3
    assert all(s["organisation"]["org_type"] == "university" for s in body["suggestions"])
    bad = post(client, "/api/v1/collaboration/partners", {"description": "x", "postcode": "ZZ1"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "postcode"


def test_check_takes_the_grant_requested_and_control_groups(client):
    apc = [{"name": "Carmaker plc", "role": "lead", "organisation_type": "business",
            "size": "large", "country": "GB", "eligible_costs": 4_000_000,
            "tier": "vehicle_manufacturer", "grant_requested": 1_500_000},
           {"name": "Motors Ltd", "role": "partner", "organisation_type": "business",
            "size": "small", "country": "GB", "eligible_costs": 1_000_000,
            "grant_requested": 1_000_000}]
    body = post(client, "/api/v1/collaboration/check", {"rule_set": "apc", "participants": apc}).json()
    match = next(c for c in body["checks"] if c["id"] == "match_funding")
    assert body["passed"] is True and match["passed"] and "50 % match funded" in match["message"]
    horizon = [{"name": "A GmbH", "role": "lead", "organisation_type": "business", "country": "DE",
                "eligible_costs": 1, "controlled_by": "Group X"},
               {"name": "A SAS", "role": "partner", "organisation_type": "business",
                "country": "FR", "eligible_costs": 1, "controlled_by": "Group X"},
               {"name": "C Ltd", "role": "partner", "organisation_type": "business",
                "country": "GB", "eligible_costs": 1}]
    body = post(client, "/api/v1/collaboration/check",
                {"rule_set": "horizon-europe-ria", "participants": horizon}).json()
    assert body["passed"] is False and body["version"] == "2025-12.1"
    entities = next(c for c in body["checks"] if c["id"] == "entities")
    assert "Has 2 independent organisations" in entities["message"]
    bad = post(client, "/api/v1/collaboration/check",
               {"rule_set": "horizon-europe-ria",
                "participants": [dict(horizon[0], controlled_by=["X"])]})
    assert bad.status_code == 400 and "controlled_by" in bad.json()["detail"]


def test_the_openapi_documents_the_new_participant_fields(client):
    schema = client.get("/api/v1/openapi.json").json()
    fields = schema["components"]["schemas"]["ParticipantIn"]["properties"]
    assert {"grant_requested", "controlled_by"} <= set(fields)


def test_schema_errors_have_the_same_field_and_message_shape_as_rule_errors(client):
    missing = client.post("/api/v1/collaboration/check", {"rule_set": "apc"}, content_type="application/json")
    assert missing.status_code == 400
    first = missing.json()["errors"][0]
    assert first["field"] == "participants" and first["message"] == "Field required"
    wrong = client.post("/api/v1/collaboration/check",
                        {"rule_set": "apc", "participants": [{"name": "A", "eligible_costs": {"x": 1}}]},
                        content_type="application/json")
    assert wrong.status_code == 400
    assert all(set(e) >= {"field", "message"} for e in wrong.json()["errors"])
