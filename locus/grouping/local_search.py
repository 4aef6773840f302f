"""Local search: best-improvement descent (relocations, swaps, mode flips) inside an
iterated local search (random feasible swaps as kicks; keep the kick if the re-optimised
grouping is no worse, otherwise undo it).

Work is counted in deterministic units (vector elements evaluated) so that a run with the
same seed and budget always takes the same path; a wall-clock deadline is only a safety net.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from locus.grouping.moves import (
    mode_flip,
    relocation,
    swap,
    swap_candidates,
    swap_deltas,
)
from locus.grouping.state import NO_GAIN, SearchState


@dataclass
class Budget:
    """Deterministic work allowance plus a wall-clock safety deadline."""

    work_limit: float
    deadline: float
    work: float = 0.0
    hit_wall: bool = False
    checks: int = field(default=0, repr=False)

    def spend(self, amount: float) -> None:
        self.work += amount

    def exhausted(self) -> bool:
        if self.work >= self.work_limit:
            return True
        self.checks += 1
        if self.checks % 16 == 0 and time.monotonic() > self.deadline:
            self.hit_wall = True
        return self.hit_wall


def _best_move(st: SearchState, u: int, budget: Budget) -> tuple[int, str, int]:
    d_move, g = relocation(st, u)
    cand = swap_candidates(st, u)
    d_swap, v = swap(st, u, cand)
    budget.spend(500 + st.k + st.inst.n_units / 8 + len(cand))
    if d_swap < d_move:
        return d_swap, "swap", v
    return d_move, "move", g


def _apply(st: SearchState, kind: str, u: int, other: int, log: list) -> tuple[int, int]:
    """Apply a move, record how to undo it, return the two groups touched."""
    a = int(st.gof[u])
    if kind == "swap":
        b = int(st.gof[other])
        st.apply_swap(u, other)
        log.append(("swap", u, other))
        return a, b
    st.apply_move(u, other)
    log.append(("move", u, a))
    return a, other


def undo(st: SearchState, log: list) -> None:
    for kind, u, other in reversed(log):
        if kind == "swap":
            st.apply_swap(u, other)
        elif kind == "mode":
            st.set_mode(u, bool(other))
        else:
            st.apply_move(u, other)
    log.clear()


def descent(st: SearchState, order: np.ndarray, budget: Budget, log: list) -> None:
    """Apply improving moves until none is left among queued units (don't-look bits)."""
    queue = deque(int(u) for u in order)
    queued = np.zeros(st.inst.n_units, dtype=bool)
    queued[order] = True
    while queue and not budget.exhausted():
        u = queue.popleft()
        queued[u] = False
        delta, kind, other = _best_move(st, u, budget)
        if delta >= 0 or delta >= NO_GAIN:
            continue
        for g in _apply(st, kind, u, other, log):
            if g < 0:
                continue
            _try_flip(st, g, log)
            for w in np.flatnonzero((st.gof == g) & ~queued):
                queue.append(int(w))
                queued[w] = True
        if not queued[u]:
            queue.append(u)
            queued[u] = True


def _try_flip(st: SearchState, g: int, log: list) -> None:
    if mode_flip(st, g) < 0:
        log.append(("mode", g, bool(st.ip[g])))
        st.set_mode(g, not st.ip[g])


def _kick(st: SearchState, rng: np.random.Generator, strength: int, log: list) -> set[int]:
    """Random feasible swaps (or moves); returns the groups touched."""
    touched: set[int] = set()
    placed = np.flatnonzero((st.gof >= 0) & ~st.locked)
    if len(placed) == 0:
        return touched
    for u in rng.choice(placed, size=min(strength, len(placed)), replace=False):
        cand = swap_candidates(st, int(u))
        deltas, v = swap_deltas(st, int(u), cand)
        ok = np.flatnonzero(deltas < NO_GAIN)
        if len(ok):
            touched.update(_apply(st, "swap", int(u), int(v[rng.choice(ok)]), log))
    return touched


def iterated_local_search(*, st: SearchState, rng: np.random.Generator, budget: Budget
                          ) -> dict[str, int]:
    """Improve st in place; st ends at the best grouping seen (by the true objective)."""
    stats = {"kicks": 0, "accepted": 0}
    if st.k == 0:
        return stats
    log: list = []
    descent(st, rng.permutation(st.inst.n_units), budget, log)
    log.clear()
    current = st.search_total()
    best_total, best = st.total(), st.layout()
    strength = max(2, min(8, st.inst.n_units // 40))
    misses = 0
    while not budget.exhausted() and misses < 50:
        stats["kicks"] += 1
        touched = _kick(st, rng, strength, log)
        budget.spend(strength * st.inst.n_units / 8)
        misses = 0 if touched else misses + 1
        if not touched:
            continue
        members = np.flatnonzero(np.isin(st.gof, list(touched)))
        descent(st, rng.permutation(members), budget, log)
        new = st.search_total()
        if new <= current:
            stats["accepted"] += int(new < current)
            current = new
            log.clear()
            if st.total() < best_total:
                best_total, best = st.total(), st.layout()
        else:
            undo(st, log)
    if st.total() != best_total:
        _restore(st, best)
    return stats


def _restore(st: SearchState, layout) -> None:
    tau = st.tau
    st.__init__(st.inst, layout)
    st.set_tau(tau)


def insert_unplaced(st: SearchState) -> int:
    """Place unplaced units, displacing a group member to another group if needed.

    Returns how many units were placed. A displacement is kept only if the objective drops
    (it always does when it places someone: an unplaced participant costs more than any
    combination of soft goals).
    """
    placed = 0
    for u in np.flatnonzero((st.gof < 0) & ~st.locked):
        u = int(u)
        delta, g = relocation(st, u)
        if delta < NO_GAIN and g >= 0:
            st.apply_move(u, g)
            placed += 1
        elif _eject(st, u):
            placed += 1
    return placed


def _eject(st: SearchState, u: int) -> bool:
    inst = st.inst
    groups = np.flatnonzero(st.size > 0)
    before = st.total()
    for b in groups[np.argsort(st.Sb[groups, u], kind="stable")]:
        b = int(b)
        for v in np.flatnonzero((st.gof == b) & ~st.locked):
            v = int(v)
            if inst.weight[v] < inst.weight[u] or inst.hard[u, v]:
                continue
            st.apply_move(v, -1)
            if not st.accepts(u, np.array([b]))[0] or st.size[b] + inst.weight[u] > st.max:
                st.apply_move(v, b)
                continue
            st.apply_move(u, b)
            delta, c = relocation(st, v)
            if delta < NO_GAIN and c >= 0:
                st.apply_move(v, c)
                if st.total() < before:
                    return True
                st.apply_move(v, -1)
            st.apply_move(u, -1)
            st.apply_move(v, b)
    return False



def open_groups(st: SearchState) -> int:
    """Open spare (empty) groups around unplaced units, borrowing members from groups that
    can spare them. Kept only if the objective drops; returns how many groups were opened."""
    opened = 0
    for spare in np.flatnonzero(st.size == 0):
        seeds = np.flatnonzero((st.gof < 0) & ~st.locked)
        if not any(_grow(st, int(spare), int(seed)) for seed in seeds):
            break
        opened += 1
    return opened


def _grow(st: SearchState, g: int, seed: int) -> bool:
    inst = st.inst
    modes = [m for m, ok in ((True, inst.can_ip[seed]), (False, inst.can_on[seed])) if ok]
    for ip in modes:
        before, log = st.total(), []
        st.set_mode(g, ip)
        _apply(st, "move", seed, g, log)
        while st.size[g] < st.min:
            u = _donor(st, g)
            if u < 0:
                break
            _apply(st, "move", u, g, log)
        if st.size[g] >= st.min and st.total() < before:
            return True
        undo(st, log)
    return False


def _donor(st: SearchState, g: int) -> int:
    """Cheapest unit that may join g: unplaced ones first, then members of roomy groups."""
    inst = st.inst
    src = np.where(st.gof >= 0, st.gof, 0)
    spare = (st.gof < 0) | (st.size[src] - inst.weight >= st.min)
    ok = spare & ~st.locked & (st.gof != g) & (inst.weight <= st.max - st.size[g])
    ok &= (st.Ch[g] == 0) & ((st.Cf[g] == 0) & inst.can_ip if st.ip[g] else inst.can_on)
    if not ok.any():
        return -1
    cost = st.Sb[g] + (st.St[g] if st.ip[g] else 0) - np.where(st.gof < 0, inst.big, 0)
    return int(np.flatnonzero(ok)[np.argmin(cost[ok])])
