"""Network metrics against networkx (the oracle) on small random graphs."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from locus.networks.graph import Node, coparticipation_links, network_from_links
from locus.networks.metrics import haversine_km, link_kind, node_metrics, place_metrics

TYPES = ["university", "business", "public", "research"]
SIZES = ["", "micro", "small", "medium", "large"]
PLACES = ["A", "B", "C"]


@st.composite
def graphs(draw, min_nodes=2, max_nodes=12):
    n = draw(st.integers(min_nodes, max_nodes))
    nodes = [Node(key=i, name=f"org{i}", org_type=draw(st.sampled_from(TYPES)),
                  size=draw(st.sampled_from(SIZES)), places={"lad": draw(st.sampled_from(PLACES))})
             for i in range(n)]
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                                     st.integers(1, 4)), max_size=3 * n))
    return nodes, pairs


def oracle(nodes, pairs) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(range(len(nodes)))
    for a, b, w in pairs:
        if a != b:
            g.add_edge(a, b, weight=g.get_edge_data(a, b, {"weight": 0})["weight"] + w)
    return g


@settings(max_examples=80, deadline=None)
@given(graphs())
def test_degree_strength_and_betweenness_match_networkx(data):
    nodes, pairs = data
    network, g = network_from_links(nodes, pairs), oracle(nodes, pairs)
    m = node_metrics(network)
    assert m.degree == [g.degree(i) for i in range(len(nodes))]
    assert m.strength == pytest.approx([g.degree(i, weight="weight") for i in range(len(nodes))])
    expected = nx.betweenness_centrality(g, normalized=True)
    assert m.betweenness == pytest.approx([expected[i] for i in range(len(nodes))], abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(graphs(min_nodes=3))
def test_communities_partition_the_nodes_and_modularity_matches_networkx(data):
    nodes, pairs = data
    network, g = network_from_links(nodes, pairs), oracle(nodes, pairs)
    m = node_metrics(network)
    assert len(m.community) == len(nodes)
    if g.number_of_edges() == 0:
        return
    groups = {}
    for i, c in enumerate(m.community):
        groups.setdefault(c, set()).add(i)
    assert m.modularity == pytest.approx(
        nx.community.modularity(g, list(groups.values()), weight="weight"), abs=1e-9)
    # Louvain should do at least as well as putting everything in one community (modularity 0)
    assert m.modularity >= -1e-9


@settings(max_examples=40, deadline=None)
@given(graphs(min_nodes=3))
def test_eigenvector_centrality_matches_networkx_on_connected_graphs(data):
    nodes, pairs = data
    g = oracle(nodes, pairs)
    if g.number_of_edges() == 0 or not nx.is_connected(g) or nx.is_bipartite(g):
        return  # eigenvector centrality is only well defined (and comparable) here
    m = node_metrics(network_from_links(nodes, pairs))
    expected = nx.eigenvector_centrality_numpy(g)
    top = max(expected.values())
    assert m.eigenvector == pytest.approx([expected[i] / top for i in range(len(nodes))], abs=1e-6)


@settings(max_examples=80, deadline=None)
@given(graphs())
def test_place_link_counts_match_a_brute_force_count(data):
    nodes, pairs = data
    network, g = network_from_links(nodes, pairs), oracle(nodes, pairs)
    by_code = {p.code: p for p in place_metrics(network)}
    for code in {n.places["lad"] for n in nodes}:
        touching = [(a, b) for a, b in g.edges if code in (nodes[a].places["lad"], nodes[b].places["lad"])]
        local = [(a, b) for a, b in touching if nodes[a].places["lad"] == nodes[b].places["lad"]]
        ub = [e for e in touching if "university_business" in link_kind(nodes[e[0]], nodes[e[1]])]
        ls = [e for e in touching if "large_sme" in link_kind(nodes[e[0]], nodes[e[1]])]
        sized = [(a, b) for a, b in touching
                 if all(nodes[x].org_type == "business" and nodes[x].size for x in (a, b))]
        p = by_code[code]
        assert p.sized_business_links == len(sized)
        assert p.large_sme_share == (len(ls) / len(sized) if sized else None)
        assert (p.links, p.local_links, p.external_links) == (len(touching), len(local),
                                                              len(touching) - len(local))
        assert (p.university_business_links, p.large_sme_links) == (len(ub), len(ls))
        assert p.organisations == sum(n.places["lad"] == code for n in nodes)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 7)), min_size=1, max_size=40))
def test_coparticipation_matches_the_networkx_bipartite_projection(memberships):
    b = nx.Graph()
    b.add_nodes_from({("p", p) for p, _ in memberships}, bipartite=0)
    b.add_nodes_from({("o", o) for _, o in memberships}, bipartite=1)
    b.add_edges_from((("p", p), ("o", o)) for p, o in memberships)
    orgs = {("o", o) for _, o in memberships}
    projected = nx.bipartite.weighted_projected_graph(b, orgs)
    expected = {frozenset((a[1], c[1])): d["weight"] for a, c, d in projected.edges(data=True)}
    got = {frozenset((a, c)): w for a, c, w in coparticipation_links(memberships)}
    assert got == expected


def test_projects_with_too_many_participants_are_skipped():
    big = [("network", i) for i in range(60)] + [("consortium", 1), ("consortium", 2)]
    assert coparticipation_links(big) == [(1, 2, 1.0)]


def test_large_sme_share_is_unknown_without_sizes_and_haversine_is_sane():
    nodes = [Node(0, "U", "university", places={"lad": "A"}),
             Node(1, "B", "business", places={"lad": "A"})]
    (p,) = place_metrics(network_from_links(nodes, [(0, 1, 1)]))
    assert p.university_business_share == 1.0 and p.large_sme_share is None
    assert haversine_km(51.48, -3.18, 51.62, -3.94) == pytest.approx(54.5, abs=1.5)  # Cardiff-Swansea
    assert math.isclose(haversine_km(0, 0, 0, 0), 0.0)
