"""Every partner suggestion names where its evidence comes from (each dataset's title, publisher,
vintage and licence, and the parts it gave) and how its score is worked out; the organisation
endpoint's partner_finder does the same. Checked against the published files, the link table, the
bundled source list and the OpenAPI document."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from tests.collaboration.conftest import COLLAB_DIR

pytestmark = pytest.mark.django_db
PARTNERS = "/api/v1/collaboration/partners"
NESTA, HE = "wales-network-2017", "he-providers"


def _post(client, body):
    response = client.post(PARTNERS, json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def _org(name):
    from locus.collaboration.models import Organisation

    return Organisation.objects.get(name=name)


def _by_key(sources):
    return {s["dataset"]: s for s in sources}


def _nesta_topics() -> dict[str, str]:
    with (COLLAB_DIR / "node_metadata.csv").open(encoding="utf-8") as f:
        return {row["org"]: row["active_in_topic"] for row in csv.DictReader(f)}


def test_each_source_is_the_bundled_datasets_own_title_publisher_vintage_and_licence(client):
    from locus.collaboration.sources import BUNDLED_SOURCES
    from locus.geography.sources import geo_source

    published = {s.key: (s.title, s.publisher, s.vintage, s.licence) for s in BUNDLED_SOURCES}
    postcodes = geo_source("postcodes")
    published["postcodes"] = (postcodes.title, postcodes.publisher, postcodes.vintage,
                              postcodes.licence)
    body = _post(client, {"organisation_id": _org("Cardiff University").pk, "k": 50})
    seen = set()
    for s in body["suggestions"]:
        assert s["sources"], s["organisation"]["name"]
        for source in s["sources"]:
            seen.add(source["dataset"])
            assert (source["source"], source["publisher"], source["vintage"],
                    source["licence"]) == published[source["dataset"]]
            assert source["evidence"] and source["method"].endswith(
                "(see /docs/methodology/collaboration.md#5-partner-recommendations)")
    # Nesta's network, the GtR AHRC export, the HE providers list and the postcode table all
    # appear among fifty suggestions for a Welsh university
    assert {NESTA, "gtr-ahrc-2021", HE, "postcodes"} <= seen
    assert published[NESTA][3].startswith("No licence stated by the repository")


def test_links_topics_and_titles_are_credited_to_the_datasets_that_hold_them(client):
    """Oracle: the link table, Nesta's node file and the projects table, per suggestion."""
    from django.db.models import Q

    from locus.collaboration.models import NetworkLink, Participation

    topics = _nesta_topics()
    for asked in ("Cardiff University", "Nuaire Ltd", "Swansea University"):
        body = _post(client, {"organisation_id": _org(asked).pk, "k": 50})
        for s in body["suggestions"]:
            org = s["organisation"]
            credited = {(d["dataset"], part) for d in s["sources"] for part in d["evidence"]}
            links = set(NetworkLink.objects.filter(Q(source_id=org["id"]) | Q(target_id=org["id"]))
                        .values_list("dataset__key", flat=True))
            assert {k for k, part in credited if part == "collaborations"} == links, org["name"]
            assert bool(links) == (s["collaborations"] > 0) == (s["evidence"] == "collaborations")
            nesta_names = [n for n in topics if _org_named(n) == org["id"]]
            has_topics = any(topics[n].strip() for n in nesta_names)
            assert ((NESTA, "topics") in credited) == has_topics, org["name"]
            titles = set(Participation.objects.filter(organisation_id=org["id"])
                         .values_list("project__dataset__key", flat=True))
            assert {k for k, part in credited if part == "project titles"} == titles, org["name"]


def _org_named(source_name):
    from locus.collaboration.models import NetworkNode

    node = NetworkNode.objects.filter(source_name=source_name).first()
    return node.organisation_id if node else None


def test_place_and_type_name_the_dataset_that_gave_them(client):
    body = _post(client, {"organisation_id": _org("Cardiff University").pk, "k": 50})
    for s in body["suggestions"]:
        org, sources = s["organisation"], _by_key(s["sources"])
        placed = {k for k, d in sources.items() if "place" in d["evidence"]}
        typed = {k for k, d in sources.items() if "type" in d["evidence"]}
        if org["place_basis"] == "principal area given by Nesta":
            assert placed == {NESTA}, org["name"]
        elif org["place_basis"] == "postcode (ONS postcode lookup)":
            assert "postcodes" in placed, org["name"]
        # a type the HE providers list states is credited to it; one guessed from the name to none
        assert typed == ({HE} if org["type_basis"] == "UK higher education providers list"
                         else set()), org["name"]
    swansea = _org("Swansea University")
    finder = client.get(f"/api/v1/collaboration/organisations/{swansea.pk}").json()["partner_finder"]
    he = _by_key(finder["sources"])[HE]
    assert he["evidence"] == ["place", "type"] and he["vintage"] == "2013/14"
    assert "the proximity part" in he["method"] and "the complement part" in he["method"]


