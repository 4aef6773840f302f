"""The composite objective (a cost: lower is better), evaluated exactly in integers.

For a group g of s members in mode m (in person or online):

    R_g   = sum over member pairs of base cost (themes + size + repeat) [+ travel if in person]
    t_g   = ceil(2 R_g / (s - 1))      sum over members of their mean cost to group-mates
    f_g   = ceil(R_g * P / pairs(s))   the group's mean pair cost, scaled to P = pairs(max_size)
    sec_g = sector weight * members beyond the per-division cap
    onl_g = in-person preference weight * either-mode firms with a location, if online

    Z = P * (sum t_g + sum sec_g + sum onl_g + BIG * unplaced) + fair_coef * max_g f_g

with fair_coef = round(fairness weight * n). Z / (P * SCALE) is the reported objective: the
sum over participants of their mean pair cost, plus sector and mode penalties, plus
`fairness * n` times the worst group's mean pair cost.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from locus.grouping.instance import SCALE, Instance


@dataclass(frozen=True)
class Layout:
    """A grouping at unit level: group index per unit (-1 = unplaced), mode and label per group."""

    group_of: np.ndarray
    in_person: np.ndarray
    labels: tuple[str, ...]

    def members(self, g: int) -> np.ndarray:
        return np.flatnonzero(self.group_of == g)


@dataclass(frozen=True)
class Score:
    total: int
    member_cost: int
    sector: int
    online: int
    worst: int
    unplaced: int
    pmax: int
    fair_coef: int

    @property
    def value(self) -> float:
        """Reported objective, excluding the unplaced penalty (cost units; lower is better)."""
        raw = self.pmax * (self.member_cost + self.sector + self.online)
        return (raw + self.fair_coef * self.worst) / (self.pmax * SCALE)


def ceil_div(a: int | np.ndarray, b: int | np.ndarray) -> int | np.ndarray:
    return -((-a) // b)


def pairs(s: int | np.ndarray) -> int | np.ndarray:
    return s * (s - 1) // 2


def group_raw(inst: Instance, members: np.ndarray, in_person: bool) -> int:
    """R_g for the given unit indices."""
    sub = inst.base[np.ix_(members, members)].astype(np.int64)
    internal = int(inst.base_in[members].sum())
    if in_person:
        sub = sub + inst.travel[np.ix_(members, members)]
        internal += int(inst.travel_in[members].sum())
    return int(sub.sum()) // 2 + internal


def group_sector(inst: Instance, members: np.ndarray) -> int:
    counts = inst.divc[members].sum(axis=0)
    return int(np.maximum(counts - inst.settings.sector_cap, 0).sum()) * inst.sector_cost


def group_terms(inst: Instance, members: np.ndarray, in_person: bool) -> dict[str, int]:
    """All per-group terms of the objective for a non-empty group."""
    size = int(inst.weight[members].sum())
    raw = group_raw(inst, members, in_person)
    t = int(ceil_div(2 * raw, max(size - 1, 1)))
    f = int(ceil_div(raw * inst.pmax, max(pairs(size), 1)))
    onl = 0 if in_person else int(inst.online_pen[members].sum())
    return {"size": size, "raw": raw, "t": t, "f": f, "sector": group_sector(inst, members),
            "online": onl}


def layout_score(*, inst: Instance, layout: Layout) -> Score:
    """Exact objective of a layout (reference implementation used by tests and the oracle)."""
    member = sector = online = worst = 0
    for g in range(len(layout.in_person)):
        members = layout.members(g)
        if len(members) == 0:
            continue
        terms = group_terms(inst, members, bool(layout.in_person[g]))
        member += terms["t"]
        sector += terms["sector"]
        online += terms["online"]
        worst = max(worst, terms["f"])
    unplaced = int(inst.weight[layout.group_of < 0].sum())
    total = inst.pmax * (member + sector + online + inst.big * unplaced) + inst.fair_coef * worst
    return Score(total=total, member_cost=member, sector=sector, online=online, worst=worst,
                 unplaced=unplaced, pmax=inst.pmax, fair_coef=inst.fair_coef)


def layout_violations(*, inst: Instance, layout: Layout) -> list[str]:
    """Hard-constraint violations at unit level (empty list = feasible)."""
    out: list[str] = []
    s = inst.settings
    for g in range(len(layout.in_person)):
        members = layout.members(g)
        if len(members) == 0:
            continue
        size = int(inst.weight[members].sum())
        ip = bool(layout.in_person[g])
        if not s.min_size <= size <= s.max_size:
            out.append(f"group {layout.labels[g]} has {size} members")
        if inst.hard[np.ix_(members, members)].any() or inst.hard_in[members].any():
            out.append(f"group {layout.labels[g]} holds an avoided or competing pair")
        if ip and (inst.far[np.ix_(members, members)].any() or not inst.can_ip[members].all()):
            out.append(f"in-person group {layout.labels[g]} breaks max_km or mode")
        if not ip and not inst.can_on[members].all():
            out.append(f"online group {layout.labels[g]} holds an in-person-only firm")
        locks = set(inst.locked[members].tolist()) - {-1}
        for lk in locks:
            if lk < 0 or inst.locked_labels[lk] != layout.labels[g]:
                out.append(f"group {layout.labels[g]} holds a firm locked elsewhere")
    return out
