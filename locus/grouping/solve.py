"""`groups_form`: greedy construction, local search, then CP-SAT, within the time limit.

Budgets are deterministic (local-search work units, CP-SAT deterministic time) and derived
from `settings.time_limit`, so a run is reproducible for a given seed, worker count and time
limit; a wall-clock deadline only guards against a much slower machine (reported as
`stats["hit_wall_clock"]`, in which case the run may not be reproducible).
"""

from __future__ import annotations

import time

import numpy as np

from locus.grouping.bound import lower_bound
from locus.grouping.errors import (
    Diagnosis,
    GroupingInfeasibleError,
    GroupingInputError,
    RowError,
)
from locus.grouping.feasibility import Feasibility, feasibility_check, unplaced_reason
from locus.grouping.greedy import construct
from locus.grouping.instance import SCALE, Instance, instance_build
from locus.grouping.lns import apply_result, full_solve, lns
from locus.grouping.local_search import (
    Budget,
    insert_unplaced,
    iterated_local_search,
    open_groups,
)
from locus.grouping.objective import Layout, layout_score, layout_violations
from locus.grouping.problem import Problem, Settings, problem_issues
from locus.grouping.solution import Group, Solution, Unplaced
from locus.grouping.state import SearchState
from locus.grouping.wording import unplaced_text

LS_WORK_PER_SECOND = 2.2e6
CPSAT_DTIME_PER_SECOND = 0.5
FULL_MODEL_MAX_UNITS = 48
SMOOTH_MAX_TAU = 0.005


def _check_input(problem: Problem) -> None:
    issues = problem_issues(problem=problem)
    if issues:
        raise GroupingInputError([RowError("<problem>", None, i.field,
                                           f"{i.participant_id}: {i.message}") for i in issues])


def _value(inst: Instance, z: int) -> float:
    """Reported objective of an integer Z, without the unplaced penalty."""
    return z / (inst.pmax * SCALE)


def _phase_value(inst: Instance, layout: Layout) -> float:
    return layout_score(inst=inst, layout=layout).value


def groups_form(*, problem: Problem, settings: Settings, prefer_existing: bool = False,
                locked_modes: dict[str, bool] | None = None) -> Solution:
    """Form groups. Raises GroupingInputError (bad data) or GroupingInfeasibleError."""
    t0 = time.monotonic()
    _check_input(problem)
    inst = instance_build(problem=problem, settings=settings)
    feas = feasibility_check(inst=inst)
    if feas.structural or (feas.unplaceable and not settings.allow_unplaced):
        raise GroupingInfeasibleError(list(feas.structural) + list(feas.unplaceable))
    rng = np.random.default_rng(settings.seed)
    layout = construct(inst=inst, rng=rng, prefer_existing=prefer_existing,
                       locked_modes=locked_modes)
    phases = {"greedy": _phase_value(inst, layout)}
    layout, stats = _improve(inst, layout, rng, t0, phases)
    return solution_build(inst=inst, layout=layout, feas=feas, stats=stats, phases=phases,
                          t0=t0)


def _improve(inst: Instance, layout: Layout, rng: np.random.Generator, t0: float,
             phases: dict[str, float]) -> tuple[Layout, dict]:
    s = inst.settings
    small = inst.n_units <= FULL_MODEL_MAX_UNITS
    ls_share, cp_share = (0.25, 0.6) if small else (0.7, 0.15)
    st = SearchState(inst, _with_spares(layout, 2))
    insert_unplaced(st)
    open_groups(st)
    st.set_tau(SMOOTH_MAX_TAU * max(st.F, 1))
    budget = Budget(work_limit=LS_WORK_PER_SECOND * ls_share * s.time_limit,
                    deadline=t0 + (ls_share + 0.1) * s.time_limit)
    ls_stats = iterated_local_search(st=st, rng=rng, budget=budget)
    st.set_tau(0.0)
    phases["local_search"] = _phase_value(inst, st.layout())
    stats: dict = {"ls_work": budget.work, "ls_kicks": ls_stats["kicks"],
                   "hit_wall_clock": budget.hit_wall, "cpsat_bound": None}
    deadline = t0 + 0.92 * s.time_limit
    dtime = CPSAT_DTIME_PER_SECOND * cp_share * s.time_limit
    if small:
        res, fst = full_solve(inst=inst, layout=st.layout(), dtime=dtime,
                              seconds=max(0.1, deadline - time.monotonic()),
                              seed=int(rng.integers(2**31 - 1)), workers=s.num_workers)
        stats.update(cpsat_status=res.status, cpsat_dtime=res.dtime, cpsat_bound=res.bound)
        if res.objective is not None and res.objective <= st.total():
            apply_result(fst, res)
            st = fst
    else:
        lstats = lns(st=st, rng=rng, dtime_budget=dtime, deadline=deadline,
                     workers=s.num_workers)
        stats.update(cpsat_status="LNS", cpsat_dtime=lstats.dtime, lns_calls=lstats.calls,
                     lns_improved=lstats.improved, lns_optimal=lstats.optimal)
    stats["hit_wall_clock"] |= time.monotonic() > deadline
    phases["cpsat"] = _phase_value(inst, st.layout())
    return _relabel(st), stats