def test_an_unlinked_organisation_credits_no_collaborations(client):
    nuaire = _org("Nuaire Ltd")
    finder = client.get(f"/api/v1/collaboration/organisations/{nuaire.pk}").json()["partner_finder"]
    assert [(s["dataset"], s["evidence"]) for s in finder["sources"]] == [(NESTA, ["topics", "place"])]
    assert finder["sources"][0]["vintage"] == "2006-2016"
    body = _post(client, {"organisation_id": nuaire.pk})
    assert body["query_sources"] == finder["sources"]
    for s in body["suggestions"]:
        parts = {p for d in s["sources"] for p in d["evidence"]}
        assert ("collaborations" in parts) == (s["evidence"] == "collaborations"), s


def test_sources_agree_with_what_the_finder_says_it_can_use(client):
    """For every organisation of the index, the parts credited to a source are those of
    ``partner_evidence``'s basis (a type guessed from the name has no dataset to credit)."""
    from locus.collaboration.models import Organisation
    from locus.collaboration.network_data import recommender_index
    from locus.collaboration.partner_sources import evidence_sources
    from locus.collaboration.partners import partner_evidence

    orgs = list(Organisation.objects.filter(pk__in=list(recommender_index().position)))
    assert len(orgs) == 419
    sources = evidence_sources(orgs)
    for org in orgs:
        basis = set(partner_evidence(org).basis)
        credited = {p for s in sources[org.pk] for p in s.evidence}
        assert credited - {"type"} == basis - {"type"}, org.name
        assert ("type" in credited) <= ("type" in basis)


def test_the_query_names_its_own_sources_and_a_postcode_replaces_its_place(client):
    cardiff = _org("Cardiff University")
    own = _post(client, {"organisation_id": cardiff.pk, "k": 3})["query_sources"]
    assert {"collaborations", "topics", "place"} <= {p for s in own for p in s["evidence"]}
    placed = _post(client, {"organisation_id": cardiff.pk, "k": 3, "postcode": "SA2 8PP"})
    sources = placed["query_sources"]
    assert sources[-1]["dataset"] == "postcodes" and sources[-1]["evidence"] == ["place"]
    assert [s for s in sources[:-1] if "place" in s["evidence"]] == []
    # a description alone is the asker's own words: no dataset
    described = _post(client, {"description": "hydrogen fuel cells for buses", "k": 3})
    assert described["query_sources"] == []
    assert all(s["sources"] for s in described["suggestions"])


def test_the_method_gives_the_weights_used_and_its_section_exists(client):
    from locus.networks.recommend import Weights

    body = _post(client, {"organisation_id": _org("Cardiff University").pk, "k": 3})
    w = Weights()
    assert body["method"].startswith(
        f"score = {w.topic:.2f} x topic + {w.network:.2f} x network + {w.proximity:.2f} x "
        f"proximity + {w.complement:.2f} x complement + {w.popularity:.2f} x popularity.")
    path, anchor = body["methodology"].split("#")
    page = client.get(path)
    assert page.status_code == 200 and f'id="{anchor}"' in page.content.decode()
    assert body["method"].endswith(body["methodology"])


def test_an_imported_workbook_is_credited_with_its_links_titles_and_types(client, tmp_path):
    from locus.cli import app
    from locus.collaboration.models import Dataset, Organisation
    from tests.collaboration.fixtures.innovate_uk import ROWS, write_workbook

    workbook = write_workbook(tmp_path / "innovate-uk.xlsx", ROWS)
    result = CliRunner().invoke(app, ["data", "import", "innovate-uk", str(workbook)])
    assert result.exit_code == 0, result.output
    dataset = Dataset.objects.get(kind="imported")
    firm = Organisation.objects.get(company_number="01234567")
    finder = client.get(f"/api/v1/collaboration/organisations/{firm.pk}").json()["partner_finder"]
    mine = _by_key(finder["sources"])[dataset.key]
    assert {"collaborations", "project titles", "type"} <= set(mine["evidence"])
    assert (mine["licence"], mine["vintage"]) == (dataset.licence, dataset.vintage)
    assert finder["sources"][-1]["dataset"] == "postcodes"  # placed by its postcode


def test_the_openapi_documents_the_sources_the_api_sends(client):
    from locus.collaboration.partner_sources import EVIDENCE_USE

    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    body = _post(client, {"organisation_id": _org("Cardiff University").pk, "k": 5,
                          "postcode": "CF10 3AT"})
    for name, value in (("PartnersOut", body), ("SuggestionOut", body["suggestions"][0]),
                        ("PartnerSourceOut", body["suggestions"][0]["sources"][0])):
        documented = schemas[name]["properties"]
        assert set(value) == set(documented), name
        assert set(schemas[name].get("required", [])) <= set(value), name
    source = schemas["PartnerSourceOut"]
    # the shape of the network metrics' provenance, with the parts each source gave
    assert set(schemas["NetworkProvenanceOut"]["properties"]) | {"evidence"} == set(source["properties"])
    assert source["properties"]["evidence"]["items"]["enum"] == list(EVIDENCE_USE)
    assert {p for s in body["suggestions"] for d in s["sources"] for p in d["evidence"]} <= set(EVIDENCE_USE)
    finder = schemas["PartnerFinderOut"]["properties"]["sources"]
    assert finder["items"]["$ref"].endswith("/PartnerSourceOut")
