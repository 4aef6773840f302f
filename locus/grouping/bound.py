"""A combinatorial lower bound on the objective (used to report the gap at any size).

Each participant's mean cost to its group-mates is at least the mean of its cheapest
compatible partners (a group has at least min_size - 1 of them), so the sum of group terms
t_g is at least the sum of those per-unit minima; the worst group's mean pair cost is at least
the average one. Units (keep-together blocks) use a fractional fill over partner units.
The bound ignores sector caps and interactions between participants, so it is loose: the
reported gap is an upper estimate of the true distance to optimal.
"""

from __future__ import annotations

import math

import numpy as np

from locus.grouping.instance import Instance

_CHUNK = 256


def _fill_bound(costs: np.ndarray, weights: np.ndarray, need: int) -> float:
    """Smallest total cost of `need` participants drawn fractionally from sorted units."""
    total, left = 0.0, float(need)
    for c, w in zip(costs, weights, strict=False):
        if not math.isfinite(c):
            return math.inf
        take = min(left, float(w))
        total += take * c
        left -= take
        if left <= 0:
            return total
    return math.inf


def _unit_bounds(inst: Instance, rows: np.ndarray, in_person: bool) -> np.ndarray:
    s = inst.settings
    cost = inst.base[rows].astype(float)
    ok = ~inst.hard[rows]
    if in_person:
        cost = cost + inst.travel[rows]
        ok &= ~inst.far[rows] & inst.can_ip[None, :] & inst.can_ip[rows][:, None]
    else:
        ok &= inst.can_on[None, :] & inst.can_on[rows][:, None]
    ok[np.arange(len(rows)), rows] = False
    per = np.where(ok, cost / inst.weight[None, :], np.inf)
    keep = min(s.max_size, per.shape[1])
    idx = np.argpartition(per, keep - 1, axis=1)[:, :keep] if keep < per.shape[1] else \
        np.tile(np.arange(per.shape[1]), (len(rows), 1))
    out = np.full(len(rows), np.inf)
    internal = inst.base_in[rows] + (inst.travel_in[rows] if in_person else 0)
    for r, u in enumerate(rows):
        order = idx[r][np.argsort(per[r, idx[r]])]
        c, w = per[r, order], inst.weight[order]
        wu = int(inst.weight[u])
        for size in range(max(s.min_size, wu), s.max_size + 1):
            fill = _fill_bound(c, w, size - wu)
            if math.isfinite(fill):
                out[r] = min(out[r], (2 * internal[r] + fill) / (size - 1))
    return out


def lower_bound(*, inst: Instance) -> int:
    """A lower bound on the integer objective Z for this instance."""
    member = np.zeros(inst.n_units)
    pair_only = np.zeros(inst.n_units)
    for start in range(0, inst.n_units, _CHUNK):
        rows = np.arange(start, min(inst.n_units, start + _CHUNK))
        ip = np.where(inst.can_ip[rows], _unit_bounds(inst, rows, True), np.inf)
        on = np.where(inst.can_on[rows], _unit_bounds(inst, rows, False), np.inf)
        member[rows] = np.minimum(ip, on + inst.online_pen[rows])
        pair_only[rows] = np.minimum(ip, on)
    placeable = np.isfinite(pair_only)
    n_placed = int(inst.weight[placeable].sum())
    head = math.ceil(float(member[placeable].sum()) - 1e-6)
    worst = 0
    if n_placed:
        worst = math.ceil(float(pair_only[placeable].sum()) * inst.pmax / n_placed - 1e-6)
    return inst.pmax * max(head, 0) + inst.fair_coef * max(worst, 0)
