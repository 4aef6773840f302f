"""The partner finder's reasons quote only what the query and the candidate share; generic words and
place names are never topics; a suggestion resting on a stray word is labelled a weak match and
listed after the others (QA review H20, F13)."""

from __future__ import annotations

import html
import re

import pytest

from locus.collaboration.models import Organisation
from locus.collaboration.partners import partners_find

pytestmark = pytest.mark.django_db

DESCRIPTION = "compound semiconductors for electric vehicle power electronics"
GENERIC = {"wales", "welsh", "grant", "university", "competition", "project", "research", "cardiff",
           "swansea"}


def _org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def _shared(reasons: list[str], start: str) -> list[str]:
    for r in reasons:
        if r.startswith(start):
            return [w.strip() for w in r[len(start):].split("(")[0].rstrip(". ").split(",")]
    return []


def test_reasons_quote_only_words_of_the_description():
    found = partners_find(description=DESCRIPTION, k=30)
    words = set(DESCRIPTION.split())
    assert found.suggestions
    for s in found.suggestions:
        shared = _shared(s.reasons, "Shares with your description: ")
        assert shared and set(shared) <= words, (s.organisation.name, s.reasons)
        assert not any(r.startswith("Works on the same topics") for r in s.reasons)


def test_iqe_is_found_through_its_electronics_label_and_single_words_are_weak():
    """IQE's Nesta topic is 'electronics_transistors': the description's 'electronics' meets it.
    It shares that one word of six, as do about twenty others, so from the description alone it is
    a weak match like them; with Swansea University (its partner's partner) it ranks among the
    confident suggestions."""
    iqe = _org("IQE Silicon Compounds Ltd")
    alone = {s.organisation.pk: s for s in partners_find(description=DESCRIPTION, k=50).suggestions}
    assert iqe.pk in alone and _shared(alone[iqe.pk].reasons, "Shares with your description: ") == \
        ["electronics"]
    assert alone[iqe.pk].weak and alone[iqe.pk].match == "weak"
    top = partners_find(description=DESCRIPTION).suggestions
    assert all(s.weak for s in top)  # each shares one word of six: none is a confident match
    with_org = partners_find(organisation_id=_org("Swansea University").pk, description=DESCRIPTION)
    strong = [s.organisation.pk for s in with_org.suggestions if not s.weak]
    assert iqe.pk in strong
    # weak matches come after the confident ones
    flags = [s.weak for s in with_org.suggestions]
    assert flags == sorted(flags)


def test_generic_words_and_place_names_are_never_shared_topics():
    """'wales', 'grant', 'university', 'competition' were quoted as topics shared with Swansea
    University (from project titles and place names)."""
    found = partners_find(organisation_id=_org("Swansea University").pk, k=50)
    quoted = {w for s in found.suggestions for r in s.reasons
              if r.startswith(("Shares topics with", "Shares with your description"))
              for w in re.split(r"[ ,:()]+", r.split(":", 1)[1])}
    assert quoted and not (quoted & GENERIC), quoted & GENERIC
    described = partners_find(description="research grant competition project in Wales", k=50)
    assert described.no_topic_match or all(
        not (set(_shared(s.reasons, "Shares with your description: ")) & GENERIC)
        for s in described.suggestions)


def test_reasons_say_which_part_of_the_query_a_word_comes_from():
    """With an organisation and a description, the description's words and the organisation's own
    topics are said apart: the candidate's topics that only Swansea University shares are not
    presented as matching the project."""
    found = partners_find(organisation_id=_org("Swansea University").pk, description=DESCRIPTION,
                          k=20)
    words = set(DESCRIPTION.split())
    for s in found.suggestions:
        assert set(_shared(s.reasons, "Shares with your description: ")) <= words
    assert any(r.startswith("Shares topics with Swansea University: ")
               for s in found.suggestions for r in s.reasons)


def test_the_page_lists_weak_matches_apart_and_the_api_labels_them(client):
    page = html.unescape(client.get("/collaboration/partners/", {
        "search": "1", "description": DESCRIPTION}).content.decode())
    assert 'id="weak-suggestions"' in page and "No strong matches: weak matches only" in page
    assert 'id="suggestions"' not in page and page.count(">Weak match</strong>") == 10
    body = client.post("/api/v1/collaboration/partners", {"description": DESCRIPTION},
                       content_type="application/json").json()
    assert {s["match"] for s in body["suggestions"]} == {"weak"}
    body = client.post("/api/v1/collaboration/partners",
                       {"organisation_id": _org("Swansea University").pk},
                       content_type="application/json").json()
    matches = [s["match"] for s in body["suggestions"]]
    assert "strong" in matches and matches == sorted(matches, key=lambda m: m == "weak")
