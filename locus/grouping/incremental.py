"""Incremental use: late joiners into existing groups, and rebalancing after drop-outs.

Late joiners: every current member is locked to its group; joiners fill free places first
(cheapest group with room), and only the rest form new groups. Rebalance: a CP-SAT model
that first minimises the number of participants who change group (a group may be dissolved
if it cannot be refilled), then the cost of the moves; nobody else is touched.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace

import numpy as np
from ortools.sat.python import cp_model

from locus.grouping.errors import (
    Diagnosis,
    GroupingInfeasibleError,
    GroupingInputError,
    RowError,
)
from locus.grouping.feasibility import feasibility_check
from locus.grouping.instance import Instance, instance_build
from locus.grouping.objective import Layout
from locus.grouping.problem import Problem, Settings
from locus.grouping.solution import Solution
from locus.grouping.solve import groups_form, solution_build


def _modes(problem: Problem, settings: Settings, current: Mapping[str, str],
           modes: Mapping[str, str] | None) -> dict[str, bool]:
    """In person unless the caller says otherwise or a member cannot meet in person."""
    given = {k: v == "in_person" for k, v in (modes or {}).items()}
    out: dict[str, bool] = {}
    by_id = problem.by_id()
    for pid, label in current.items():
        p = by_id.get(pid)
        if p is None:
            continue
        out[label] = out.get(label, True) and p.can_meet_in_person
    return {label: given.get(label, ip) for label, ip in out.items()}


def groups_add_late_joiners(*, problem: Problem, settings: Settings,
                            current: Mapping[str, str],
                            modes: Mapping[str, str] | None = None) -> Solution:
    """Place participants absent from `current` without moving anyone who is in it."""
    errors = [RowError("<current>", None, "group", f"{pid}: locked to {p.locked_group} but "
                       f"currently in {current[pid]}")
              for pid, p in problem.by_id().items()
              if pid in current and p.locked_group and p.locked_group != current[pid]]
    if errors:
        raise GroupingInputError(errors)
    parts = tuple(replace(p, locked_group=current[p.id]) if p.id in current else p
                  for p in problem.participants)
    locked = Problem(participants=parts)
    sol = groups_form(problem=locked, settings=settings, prefer_existing=True,
                      locked_modes=_modes(problem, settings, current, modes))
    new = sol.assignment()
    moves = tuple((pid, "", new[pid]) for pid in sorted(new) if pid not in current)
    return replace(sol, moves=moves)


def groups_rebalance(*, problem: Problem, settings: Settings, current: Mapping[str, str],
                     modes: Mapping[str, str] | None = None) -> Solution:
    """Restore size bounds after drop-outs with the fewest moves (ids in `current` but not
    in `problem` have dropped out; ids in `problem` but not in `current` are placed too)."""
    t0 = time.monotonic()
    inst = instance_build(problem=problem, settings=settings)
    feas = feasibility_check(inst=inst)
    if feas.structural:
        raise GroupingInfeasibleError(list(feas.structural))
    labels = sorted({current[p.id] for p in problem.participants if p.id in current})
    ip_of = _modes(problem, settings, current, modes)
    in_person = np.array([ip_of.get(label, False) for label in labels], dtype=bool)
    cur = _current_groups(inst, current, labels)
    layout, status = _rebalance_model(inst, cur, labels, in_person)
    stats = {"rebalance_status": status, "cpsat_status": status, "cpsat_bound": None}
    sol = solution_build(inst=inst, layout=layout, feas=feas, stats=stats, phases={}, t0=t0)
    after = sol.assignment()
    moves = tuple((p.id, current.get(p.id, ""), after.get(p.id, ""))
                  for p in problem.participants if current.get(p.id, "") != after.get(p.id, ""))
    return replace(sol, moves=moves, stats={**sol.stats, "moves": len(moves)})


def _current_groups(inst: Instance, current: Mapping[str, str], labels: list[str]) -> np.ndarray:
    index = {label: g for g, label in enumerate(labels)}
    cur = np.full(inst.n_units, -1)
    for u, members in enumerate(inst.units):
        for i in members:
            label = current.get(inst.participants[i].id)
            if label is not None:
                cur[u] = index[label]
                break
    return cur


def _allowed(inst: Instance, cur: np.ndarray, in_person: np.ndarray, labels, u: int, g: int
             ) -> bool:
    if inst.locked[u] >= 0 and inst.locked_labels[inst.locked[u]] != labels[g]:
        return False
    if cur[u] == g:
        return True
    members = np.flatnonzero(cur == g)
    if inst.hard[u, members].any():
        return False
    if in_person[g]:
        return bool(inst.can_ip[u]) and not inst.far[u, members].any()
    return bool(inst.can_on[u])


def _rebalance_model(inst: Instance, cur: np.ndarray, labels: list[str],
                     in_person: np.ndarray) -> tuple[Layout, str]:
    s = inst.settings
    m = cp_model.CpModel()
    k = len(labels)
    x = {(u, g): m.NewBoolVar(f"x{u}_{g}") for u in range(inst.n_units) for g in range(k)
         if _allowed(inst, cur, in_person, labels, u, g)}
    out = {u: m.NewBoolVar(f"out{u}") for u in range(inst.n_units)}
    for u in range(inst.n_units):
        m.AddExactlyOne([v for (uu, _), v in x.items() if uu == u] + [out[u]])
    _pair_conflicts(m, inst, in_person, x)
    for g in range(k):
        active = m.NewBoolVar(f"a{g}")
        size = sum(int(inst.weight[u]) * v for (u, gg), v in x.items() if gg == g)
        m.Add(size >= s.min_size * active)
        m.Add(size <= s.max_size * active)
    cost = {key: _join_cost(inst, cur, in_person, *key) for key in x}
    big_move = sum(cost.values()) + 1
    moved = [int(inst.weight[u]) * (1 - x[u, int(cur[u])]) if (u, int(cur[u])) in x
             else int(inst.weight[u]) for u in range(inst.n_units)]
    m.Minimize(big_move * (sum(moved) + (inst.n + 1) * sum(
        int(inst.weight[u]) * v for u, v in out.items()))
        + sum(c * x[key] for key, c in cost.items() if key[1] != cur[key[0]]))
    for (u, g), v in x.items():
        m.AddHint(v, int(cur[u] == g))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = s.time_limit
    solver.parameters.num_workers = s.num_workers
    solver.parameters.random_seed = s.seed
    solver.parameters.interleave_search = s.num_workers > 1
    code = solver.Solve(m)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise GroupingInfeasibleError([Diagnosis.of("time_limit", (), seconds=s.time_limit)])
    group_of = np.full(inst.n_units, -1)
    for (u, g), v in x.items():
        if solver.BooleanValue(v):
            group_of[u] = g
    status = "OPTIMAL" if code == cp_model.OPTIMAL else "FEASIBLE"
    return Layout(group_of=group_of, in_person=in_person, labels=tuple(labels)), status


def _pair_conflicts(m, inst, in_person, x) -> None:
    by_group: dict[int, list[int]] = {}
    for u, g in x:
        by_group.setdefault(g, []).append(u)
    for g, units in by_group.items():
        units = np.array(units)
        bad = inst.hard[np.ix_(units, units)]
        if in_person[g]:
            bad = bad | inst.far[np.ix_(units, units)]
        for a, b in zip(*np.nonzero(np.triu(bad, 1)), strict=True):
            u, v = int(units[a]), int(units[b])
            m.AddBoolOr([x[u, g].Not(), x[v, g].Not()])


def _join_cost(inst: Instance, cur: np.ndarray, in_person: np.ndarray, u: int, g: int) -> int:
    members = np.flatnonzero((cur == g) & (np.arange(inst.n_units) != u))
    if len(members) == 0:
        return 0
    cost = inst.base[u, members].sum() + (inst.travel[u, members].sum() if in_person[g] else 0)
    return int(cost // len(members))
