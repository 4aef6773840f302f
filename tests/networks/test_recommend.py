"""The partner recommender's ranking on constructed cases with a known answer."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from locus.networks.graph import Node
from locus.networks.recommend import Query, index_build, recommend

WORDS = ["hydrogen", "fuel", "cells", "buses", "museum", "heritage", "archives", "textiles", "robots"]


def test_a_topic_match_outranks_the_best_connected_organisation_with_no_match():
    # A hub with many links and unrelated topics, and a small organisation that works on the
    # project's topic: a description-only search must put the topic match first (the hub used to
    # win on the popularity tie-breaker, because raw cosines of short texts are small).
    hub = Node("hub", "Big University", "university", text="history literature music " * 3)
    spokes = [Node(f"s{i}", f"Spoke {i}", "business", text="music") for i in range(30)]
    other = " ".join(f"subject{i}" for i in range(60))  # a long record: one shared word among many
    match = Node("m", "Fuel Cell Ltd", "business", text=f"hydrogen {other}")
    index = index_build([hub, *spokes, match], [("hub", s.key) for s in spokes])
    ranked = recommend(index, Query(text="hydrogen fuel cells for buses"), k=5)
    assert ranked[0].key == "m"
    # The reason quotes the raw cosine, small enough that unscaled it lost to popularity
    # (0.35 x cosine < 0.05 x 1 for the hub).
    assert 0 < ranked[0].components["topic"] < 0.05 / 0.35


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4), min_size=3, max_size=12),
       st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))
def test_every_topic_match_comes_before_every_non_match_without_an_organisation(texts, query):
    # Property: with only a description (no organisation, place or gap), network, proximity and
    # complement are zero for everyone, so any candidate sharing a word with the description
    # outranks every candidate that shares none, however many links it has.
    nodes = [Node(i, f"org{i}", "business", text=" ".join(t)) for i, t in enumerate(texts)]
    links = [(0, j) for j in range(1, len(nodes))]  # organisation 0 is the hub
    ranked = recommend(index_build(nodes, links), Query(text=" ".join(query)), k=len(nodes))
    matched = [r.components["topic"] > 0 for r in ranked]
    assert matched == sorted(matched, reverse=True)


def test_one_shared_partner_is_one_of_your_partners():
    # me -- shared -- candidate: the candidate has worked with one of my partners
    nodes = [Node("me", "Me Ltd", "business"), Node("shared", "Shared University", "university"),
             Node("c", "Candidate Ltd", "business")]
    ranked = recommend(index_build(nodes, [("me", "shared"), ("shared", "c")]), Query(key="me"), k=3)
    reasons = next(r for r in ranked if r.key == "c").reasons
    assert "Has worked with one of your partners: Shared University." in reasons, reasons


def test_web_addresses_inside_a_description_are_not_topics():
    """'https', 'www', 'com' and the words of a link's path matched organisations that have them in
    their texts; a link inside the description is now ignored and its words still count."""
    from locus.networks.recommend import text_without_links

    web = Node("web", "Web Ltd", "business", text="www com https web about")
    path = Node("path", "Path Ltd", "business", text="example funding")
    match = Node("h2", "Hydrogen Ltd", "business", text="hydrogen buses")
    index = index_build([web, path, match], [])
    query = Query(text="Hydrogen buses; see https://www.example.com/funding and "
                       "www.h2bus.org/about or example.org/funding")
    ranked = {r.key: r for r in recommend(index, query, k=3)}
    assert ranked["h2"].components["topic"] > 0
    assert ranked["web"].components["topic"] == 0 and ranked["path"].components["topic"] == 0
    assert not any("www" in reason or "example" in reason
                   for r in ranked.values() for reason in r.reasons)
    assert text_without_links("a https://x.org/b c www.y.com d e.org/f g booking.com").split() == \
        ["a", "c", "d", "g", "booking.com"]


def test_web_addresses_in_an_organisations_own_text_are_not_its_topics():
    linked = Node("l", "Linked Ltd", "business", text="robots http://www.robots-r-us.com/textiles")
    other = Node("t", "Textiles Ltd", "business", text="textiles")
    index = index_build([linked, other], [])
    ranked = {r.key: r for r in recommend(index, Query(text="textiles"), k=2)}
    assert ranked["l"].components["topic"] == 0 and ranked["t"].components["topic"] > 0
