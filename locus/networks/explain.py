"""Reasons for a recommendation, in words a programme manager can check."""

from __future__ import annotations

import math

import numpy as np

from locus.networks.recommend import NEED_LABELS, Query, RecommenderIndex, _fits, shared_words


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
                seeds: list[int], said: tuple[list[str], list[str]] | None = None) -> list[str]:
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
    # each shared word is said with what it is shared with: the description, or the topics of the
    # organisation asked about (never the candidate's own topics that nothing in the query shares)
    if parts["topic"][i] > 0:
        described, asked = said if said is not None else shared_words(index, query, i)
        described, asked = described[:4], asked[:4]
        similarity = f" (similarity {parts['topic'][i]:.2f})"
        if described:
            out.append(f"Shares with your description: {', '.join(described)}{similarity}.")
            similarity = ""
        if asked:
            out.append(f"Shares topics with {index.nodes[index.position[query.key]].name}: "
                       f"{', '.join(asked)}{similarity}.")
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
