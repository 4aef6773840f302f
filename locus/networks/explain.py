"""Reasons for a recommendation, in words a programme manager can check."""

from __future__ import annotations

import math

import numpy as np

from locus.networks.recommend import NEED_LABELS, Query, RecommenderIndex, _fits, _query_vector


def _shared_terms(index: RecommenderIndex, query: Query, i: int, limit: int = 4) -> list[str]:
    qvec = _query_vector(index, query)
    overlap = index.tfidf[i].multiply(qvec)
    if overlap.nnz == 0:
        return []
    order = np.argsort(-overlap.data)[:limit]
    return [str(index.terms[overlap.indices[j]]).replace("_", " ") for j in order]


def _shared_partners(index: RecommenderIndex, i: int, seeds: list[int],
                     limit: int = 3) -> tuple[list[str], int]:
    mine = set()
    for s in seeds:
        mine |= set(index.adjacency[s].indices.tolist())
    theirs = set(index.adjacency[i].indices.tolist())
    common = sorted(mine & theirs, key=lambda j: -index.degree[j])
    return [index.nodes[j].name for j in common[:limit]], len(common)


def _and(words: list[str]) -> str:
    return " and ".join(words) if len(words) < 3 else f"{', '.join(words[:-1])} and {words[-1]}"


def reasons_for(index: RecommenderIndex, query: Query, i: int, parts: dict[str, np.ndarray],
                seeds: list[int]) -> list[str]:
    node = index.nodes[i]
    out: list[str] = []
    met = [need for need in query.needs if _fits(node, need)]
    if not index.degree[i]:
        # said first, so that nobody reads the reasons below as evidence of working together
        basis = [word for word, present in (
            ("shared topics", parts["topic"][i] > 0), ("nearness", parts["proximity"][i] > 0),
            ("its type", bool(met) or parts["complement"][i] > 0)) if present]
        out.append("No collaborations recorded in the loaded data; suggested because of "
                   f"{_and(basis)} alone.")
    terms = _shared_terms(index, query, i)
    if terms and parts["topic"][i] > 0:
        out.append(f"Works on the same topics: {', '.join(terms)} "
                   f"(similarity {parts['topic'][i]:.2f}).")
    names, count = _shared_partners(index, i, seeds) if seeds else ([], 0)
    if count:
        out.append(f"Has worked with {'one' if count == 1 else count} of your partners: {', '.join(names)}"
                   f"{' and others' if count > len(names) else ''}.")
    elif parts["network"][i] > 0:
        out.append("Three steps away in the network: a partner of one of your partners' partners.")
    if parts["proximity"][i] > 0:
        km = -50.0 * math.log(parts["proximity"][i]) if parts["proximity"][i] < 1 else 0.0
        where = node.places.get("lad_name") or node.places.get("lad") or ""
        out.append(f"About {km:.0f} km away" + (f", in {where}" if where else "") + "."
                   if km >= 1 else "In the same area" + (f" ({where})" if where else "") + ".")
    if met:
        reason = f" {query.need_reason}" if query.need_reason else ""
        out.append(f"Is {NEED_LABELS.get(met[0], met[0])}, which your consortium needs{reason}.")
    elif parts["complement"][i] > 0:
        out.append("Brings the other side of a university-business partnership.")
    if index.degree[i]:
        links = int(index.degree[i])
        out.append(f"Has {links} collaboration {'link' if links == 1 else 'links'} in the network.")
    return out
