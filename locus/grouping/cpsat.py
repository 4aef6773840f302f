"""CP-SAT model of the grouping problem, exact over a chosen set of units and groups.

Used two ways: for small cohorts the whole problem (groups optional, modes free, symmetry
broken) so CP-SAT can prove optimality; for large cohorts as the exact repair step of a
large-neighbourhood search (a few related groups freed, everyone else fixed). Either way
the model's objective equals the integer objective Z of `objective.py` exactly, and it is
warm-started from the current grouping with a complete hint.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from locus.grouping.objective import pairs
from locus.grouping.state import SearchState

STATUS = {cp_model.OPTIMAL: "OPTIMAL", cp_model.FEASIBLE: "FEASIBLE",
          cp_model.INFEASIBLE: "INFEASIBLE", cp_model.UNKNOWN: "UNKNOWN",
          cp_model.MODEL_INVALID: "MODEL_INVALID"}


@dataclass(frozen=True)
class SubProblem:
    units: np.ndarray
    groups: np.ndarray
    variable_modes: bool = False
    optional_groups: bool = False
    symmetry: bool = False


@dataclass(frozen=True)
class SubResult:
    status: str
    objective: int | None
    bound: float | None
    group_of: dict[int, int]
    modes: dict[int, bool]
    dtime: float
    seconds: float


class _Builder:
    """Builds the model for one SubProblem against the current state."""

    def __init__(self, st: SearchState, sub: SubProblem) -> None:
        self.st, self.inst, self.sub = st, st.inst, sub
        self.m = cp_model.CpModel()
        self.free = set(int(u) for u in sub.units)
        self.gset = [int(g) for g in sub.groups]
        self.fixed = {g: [int(u) for u in np.flatnonzero(st.gof == g) if int(u) not in self.free]
                      for g in self.gset}
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        self.unpl: dict[int, cp_model.IntVar] = {}
        self.ip: dict[int, object] = {}
        self.raw: dict[int, list] = {g: [] for g in self.gset}
        self.online: list = []
        self.hints: list[tuple[object, int]] = []

    # ---------------------------------------------------------------- variables
    def _mode_vars(self) -> None:
        for g in self.gset:
            if self.sub.variable_modes:
                self.ip[g] = self.m.NewBoolVar(f"ip{g}")
                self.hints.append((self.ip[g], int(self.st.ip[g])))
            else:
                self.ip[g] = bool(self.st.ip[g])

    def _allowed(self, u: int, g: int) -> bool:
        inst, fixed = self.inst, self.fixed[g]
        lock = int(inst.locked[u])
        if lock >= 0 and self.st.labels[g] != inst.locked_labels[lock]:
            return False
        if fixed and inst.hard[u, fixed].any():
            return False
        ip = self.ip[g]
        if ip is True:
            return bool(inst.can_ip[u]) and not inst.far[u, fixed].any()
        if ip is False:
            return bool(inst.can_on[u])
        return bool(inst.can_on[u] or (inst.can_ip[u] and not inst.far[u, fixed].any()))

    def _assignment_vars(self, allow_unplaced: set[int]) -> None:
        rank = 0
        for u in sorted(self.free):
            opts = []
            for pos, g in enumerate(self.gset):
                if self.sub.symmetry and self.inst.locked[u] < 0 and pos > rank + self._n_locked():
                    continue
                if self._allowed(u, g):
                    self.x[u, g] = self.m.NewBoolVar(f"x{u}_{g}")
                    self.hints.append((self.x[u, g], int(self.st.gof[u] == g)))
                    opts.append(self.x[u, g])
            if self.inst.locked[u] < 0:
                rank += 1
            if u in allow_unplaced or not opts:
                self.unpl[u] = self.m.NewBoolVar(f"out{u}")
                self.hints.append((self.unpl[u], int(self.st.gof[u] < 0)))
                opts.append(self.unpl[u])
            self.m.AddExactlyOne(opts)

    def _n_locked(self) -> int:
        return sum(1 for g in self.gset if self.st.labels[g] in self.inst.locked_labels)

    def _mode_links(self) -> None:
        if not self.sub.variable_modes:
            return
        inst = self.inst
        for (u, g), var in self.x.items():
            ip, fixed = self.ip[g], self.fixed[g]
            if not inst.can_ip[u] or inst.far[u, fixed].any():
                self.m.AddImplication(var, ip.Not())
            if not inst.can_on[u]:
                self.m.AddImplication(var, ip)
        for g in self.gset:
            fixed = self.fixed[g]
            if fixed and not inst.can_ip[fixed].all():
                self.m.Add(self.ip[g] == 0)
            if fixed and not inst.can_on[fixed].all():
                self.m.Add(self.ip[g] == 1)

    # ---------------------------------------------------------------- costs
    def _and(self, a, b, name: str, hint: int):
        v = self.m.NewBoolVar(name)
        self.m.AddBoolOr([a.Not(), b.Not(), v])
        self.hints.append((v, hint))
        return v

    def _pair_terms(self) -> None:
        inst, st = self.inst, self.st
        units = sorted(self.free)
        for i, u in enumerate(units):
            for v in units[i + 1:]:
                for g in self.gset:
                    xu, xv = self.x.get((u, g)), self.x.get((v, g))
                    if xu is None or xv is None:
                        continue
                    self._pair(u, v, g, xu, xv, int(st.gof[u] == g == st.gof[v]))
        for (u, g), var in self.x.items():
            fixed = self.fixed[g]
            b = int(inst.base[u, fixed].sum()) + int(inst.base_in[u])
            t = int(inst.travel[u, fixed].sum()) + int(inst.travel_in[u])
            self._linear(g, var, b, t, int(st.gof[u] == g))
            if inst.online_pen[u]:
                self._online(g, var, int(inst.online_pen[u]), int(st.gof[u] == g))

    def _pair(self, u, v, g, xu, xv, hint) -> None:
        inst, ip = self.inst, self.ip[g]
        if inst.hard[u, v]:
            self.m.AddBoolOr([xu.Not(), xv.Not()])
            return
        if inst.far[u, v] and ip is not False:
            if ip is True:
                self.m.AddBoolOr([xu.Not(), xv.Not()])
                return
            self.m.AddBoolOr([xu.Not(), xv.Not(), ip.Not()])
        b, t = int(inst.base[u, v]), int(inst.travel[u, v])
        if inst.far[u, v]:
            t = 0
        if b + t == 0:
            return
        y = self._and(xu, xv, f"y{u}_{v}_{g}", hint)
        self._linear(g, y, b, t, hint)

    def _linear(self, g, var, b: int, t: int, hint: int) -> None:
        ip = self.ip[g]
        if ip is True:
            b, t = b + t, 0
        if b:
            self.raw[g].append((b, var))
        if t and ip is not False:
            z = self._and(var, ip, f"z{var.Index()}", hint * int(self.st.ip[g]))
            self.raw[g].append((t, z))

    def _online(self, g, var, pen: int, hint: int) -> None:
        ip = self.ip[g]
        if ip is True:
            return
        if ip is False:
            self.online.append((pen, var))
            return
        o = self.m.NewBoolVar(f"o{var.Index()}")
        self.m.AddBoolOr([var.Not(), ip, o])
        self.hints.append((o, hint * int(not self.st.ip[g])))
        self.online.append((pen, o))

    # ---------------------------------------------------------------- group terms
    def _group_terms(self) -> tuple[list, object]:
        st, inst, m = self.st, self.inst, self.m
        lo, hi = inst.settings.min_size, inst.settings.max_size
        others = [g for g in range(st.k) if g not in set(self.gset)]
        f_fixed = int(st.f[others].max()) if others else 0
        worst = m.NewIntVar(f_fixed, 10**12, "F")
        t_vars, f_hint = [], f_fixed
        for g in self.gset:
            fixed = self.fixed[g]
            size = sum(int(inst.weight[u]) * v for (u, gg), v in self.x.items() if gg == g)
            size = size + int(inst.weight[fixed].sum())
            raw = self._fixed_raw(g) + sum(c * v for c, v in self.raw[g])
            sizes = ([0] if self.sub.optional_groups and not fixed else []) + list(range(lo, hi + 1))
            b = {s: m.NewBoolVar(f"b{g}_{s}") for s in sizes}
            m.AddExactlyOne(b.values())
            m.Add(size == sum(s * v for s, v in b.items()))
            t = m.NewIntVar(0, 10**12, f"t{g}")
            for s, bs in b.items():
                if s >= 2:
                    m.Add((s - 1) * t >= 2 * raw).OnlyEnforceIf(bs)
                    m.Add(pairs(s) * worst >= inst.pmax * raw).OnlyEnforceIf(bs)
            t_vars.append(t)
            f_hint = max(f_hint, self._hint_group(g, b, t))
        self.hints.append((worst, f_hint))
        return t_vars, worst

    def _fixed_raw(self, g: int):
        inst, fixed = self.inst, self.fixed[g]
        if not fixed:
            return 0
        b = int(inst.base[np.ix_(fixed, fixed)].sum()) // 2 + int(inst.base_in[fixed].sum())
        t = int(inst.travel[np.ix_(fixed, fixed)].sum()) // 2 + int(inst.travel_in[fixed].sum())
        ip = self.ip[g]
        return b + (t if ip is True else 0 if ip is False else t * ip)

    def _hint_group(self, g: int, b: dict, t) -> int:
        """Hint the size indicator and t_g of group g; return its f_g under the hint."""
        st = self.st
        size = int(st.size[g])
        for s, bs in b.items():
            self.hints.append((bs, int(s == size)))
        if size == 0:
            self.hints.append((t, 0))
            return 0
        self.hints.append((t, int(st.t[g])))
        return int(st.f[g])

    def _sector(self) -> list:
        inst, st, cap = self.inst, self.st, self.inst.settings.sector_cap
        excess = []
        for g in self.gset:
            fixed_cnt = inst.divc[self.fixed[g]].sum(axis=0) if self.fixed[g] else 0
            members = [(u, v) for (u, gg), v in self.x.items() if gg == g]
            for d in range(inst.divc.shape[1]):
                terms = [(int(inst.divc[u, d]), v) for u, v in members if inst.divc[u, d]]
                base = int(fixed_cnt[d]) if self.fixed[g] else 0
                if base + sum(c for c, _ in terms) <= cap:
                    continue
                e = self.m.NewIntVar(0, 10**6, f"e{g}_{d}")
                self.m.Add(e >= base + sum(c * v for c, v in terms) - cap)
                self.hints.append((e, max(0, int(st.divcnt[g, d]) - cap)))
                excess.append(e)
        return excess

    def build(self, allow_unplaced: set[int]) -> tuple[cp_model.CpModel, dict]:
        self._mode_vars()
        self._assignment_vars(allow_unplaced)
        self._mode_links()
        self._pair_terms()
        t_vars, worst = self._group_terms()
        excess = self._sector()
        inst, st = self.inst, self.st
        others = [g for g in range(st.k) if g not in set(self.gset)]
        const = int(st.t[others].sum() + st.sec[others].sum() + st.onl[others].sum())
        out = [u for u in np.flatnonzero(st.gof < 0) if int(u) not in self.free]
        const += inst.big * int(inst.weight[out].sum())
        fixed_pen = sum(self._fixed_online(g) for g in self.gset)
        head = (sum(t_vars) + inst.sector_cost * sum(excess) + sum(c * v for c, v in self.online)
                + inst.big * sum(int(inst.weight[u]) * v for u, v in self.unpl.items())
                + fixed_pen + const)
        self.m.Minimize(inst.pmax * head + inst.fair_coef * worst)
        for var, value in self.hints:
            self.m.AddHint(var, value)
        return self.m, {"x": self.x, "ip": self.ip, "unpl": self.unpl}

    def _fixed_online(self, g: int):
        pen = int(self.inst.online_pen[self.fixed[g]].sum()) if self.fixed[g] else 0
        ip = self.ip[g]
        return 0 if ip is True else pen if ip is False else pen * (1 - ip)


def solve_subproblem(*, st: SearchState, sub: SubProblem, dtime: float, seconds: float,
                     seed: int, workers: int, allow_unplaced: set[int] | None = None
                     ) -> SubResult:
    """Solve one sub-model; the returned assignment covers sub.units and sub.groups."""
    start = time.monotonic()
    model, var = _Builder(st, sub).build(allow_unplaced or set())
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_deterministic_time = max(0.01, dtime)
    p.max_time_in_seconds = max(0.05, seconds)
    p.num_workers = workers
    p.random_seed = seed
    p.interleave_search = workers > 1
    code = solver.Solve(model)
    status = STATUS.get(code, str(code))
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return SubResult(status, None, None, {}, {}, solver.deterministic_time,
                         time.monotonic() - start)
    group_of = {u: -1 for u in sub.units.tolist()}
    for (u, g), v in var["x"].items():
        if solver.BooleanValue(v):
            group_of[u] = g
    modes = {g: (ip if isinstance(ip, bool) else solver.BooleanValue(ip))
             for g, ip in var["ip"].items()}
    return SubResult(status, int(round(solver.ObjectiveValue())), solver.BestObjectiveBound(),
                     group_of, modes, solver.deterministic_time, time.monotonic() - start)

