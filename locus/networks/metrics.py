"""Network metrics: centrality of each organisation, communities, and link mix per place.

Per place (the organisations located in it): how many links touch it, how many stay inside it
(local) or reach elsewhere (external), how many join a university and a business, how many join
a large business and an SME, how central its organisations are and how many communities they
span. Large–SME links are counted among links that join two businesses whose sizes are both
known (``sized_business_links``); without such links the share is unknown, not zero. Link counts
are unweighted (one per pair of organisations); ``link_weight`` sums the
co-participations. Betweenness is unweighted and normalised like networkx
(``2 / ((n - 1)(n - 2))``); eigenvector centrality is taken on the whole graph and scaled so the
most central node is 1 (organisations outside the largest component score about 0).
"""

from __future__ import annotations

import math
import random
import warnings
from dataclasses import dataclass

import igraph as ig
import numpy as np

from locus.networks.graph import Network, Node


@dataclass(frozen=True)
class NodeMetrics:
    degree: list[int]
    strength: list[float]
    betweenness: list[float]
    eigenvector: list[float]
    community: list[int]
    modularity: float


def _normalised_betweenness(network: Network) -> list[float]:
    n = network.graph.vcount()
    raw = network.graph.betweenness(directed=False) if n else []
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    return [b * scale for b in raw]


def _eigenvector(network: Network) -> list[float]:
    graph = network.graph
    if graph.ecount() == 0:
        return [0.0] * graph.vcount()
    with warnings.catch_warnings():  # disconnected graphs: small components get about 0
        warnings.simplefilter("ignore", RuntimeWarning)
        return list(graph.eigenvector_centrality(scale=True, weights=None))


def node_metrics(network: Network, *, seed: int = 0) -> NodeMetrics:
    """Centralities and Louvain communities (igraph multilevel, weighted, seeded)."""
    graph = network.graph
    if graph.ecount():
        ig.set_random_number_generator(random.Random(seed))
        try:
            clustering = graph.community_multilevel(weights="weight")
        finally:
            ig.set_random_number_generator(random)
        membership, modularity = list(clustering.membership), float(clustering.modularity)
    else:
        membership, modularity = list(range(graph.vcount())), 0.0
    return NodeMetrics(
        degree=graph.degree(), strength=graph.strength(weights="weight") if graph.ecount()
        else [0.0] * graph.vcount(),
        betweenness=_normalised_betweenness(network), eigenvector=_eigenvector(network),
        community=membership, modularity=modularity)


@dataclass(frozen=True)
class PlaceMetrics:
    code: str
    level: str
    organisations: int
    universities: int
    businesses: int
    businesses_with_size: int
    links: int                     # links with at least one end in the place
    link_weight: float
    local_links: int               # both ends in the place
    external_links: int
    university_business_links: int
    large_sme_links: int
    sized_business_links: int      # links joining two businesses whose sizes are both known
    mean_betweenness: float
    max_betweenness: float
    top_organisation: str
    communities: int

    @property
    def local_share(self) -> float | None:
        return self.local_links / self.links if self.links else None

    @property
    def university_business_share(self) -> float | None:
        return self.university_business_links / self.links if self.links else None

    @property
    def large_sme_share(self) -> float | None:
        """Share of links between businesses whose sizes are both known that join large and SME."""
        return (self.large_sme_links / self.sized_business_links if self.sized_business_links
                else None)

    @property
    def sizes_known(self) -> bool:
        return self.sized_business_links > 0


def link_kind(a: Node, b: Node) -> set[str]:
    kinds = set()
    if {a.org_type, b.org_type} == {"university", "business"}:
        kinds.add("university_business")
    if (a.is_large or a.is_sme) and (b.is_large or b.is_sme):
        kinds.add("sized_business")
    if (a.is_large and b.is_sme) or (a.is_sme and b.is_large):
        kinds.add("large_sme")
    return kinds


def _place_of(network: Network, level: str) -> list[str | None]:
    return [n.places.get(level) or None for n in network.nodes]


def place_metrics(network: Network, *, level: str = "lad",
                  metrics: NodeMetrics | None = None) -> list[PlaceMetrics]:
    metrics = metrics or node_metrics(network)
    where = _place_of(network, level)
    codes = sorted({c for c in where if c})
    counters = {c: dict.fromkeys(("links", "local", "ub", "ls", "sized"), 0) | {"weight": 0.0}
                for c in codes}
    for i, j, w in network.edges():
        touched = {where[i], where[j]} - {None}
        kinds = link_kind(network.nodes[i], network.nodes[j])
        for code in touched:
            c = counters[code]
            c["links"] += 1
            c["weight"] += w
            c["local"] += where[i] == where[j]
            c["ub"] += "university_business" in kinds
            c["ls"] += "large_sme" in kinds
            c["sized"] += "sized_business" in kinds
    out = []
    for code in codes:
        members = [i for i, c in enumerate(where) if c == code]
        between = [metrics.betweenness[i] for i in members]
        top = max(members, key=lambda i: (metrics.betweenness[i], metrics.degree[i]))
        nodes = [network.nodes[i] for i in members]
        c = counters[code]
        out.append(PlaceMetrics(
            code=code, level=level, organisations=len(members),
            universities=sum(n.org_type == "university" for n in nodes),
            businesses=sum(n.is_business for n in nodes),
            businesses_with_size=sum(n.is_business and bool(n.size) for n in nodes),
            links=c["links"], link_weight=c["weight"], local_links=c["local"],
            external_links=c["links"] - c["local"], university_business_links=c["ub"],
            large_sme_links=c["ls"], sized_business_links=c["sized"], mean_betweenness=float(np.mean(between)),
            max_betweenness=float(max(between)), top_organisation=network.nodes[top].name,
            communities=len({metrics.community[i] for i in members})))
    return out


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))
