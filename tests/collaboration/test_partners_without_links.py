"""Organisations with no recorded collaborations: 78 of the 255 in Nesta's network of Wales have
topics, a place and a type but no link. The partner finder suggests partners for them and suggests
them to others on that evidence, saying so; an organisation with nothing comparable is told why."""

from __future__ import annotations

import csv

import pytest

from tests.collaboration.conftest import COLLAB_DIR

pytestmark = pytest.mark.django_db
NO_LINKS = "No collaborations recorded in the loaded data; suggested because of "


def _unlinked_in_the_csv() -> set[str]:
    """Oracle from the published files: organisations with no link other than to themselves."""
    with (COLLAB_DIR / "19_5_2017_revised_edge_list.csv").open(encoding="utf-8") as f:
        linked = {name for row in csv.DictReader(f) if row["n1"] != row["n2"]
                  for name in (row["n1"], row["n2"])}
    with (COLLAB_DIR / "node_metadata.csv").open(encoding="utf-8") as f:
        return {row["org"] for row in csv.DictReader(f)} - linked


def _org(name: str):
    from locus.collaboration.models import Organisation

    return Organisation.objects.get(name=name)


def test_every_unlinked_welsh_organisation_can_ask_and_be_suggested():
    from locus.collaboration.models import NetworkNode
    from locus.collaboration.network_data import recommender_index
    from locus.collaboration.partners import partner_evidence

    names = _unlinked_in_the_csv()
    assert len(names) == 78
    index = recommender_index()
    nodes = NetworkNode.objects.filter(source_name__in=names).select_related("organisation")
    assert nodes.count() == 78
    for node in nodes:
        evidence = partner_evidence(node.organisation)
        assert node.organisation_id in index.position, node.source_name
        assert evidence.available and evidence.collaborations == 0, node.source_name
        assert "topics" in evidence.basis and "collaborations" not in evidence.basis


def test_an_unlinked_organisation_gets_suggestions_that_say_what_they_rest_on(client):
    nuaire = _org("Nuaire Ltd")
    body = client.post("/api/v1/collaboration/partners", {"organisation_id": nuaire.pk},
                       content_type="application/json").json()
    assert body["organisation_without_collaborations"] is True
    suggestions = body["suggestions"]
    assert len(suggestions) == 10
    assert all(s["components"]["network"] == 0 for s in suggestions)
    for s in suggestions:
        assert (s["evidence"] == "no_recorded_collaborations") == (s["collaborations"] == 0)
        assert s["reasons"][0].startswith(NO_LINKS) == (s["collaborations"] == 0), s
    scores = [s["score"] for s in suggestions]
    assert scores == sorted(scores, reverse=True)
    # the same on the page: the note, and a tag on each unlinked suggestion
    page = client.get(f"/collaboration/partners/?organisation={nuaire.pk}&search=1").content.decode()
    assert 'id="no-collaborations"' in page and "No collaborations are recorded for Nuaire Ltd" in page
    tags = page.count("No recorded collaborations</strong>")
    assert tags == sum(1 for s in suggestions if s["collaborations"] == 0) > 0


def test_an_unlinked_organisation_is_suggested_to_another_on_its_topics_and_place(client):
    # Atraverda Ltd (Blaenau Gwent) and Nuaire Ltd (Caerphilly) share all three of Nesta's topics
    # for Nuaire and are about 20 km apart; neither has a link.
    atraverda, nuaire = _org("Atraverda Ltd"), _org("Nuaire Ltd")
    body = client.post("/api/v1/collaboration/partners", {"organisation_id": atraverda.pk},
                       content_type="application/json").json()
    found = {s["organisation"]["id"]: s for s in body["suggestions"]}
    assert nuaire.pk in found
    s = found[nuaire.pk]
    assert s["evidence"] == "no_recorded_collaborations" and s["collaborations"] == 0
    assert s["reasons"][0] == NO_LINKS + "shared topics and nearness alone."
    assert any(r.startswith("Shares topics with Atraverda Ltd: energy") for r in s["reasons"])


def test_an_unlinked_organisations_page_offers_the_finder_and_shows_its_topics(client):
    nuaire = _org("Nuaire Ltd")
    page = client.get(f"/collaboration/organisations/{nuaire.pk}/").content.decode()
    assert f"?organisation={nuaire.pk}&amp;search=1" in page
    assert 'id="partner-evidence"' in page and "never on shared partners" in page
    topics = page[page.index('id="topics"'):]
    topics = topics[:topics.index("</dd>")]
    assert "energy environmental, energy transport technology, systems infrastructure" in topics
    assert "Research collaboration network of Wales" in topics and "2006-2016" in topics
    detail = client.get(f"/api/v1/collaboration/organisations/{nuaire.pk}").json()
    assert detail["partner_finder"]["available"] is True
    assert detail["partner_finder"]["collaborations"] == 0
    assert detail["partner_finder"]["basis"] == ["topics", "place", "type"]


def test_a_linked_organisation_says_its_links_and_shows_no_note(client):
    cardiff = _org("Cardiff University")
    detail = client.get(f"/api/v1/collaboration/organisations/{cardiff.pk}").json()
    finder = detail["partner_finder"]
    assert finder["available"] and finder["collaborations"] > 0
    assert finder["basis"][0] == "collaborations"
    page = client.get(f"/collaboration/organisations/{cardiff.pk}/").content.decode()
    assert 'id="partner-evidence"' not in page and 'id="no-partner-search"' not in page


def test_an_organisation_with_nothing_comparable_is_told_why_and_what_would_help(client):
    # The Courtauld Institute of Art is in the HE providers list only: a place and a type, no
    # topics, projects or links. No suggestion is invented from place and type alone.
    courtauld = _org("Courtauld Institute of Art")
    detail = client.get(f"/api/v1/collaboration/organisations/{courtauld.pk}").json()
    finder = detail["partner_finder"]
    assert finder["available"] is False and finder["basis"] == []
    message = finder["message"]
    assert "no topics, projects or recorded collaborations" in message
    assert "only its place and its type" in message and "locus data fetch gtr" in message
    refused = client.post("/api/v1/collaboration/partners", {"organisation_id": courtauld.pk},
                          content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == [{"field": "organisation", "message": message}]
    page = client.get(f"/collaboration/organisations/{courtauld.pk}/").content.decode()
    assert 'id="no-partner-search"' in page and "there is nothing to compare it by" in page
    assert f"?organisation={courtauld.pk}&amp;search=1" not in page
    # nor is it ever suggested to anyone
    from locus.collaboration.network_data import recommender_index

    assert courtauld.pk not in recommender_index().position


def test_funding_decisions_alone_are_named_as_not_enough(client):
    plymouth = _org("Plymouth Marine Laboratory")
    finder = client.get(f"/api/v1/collaboration/organisations/{plymouth.pk}").json()["partner_finder"]
    assert not finder["available"]
    assert "UKRI funding decisions, which name councils and amounts but no topics" in finder["message"]