def _with_spares(layout: Layout, count: int) -> Layout:
    """The layout plus empty groups the search may open for participants left unplaced."""
    return Layout(group_of=layout.group_of, in_person=np.concatenate(
        [layout.in_person, np.zeros(count, dtype=bool)]),
        labels=layout.labels + tuple(f"_spare{i}" for i in range(count)))


def _relabel(st: SearchState) -> Layout:
    """Drop empty groups and name new groups G01, G02, ... in order of first member."""
    inst = st.inst
    keep = [g for g in range(st.k) if st.size[g] > 0]
    locked = set(inst.locked_labels)
    new = sorted((g for g in keep if st.labels[g] not in locked),
                 key=lambda g: int(np.flatnonzero(st.gof == g).min()))
    names, number = {}, 0
    for g in new:
        number += 1
        while f"G{number:02d}" in locked:
            number += 1
        names[g] = f"G{number:02d}"
    order = [g for g in keep if g not in names] + new
    remap = np.full(st.k, -1)
    remap[order] = np.arange(len(order))
    group_of = np.where(st.gof >= 0, remap[np.maximum(st.gof, 0)], -1)
    labels = tuple(names.get(g, st.labels[g]) for g in order)
    return Layout(group_of=group_of, in_person=st.ip[order].copy(), labels=labels)


def solution_build(*, inst: Instance, layout: Layout, feas: Feasibility, stats: dict,
                   phases: dict, t0: float) -> Solution:
    """Check a layout against every hard constraint and package it as a Solution."""
    violations = layout_violations(inst=inst, layout=layout)
    if violations:
        raise AssertionError(f"internal error, hard constraints broken: {violations[:5]}")
    score = layout_score(inst=inst, layout=layout)
    unplaced = _unplaced(inst, layout, feas)
    if unplaced and not inst.settings.allow_unplaced:
        raise GroupingInfeasibleError([
            Diagnosis.of("unplaced", (u.id,), firm=u.id, why=u.code, why_facts=u.facts,
                         reason=u.reason) for u in unplaced])
    bound = _value(inst, lower_bound(inst=inst))
    if stats.get("cpsat_bound") is not None:
        bound = max(bound, _value(inst, int(np.ceil(stats["cpsat_bound"] - 1e-6))) -
                    inst.big * score.unplaced / SCALE)
    objective = score.value
    bound = min(bound, objective)
    optimal = stats.get("cpsat_status") == "OPTIMAL"
    gap = 0.0 if objective <= 0 or optimal else (objective - bound) / objective
    groups = tuple(
        Group(label=layout.labels[g], mode="in_person" if layout.in_person[g] else "online",
              members=tuple(inst.participants[i].id for u in layout.members(g)
                            for i in inst.units[int(u)]))
        for g in range(len(layout.labels)) if len(layout.members(g)))
    stats.update(n=inst.n, groups=len(groups), unplaced=len(unplaced),
                 seed=inst.settings.seed, workers=inst.settings.num_workers)
    return Solution(groups=groups, unplaced=unplaced, objective=round(objective, 4),
                    bound=round(bound, 4), gap=round(gap, 4),
                    seconds=round(time.monotonic() - t0, 3),
                    status="OPTIMAL" if optimal else "FEASIBLE",
                    diagnoses=feas.unplaceable, phases={k: round(v, 4) for k, v in phases.items()},
                    stats=stats)


def _unplaced(inst: Instance, layout: Layout, feas: Feasibility) -> tuple[Unplaced, ...]:
    known = {pid: d for d in feas.unplaceable for pid in d.participant_ids}
    size = np.array([int(inst.weight[layout.members(g)].sum())
                     for g in range(len(layout.labels))], dtype=np.int64)
    out = []
    for u in np.flatnonzero(layout.group_of < 0):
        for i in inst.units[int(u)]:
            pid = inst.participants[i].id
            if pid in known:
                d = known[pid]
                out.append(Unplaced(id=pid, reason=d.message, code=d.constraint,
                                    facts=dict(d.facts)))
                continue
            code, facts = unplaced_reason(inst=inst, gof=layout.group_of,
                                          in_person=layout.in_person, size=size, u=int(u))
            out.append(Unplaced(id=pid, reason=unplaced_text(code, facts), code=code,
                                facts=facts))
    return tuple(out)

