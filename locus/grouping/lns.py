"""CP-SAT phases: large-neighbourhood search for big cohorts, one full model for small ones.

LNS: pick a group, add the groups whose members could most often swap with it, free their
(unlocked) members, let CP-SAT re-partition them exactly (warm-started from the current
grouping), keep the result if the objective drops. The neighbourhood grows while CP-SAT
proves sub-models optimal and shrinks when it runs out of time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from locus.grouping.cpsat import SubProblem, SubResult, solve_subproblem
from locus.grouping.instance import Instance
from locus.grouping.objective import Layout
from locus.grouping.state import SearchState


@dataclass
class LnsStats:
    calls: int = 0
    improved: int = 0
    optimal: int = 0
    dtime: float = 0.0
    seconds: float = 0.0
    sizes: list[int] = field(default_factory=list)


def _related(st: SearchState, g0: int, count: int, rng: np.random.Generator) -> list[int]:
    inst = st.inst
    ok = (st.Ch[g0] == 0) & np.where(st.ip[g0], (st.Cf[g0] == 0) & inst.can_ip, inst.can_on)
    placed = (st.gof >= 0) & ~st.locked & ok
    counts = np.bincount(st.gof[placed], minlength=st.k).astype(float)
    counts[g0] = 0
    counts[st.size == 0] = 0
    if counts.sum() == 0:
        return []
    weights = counts ** 2 / (counts ** 2).sum()
    take = min(count, int((weights > 0).sum()))
    return [int(g) for g in rng.choice(st.k, size=take, replace=False, p=weights)]


def _pick_centre(st: SearchState, rng: np.random.Generator) -> int:
    """Half the time one of the three worst groups (the max-min term), else any group."""
    if rng.random() < 0.5:
        return int(st.top_idx[int(rng.integers(min(3, int((st.top_idx >= 0).sum()))))])
    return int(rng.choice(np.flatnonzero(st.size > 0)))


def apply_result(st: SearchState, res: SubResult) -> None:
    for g, ip in res.modes.items():
        if bool(st.ip[g]) != ip:
            st.ip[g] = ip
    for u, g in res.group_of.items():
        if int(st.gof[u]) != g:
            frm = int(st.gof[u])
            if frm >= 0:
                st._remove(u, frm)
            if g >= 0:
                st._add(u, g)
    st._refresh_groups()


def lns(*, st: SearchState, rng: np.random.Generator, dtime_budget: float, deadline: float,
        workers: int) -> LnsStats:
    """Improve st in place with CP-SAT repairs until the deterministic budget is spent."""
    stats = LnsStats()
    size, per_call = 3, 0.3
    active = np.flatnonzero(st.size > 0)
    if len(active) < 2:
        return stats
    while stats.dtime < dtime_budget and time.monotonic() < deadline:
        g0 = _pick_centre(st, rng)
        groups = [g0, *_related(st, g0, size - 1, rng)]
        units = np.flatnonzero(np.isin(st.gof, groups) & ~st.locked)
        out = np.flatnonzero(st.gof < 0)
        units = np.concatenate([units, out])
        sub = SubProblem(units=units, groups=np.array(groups), variable_modes=len(out) > 0)
        left = min(deadline - time.monotonic(), 5 * per_call + 1.0)
        res = solve_subproblem(st=st, sub=sub, dtime=min(per_call, dtime_budget - stats.dtime),
                               seconds=left, seed=int(rng.integers(2**31 - 1)), workers=workers,
                               allow_unplaced={int(u) for u in out})
        stats.calls += 1
        stats.dtime += res.dtime
        stats.seconds += res.seconds
        stats.sizes.append(len(groups))
        before = st.total()
        if res.objective is not None and res.objective < before:
            apply_result(st, res)
            stats.improved += 1
        if res.status == "OPTIMAL":
            stats.optimal += 1
            size = min(size + 1, 8, len(active))
        else:
            size = max(2, size - 1)
    return stats


def full_layout(*, inst: Instance, layout: Layout) -> Layout:
    """Canonical layout for the full model: locked groups first, then groups ordered by their
    first unlocked unit, then empty groups up to the most groups the cohort could fill."""
    s = inst.settings
    labels = list(inst.locked_labels)
    order = [g for g in range(len(layout.labels))
             if layout.labels[g] not in labels and len(layout.members(g))]
    order.sort(key=lambda g: int(layout.members(g).min()))
    spare = int(inst.weight[inst.locked < 0].sum()) // s.min_size
    k = len(labels) + max(spare, len(order))
    group_of = np.full(inst.n_units, -1)
    in_person = np.zeros(k, dtype=bool)
    for g, label in enumerate(layout.labels):
        if g not in order and label not in labels:
            continue
        if label in labels:
            new = labels.index(label)
        else:
            new = len(inst.locked_labels) + order.index(g)
        group_of[layout.group_of == g] = new
        in_person[new] = layout.in_person[g]
    names = labels + [f"_new{i}" for i in range(k - len(labels))]
    return Layout(group_of=group_of, in_person=in_person, labels=tuple(names))


def full_solve(*, inst: Instance, layout: Layout, dtime: float, seconds: float, seed: int,
               workers: int) -> tuple[SubResult, SearchState]:
    """Solve the whole (small) problem exactly, warm-started from `layout`."""
    st = SearchState(inst, full_layout(inst=inst, layout=layout))
    sub = SubProblem(units=np.arange(inst.n_units), groups=np.arange(st.k),
                     variable_modes=True, optional_groups=True, symmetry=True)
    res = solve_subproblem(st=st, sub=sub, dtime=dtime, seconds=seconds, seed=seed,
                           workers=workers, allow_unplaced=set(range(inst.n_units)))
    return res, st
