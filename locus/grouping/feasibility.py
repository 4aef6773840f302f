"""Diagnose infeasibility before solving, and explain why anyone was left unplaced.

Structural contradictions (a keep-together chain holding competitors, a locked group larger
than max_size, ...) make the whole problem infeasible. Local shortages (too few compatible
in-person firms within max_km) make some participants unplaceable: they are reported with
the reason, or, with `allow_unplaced=False`, the problem is rejected.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from locus.grouping.errors import Diagnosis
from locus.grouping.geo import haversine_km
from locus.grouping.instance import Instance


@dataclass(frozen=True)
class Feasibility:
    structural: tuple[Diagnosis, ...]
    unplaceable: tuple[Diagnosis, ...]
    unplaceable_units: frozenset[int]


def _ids(inst: Instance, units) -> tuple[str, ...]:
    return tuple(inst.participants[i].id for u in units for i in inst.units[int(u)])


def _sizes(inst: Instance) -> dict:
    s = inst.settings
    return {"min_size": s.min_size, "max_size": s.max_size, "max_km": s.max_km,
            "competitor_km": s.competitor_km}


def _conflict(inst: Instance, i: int, j: int) -> bool:
    """Participants i and j may not share a group: same SIC class close by (or without a
    location), or one asked to be kept apart from the other."""
    a, b = inst.participants[i], inst.participants[j]
    if a.id in b.avoid or b.id in a.avoid:
        return True
    if not a.sic_class or a.sic_class != b.sic_class:
        return False
    if not (a.has_location and b.has_location):
        return True
    return haversine_km(lat1=a.lat, lon1=a.lon, lat2=b.lat,
                        lon2=b.lon) <= inst.settings.competitor_km


def _first_pair(inst: Instance, units) -> list[str] | None:
    """The first two participants of `units` that may not share a group, as ids."""
    idx = [int(i) for u in units for i in inst.units[int(u)]]
    for a, i in enumerate(idx):
        for j in idx[a + 1:]:
            if _conflict(inst, i, j):
                return [inst.participants[i].id, inst.participants[j].id]
    return None


def _unit_checks(inst: Instance) -> list[Diagnosis]:
    s, out = inst.settings, []
    facts = _sizes(inst)
    for u in range(inst.n_units):
        ids = _ids(inst, [u])
        if len(ids) == 1:
            if not (inst.can_on[u] or inst.can_ip[u]):
                out.append(Diagnosis.of("mode", ids, firm=ids[0], **facts))
            continue
        if inst.hard_in[u]:
            out.append(Diagnosis.of("together_vs_avoid", ids, firms=list(ids),
                                    pair=_first_pair(inst, [u]), **facts))
        if inst.weight[u] > s.max_size:
            out.append(Diagnosis.of("together_size", ids, firms=list(ids), count=len(ids),
                                    **facts))
        if inst.locked[u] == -2:
            groups = sorted({inst.participants[i].locked_group for i in inst.units[u]
                             if inst.participants[i].locked_group})
            out.append(Diagnosis.of("together_vs_locked", ids, firms=list(ids), groups=groups,
                                    **facts))
        if not (inst.can_on[u] or inst.can_ip[u]):
            out.append(Diagnosis.of("together_mode", ids, firms=list(ids), **facts))
    return out


def _locked_checks(inst: Instance) -> list[Diagnosis]:
    s, out = inst.settings, []
    facts = _sizes(inst)
    for g, label in enumerate(inst.locked_labels):
        members = np.flatnonzero(inst.locked == g)
        ids = _ids(inst, members)
        size = int(inst.weight[members].sum())
        if size > s.max_size:
            out.append(Diagnosis.of("locked_size", ids, group=label, size=size, **facts))
        if inst.hard[np.ix_(members, members)].any():
            out.append(Diagnosis.of("locked_conflict", ids, group=label,
                                    pair=_first_pair(inst, members), **facts))
        far = inst.far[np.ix_(members, members)].any() or not inst.can_ip[members].all()
        if not inst.can_on[members].all() and far:
            out.append(Diagnosis.of("locked_mode", ids, group=label, **facts))
    return out


def _components(adjacent: np.ndarray) -> np.ndarray:
    """Connected-component label of every node of a symmetric boolean adjacency matrix."""
    label = np.full(len(adjacent), -1)
    for start in range(len(adjacent)):
        if label[start] >= 0:
            continue
        label[start] = start
        frontier = np.array([start])
        while len(frontier):
            reached = adjacent[frontier].any(axis=0) & (label < 0)
            label[reached] = start
            frontier = np.flatnonzero(reached)
    return label


def _in_person_shortage(inst: Instance) -> tuple[list[Diagnosis], set[int]]:
    """Components of in-person-capable firms (linked within max_km) too small for a group."""
    s = inst.settings
    cap = np.flatnonzero(inst.can_ip)
    if len(cap) == 0:
        return [], set()
    label = _components(~inst.far[np.ix_(cap, cap)])
    out, bad = [], set()
    for comp in np.unique(label):
        members = cap[label == comp]
        only = [int(u) for u in members if not inst.can_on[u]]
        weight = int(inst.weight[members].sum())
        if weight >= s.min_size or not only:
            continue
        bad.update(only)
        ids = _ids(inst, only)
        out.append(Diagnosis.of("in_person_shortage", ids, in_person_only=list(ids),
                                nearby=weight, **_sizes(inst)))
    return out, bad


def _partner_shortage(inst: Instance, skip: set[int]) -> tuple[list[Diagnosis], set[int]]:
    """Firms whose compatible partners (any mode they can use) are too few for a group."""
    s, out, bad = inst.settings, [], set()
    for u in range(inst.n_units):
        if u in skip:
            continue
        reach = []  # (firms it could meet with, counting itself; the mode), best first
        if inst.can_ip[u]:
            ok = ~inst.hard[u] & ~inst.far[u] & inst.can_ip
            reach.append((int(inst.weight[ok].sum()), "in_person"))
        if inst.can_on[u]:
            reach.append((int(inst.weight[~inst.hard[u] & inst.can_on].sum()), "online"))
        best, mode = max(reach, default=(0, ""))
        if best < s.min_size:
            ids = _ids(inst, [u])
            bad.add(u)
            out.append(Diagnosis.of("partner_shortage", ids, firms=list(ids),
                                    partners=max(best - int(inst.weight[u]), 0),
                                    **_shortage_counts(inst, u, mode), **_sizes(inst)))
    return out, bad


def _shortage_counts(inst: Instance, u: int, mode: str) -> dict:
    """How many other firms each rule keeps from unit u, for its best way of meeting."""
    others = np.arange(inst.n_units) != u
    hard = inst.hard[u] & others
    free = others & ~hard
    if mode == "in_person":
        other_mode = free & ~inst.can_ip
        too_far = free & inst.can_ip & inst.far[u]
        meets = "in person" if not inst.can_on[u] else "in person, its best chance here"
    else:
        other_mode = free & ~inst.can_on
        too_far = np.zeros_like(free)
        meets = "online" if not inst.can_ip[u] else "online, its best chance here"
    w = inst.weight
    return {"others": int(w[others].sum()), "competitors": int(w[hard].sum()),
            "too_far": int(w[too_far].sum()), "other_mode": int(w[other_mode].sum()),
            "meets": meets}


def feasibility_check(*, inst: Instance) -> Feasibility:
    """Run every pre-solve check."""
    s = inst.settings
    structural = _unit_checks(inst) + _locked_checks(inst)
    total = int(inst.weight.sum())
    if total < s.min_size:
        structural.append(Diagnosis.of("cohort_size", (), total=total, **_sizes(inst)))
    shortage, bad = _in_person_shortage(inst)
    partner, bad2 = _partner_shortage(inst, bad)
    return Feasibility(structural=tuple(structural), unplaceable=tuple(shortage + partner),
                       unplaceable_units=frozenset(bad | bad2))


def unplaced_reason(*, inst: Instance, gof: np.ndarray, in_person: np.ndarray,
                    size: np.ndarray, u: int) -> tuple[str, dict]:
    """Why a unit the solver could not place is unplaced (given the final groups): a code and
    its facts (`locus.grouping.wording.unplaced_text` makes the sentence)."""
    s = inst.settings
    groups = np.flatnonzero(size > 0)
    members = [np.flatnonzero(gof == g) for g in groups]
    compatible = []
    for g, m in zip(groups, members, strict=True):
        ok = not inst.hard[u, m].any()
        ok &= bool(inst.can_ip[u] and not inst.far[u, m].any()) if in_person[g] \
            else bool(inst.can_on[u])
        if ok:
            compatible.append(int(g))
    facts = _sizes(inst)
    if not compatible:
        return "no_compatible_group", facts
    full = [g for g in compatible if size[g] + inst.weight[u] > s.max_size]
    if len(full) == len(compatible):
        return "groups_full", {**facts, "groups": len(compatible)}
    return "blocked", facts
