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
from locus.grouping.instance import Instance


@dataclass(frozen=True)
class Feasibility:
    structural: tuple[Diagnosis, ...]
    unplaceable: tuple[Diagnosis, ...]
    unplaceable_units: frozenset[int]


def _ids(inst: Instance, units) -> tuple[str, ...]:
    return tuple(inst.participants[i].id for u in units for i in inst.units[int(u)])


def _unit_checks(inst: Instance) -> list[Diagnosis]:
    s, out = inst.settings, []
    for u in range(inst.n_units):
        ids = _ids(inst, [u])
        if len(ids) == 1:
            if not (inst.can_on[u] or inst.can_ip[u]):
                out.append(Diagnosis("mode", f"{ids[0]} cannot meet online or in person", ids))
            continue
        names = ", ".join(ids)
        if inst.hard_in[u]:
            out.append(Diagnosis("together_vs_avoid", f"keep-together firms {names} include a "
                                 "competing or avoided pair", ids))
        if inst.weight[u] > s.max_size:
            out.append(Diagnosis("together_size", f"keep-together firms {names} number "
                                 f"{len(ids)}, more than max_size {s.max_size}", ids))
        if inst.locked[u] == -2:
            out.append(Diagnosis("together_vs_locked", f"keep-together firms {names} are "
                                 "locked to different groups", ids))
        if not (inst.can_on[u] or inst.can_ip[u]):
            out.append(Diagnosis("together_mode", f"keep-together firms {names} have no "
                                 f"common meeting mode (online, or in person within "
                                 f"{s.max_km:g} km)", ids))
    return out


def _locked_checks(inst: Instance) -> list[Diagnosis]:
    s, out = inst.settings, []
    for g, label in enumerate(inst.locked_labels):
        members = np.flatnonzero(inst.locked == g)
        ids = _ids(inst, members)
        size = int(inst.weight[members].sum())
        if size > s.max_size:
            out.append(Diagnosis("locked_size", f"locked group {label} has {size} members, "
                                 f"more than max_size {s.max_size}", ids))
        if inst.hard[np.ix_(members, members)].any():
            out.append(Diagnosis("locked_conflict", f"locked group {label} holds a competing "
                                 "or avoided pair", ids))
        far = inst.far[np.ix_(members, members)].any() or not inst.can_ip[members].all()
        if not inst.can_on[members].all() and far:
            out.append(Diagnosis("locked_mode", f"locked group {label} mixes firms that can "
                                 f"only meet in person with firms that cannot (online-only, "
                                 f"or more than {s.max_km:g} km apart)", ids))
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
        out.append(Diagnosis(
            "in_person_shortage",
            f"{weight} in-person firm(s) within {s.max_km:g} km of each other cannot form a "
            f"group of at least {s.min_size}; in-person-only: {', '.join(_ids(inst, only))}",
            _ids(inst, only)))
    return out, bad


def _partner_shortage(inst: Instance, skip: set[int]) -> tuple[list[Diagnosis], set[int]]:
    """Firms whose compatible partners (any mode they can use) are too few for a group."""
    s, out, bad = inst.settings, [], set()
    for u in range(inst.n_units):
        if u in skip:
            continue
        reach = []
        if inst.can_ip[u]:
            ok = ~inst.hard[u] & ~inst.far[u] & inst.can_ip
            reach.append(int(inst.weight[ok].sum()))
        if inst.can_on[u]:
            reach.append(int(inst.weight[~inst.hard[u] & inst.can_on].sum()))
        best = max(reach, default=0)
        if best < s.min_size:
            ids = _ids(inst, [u])
            bad.add(u)
            out.append(Diagnosis(
                "partner_shortage",
                f"{', '.join(ids)} can share a group with only {best - 1} other firm(s) "
                f"(after competitors, avoided firms, meeting mode and the {s.max_km:g} km "
                f"limit); a group needs at least {s.min_size}", ids))
    return out, bad


def feasibility_check(*, inst: Instance) -> Feasibility:
    """Run every pre-solve check."""
    s = inst.settings
    structural = _unit_checks(inst) + _locked_checks(inst)
    total = int(inst.weight.sum())
    if total < s.min_size:
        structural.append(Diagnosis("cohort_size", f"only {total} participant(s); a group "
                                    f"needs at least {s.min_size}", ()))
    shortage, bad = _in_person_shortage(inst)
    partner, bad2 = _partner_shortage(inst, bad)
    return Feasibility(structural=tuple(structural), unplaceable=tuple(shortage + partner),
                       unplaceable_units=frozenset(bad | bad2))


def unplaced_reason(*, inst: Instance, gof: np.ndarray, in_person: np.ndarray,
                    size: np.ndarray, u: int) -> str:
    """Why a unit the solver could not place is unplaced (given the final groups)."""
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
    if not compatible:
        return ("every group holds a competitor or avoided firm, meets in another mode, or is "
                f"beyond {s.max_km:g} km")
    full = [g for g in compatible if size[g] + inst.weight[u] > s.max_size]
    if len(full) == len(compatible):
        return (f"the {len(compatible)} group(s) it could join are full ({s.max_size}) and too "
                f"few firms remain to open a new group of {s.min_size}")
    return "no group could take it without breaking a hard constraint for someone else"
