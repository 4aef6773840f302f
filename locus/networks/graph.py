"""Collaboration graphs: organisations as nodes, co-participation as weighted undirected links."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import igraph as ig

SME_SIZES = frozenset({"micro", "small", "medium"})


@dataclass(frozen=True)
class Node:
    """An organisation with what the metrics need; ``places`` maps a level to an area code."""

    key: Hashable
    name: str
    org_type: str = "unknown"     # university | research | rto | business | public | charity
    size: str = ""                # micro | small | medium | large | "" (unknown)
    places: dict[str, str] = field(default_factory=dict)   # {"lad": "W06000015", "itl3": ...}
    lat: float | None = None
    lon: float | None = None
    text: str = ""                # topics, titles, abstracts: for the recommender

    @property
    def is_business(self) -> bool:
        return self.org_type == "business"

    @property
    def is_sme(self) -> bool:
        return self.is_business and self.size in SME_SIZES

    @property
    def is_large(self) -> bool:
        return self.is_business and self.size == "large"


@dataclass
class Network:
    nodes: list[Node]
    graph: ig.Graph          # vertex i is nodes[i]; edge attribute "weight"

    def index(self) -> dict[Hashable, int]:
        return {n.key: i for i, n in enumerate(self.nodes)}

    def edges(self) -> list[tuple[int, int, float]]:
        return [(e.source, e.target, e["weight"]) for e in self.graph.es]


def network_from_links(nodes: Sequence[Node],
                       links: Iterable[tuple[Hashable, Hashable, float]]) -> Network:
    """Build from organisation-to-organisation links; repeated pairs add up, self-links drop."""
    position = {n.key: i for i, n in enumerate(nodes)}
    weights: dict[tuple[int, int], float] = defaultdict(float)
    for a, b, w in links:
        i, j = position[a], position[b]
        if i != j:
            weights[(min(i, j), max(i, j))] += float(w)
    graph = ig.Graph(n=len(nodes), edges=list(weights), directed=False)
    graph.es["weight"] = list(weights.values())
    return Network(nodes=list(nodes), graph=graph)


def coparticipation_links(participations: Iterable[tuple[Hashable, Hashable]],
                          max_participants: int = 50) -> list[tuple[Hashable, Hashable, float]]:
    """(project, organisation) pairs -> one link per pair of organisations per shared project.

    Projects with more than ``max_participants`` organisations (networks, not consortia) are
    skipped: they would add thousands of links that say little about working together.
    """
    members: dict[Hashable, set[Hashable]] = defaultdict(set)
    for project, organisation in participations:
        members[project].add(organisation)
    weights: dict[tuple, float] = defaultdict(float)
    for orgs in members.values():
        if len(orgs) > max_participants:
            continue
        for a, b in combinations(sorted(orgs, key=repr), 2):
            weights[(a, b)] += 1.0
    return [(a, b, w) for (a, b), w in weights.items()]
