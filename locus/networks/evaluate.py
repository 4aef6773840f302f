"""Hold-out evaluation of partner recommendations (recall@k) against simple baselines.

Hide a random share of the links, build the index from the rest, and for every organisation
that lost a link ask each method for its top k new partners. recall@k = hidden links found /
hidden links (each hidden link counts from both ends). Baselines: popularity (most links first),
same place (organisations in the same area, most links first, then the rest by links) and a
published list (Nesta's own recommended partners, in their order).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from locus.networks.graph import Node
from locus.networks.recommend import Query, RecommenderIndex, Weights, index_build, recommend

Ranker = Callable[[RecommenderIndex, Hashable, set[Hashable], int], list[Hashable]]


@dataclass(frozen=True)
class Split:
    train: list[tuple[Hashable, Hashable]]
    hidden: dict[Hashable, set[Hashable]]


def split_links(links: Sequence[tuple[Hashable, Hashable]], *, fraction: float, seed: int) -> Split:
    """Hide ``fraction`` of the links, never an organisation's last one (so it has a profile)."""
    rng = random.Random(seed)
    order = list(links)
    rng.shuffle(order)
    degree: dict[Hashable, int] = defaultdict(int)
    for a, b in order:
        degree[a] += 1
        degree[b] += 1
    target, hidden, train = int(len(order) * fraction), defaultdict(set), []
    count = 0
    for a, b in order:
        if count < target and degree[a] > 1 and degree[b] > 1:
            hidden[a].add(b)
            hidden[b].add(a)
            degree[a] -= 1
            degree[b] -= 1
            count += 1
        else:
            train.append((a, b))
    return Split(train=train, hidden=dict(hidden))


def _known(index: RecommenderIndex, key: Hashable) -> set[Hashable]:
    i = index.position[key]
    return {index.nodes[j].key for j in index.adjacency[i].indices} | {key}


def rank_model(weights: Weights) -> Ranker:
    def rank(index, key, exclude, k):
        return [r.key for r in recommend(index, Query(key=key), k=k, weights=weights,
                                         explain=False)]
    return rank


def rank_popularity(index, key, exclude, k):
    order = np.argsort(-index.degree, kind="stable")
    return [index.nodes[i].key for i in order if index.nodes[i].key not in exclude][:k]


def rank_same_place(index, key, exclude, k):
    place = index.nodes[index.position[key]].places.get("lad")
    order = sorted(range(len(index.nodes)), key=lambda i: (
        index.nodes[i].places.get("lad") != place, -index.degree[i], i))
    return [index.nodes[i].key for i in order if index.nodes[i].key not in exclude][:k]


def rank_published(published: dict[Hashable, list[Hashable]]) -> Ranker:
    def rank(index, key, exclude, k):
        return [p for p in published.get(key, []) if p not in exclude][:k]
    return rank


def recall_at_k(index: RecommenderIndex, hidden: dict[Hashable, set[Hashable]], ranker: Ranker,
                k: int = 10) -> float:
    found = total = 0
    for key, targets in hidden.items():
        exclude = _known(index, key)
        ranked = set(ranker(index, key, exclude, k))
        found += len(ranked & targets)
        total += len(targets)
    return found / total if total else 0.0


def evaluate(nodes: Sequence[Node], links: Sequence[tuple[Hashable, Hashable]],
             rankers: dict[str, Ranker], *, fraction: float = 0.2, seeds: Sequence[int] = range(5),
             k: int = 10) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {name: [] for name in rankers}
    for seed in seeds:
        split = split_links(links, fraction=fraction, seed=seed)
        index = index_build(nodes, split.train)
        for name, ranker in rankers.items():
            results[name].append(recall_at_k(index, split.hidden, ranker, k))
    return results


def evaluate_cold_start(nodes: Sequence[Node], links: Sequence[tuple[Hashable, Hashable]],
                        rankers: dict[str, Ranker], *, k: int = 10) -> dict[str, float]:
    """How well each method finds the partners of an organisation whose links are all unknown,
    as if it were one of the organisations with no recorded collaborations: for every linked
    organisation in turn, drop all its links, rebuild the index and look for them in its top k.
    recall@k = partners found / partners, over all organisations."""
    found = {name: 0 for name in rankers}
    total = 0
    for node in nodes:
        targets = {b if a == node.key else a for a, b in links if node.key in (a, b)}
        if not targets:
            continue
        index = index_build(nodes, [(a, b) for a, b in links if node.key not in (a, b)])
        total += len(targets)
        for name, ranker in rankers.items():
            found[name] += len(set(ranker(index, node.key, {node.key}, k)) & targets)
    return {name: n / total if total else 0.0 for name, n in found.items()}
