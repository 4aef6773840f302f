"""Construction heuristics: the greedy baseline and a random feasible grouping.

Both build groups one at a time. Locked groups are opened first and filled; then in-person
groups grow from the most constrained firm (fewest compatible firms within reach), then online
groups from whoever is left; leftovers join the cheapest group with room. `policy="greedy"`
adds the candidate with the lowest marginal cost, `policy="random"` a random feasible one.
"""

from __future__ import annotations

import math

import numpy as np

from locus.grouping.instance import Instance
from locus.grouping.local_search import insert_unplaced
from locus.grouping.objective import Layout
from locus.grouping.state import SearchState


def construct(*, inst: Instance, rng: np.random.Generator, policy: str = "greedy",
              prefer_existing: bool = False, locked_modes: dict[str, bool] | None = None
              ) -> Layout:
    """Build a feasible layout (units that fit nowhere are left unplaced)."""
    if policy not in ("greedy", "random"):
        raise ValueError(f"unknown policy {policy!r}")
    n_locked = len(inst.locked_labels)
    k_max = n_locked + int(inst.weight.sum()) // inst.settings.min_size + 1
    empty = Layout(group_of=np.full(inst.n_units, -1), in_person=np.zeros(k_max, dtype=bool),
                   labels=tuple(f"_{g}" for g in range(k_max)))
    st = SearchState(inst, empty)
    _open_locked(st, locked_modes or {})
    remaining = (st.gof < 0) & (inst.locked == -1)
    builder = _Builder(st, rng, policy, remaining, next_group=n_locked)
    for g in range(n_locked):
        builder.fill(g, target=inst.settings.min_size)
    if prefer_existing:
        builder.insert_leftovers()
    builder.build(in_person=True)
    builder.build(in_person=False)
    builder.insert_leftovers()
    return _compact(st, n_locked)


def _open_locked(st: SearchState, locked_modes: dict[str, bool]) -> None:
    inst = st.inst
    for g, label in enumerate(inst.locked_labels):
        members = np.flatnonzero(inst.locked == g)
        far = inst.far[np.ix_(members, members)].any()
        can_ip = bool(inst.can_ip[members].all()) and not far
        st.labels[g] = label
        st.ip[g] = locked_modes.get(label, can_ip) if can_ip else False
        for u in members:
            st._add(int(u), g)
    st._refresh_groups()


class _Builder:
    """Sequential group building over the units still unplaced."""

    def __init__(self, st: SearchState, rng: np.random.Generator, policy: str,
                 remaining: np.ndarray, next_group: int) -> None:
        self.st, self.inst, self.rng, self.policy = st, st.inst, rng, policy
        self.remaining = remaining
        self.next_group = next_group
        inst = self.inst
        self.stuck = {True: np.zeros(inst.n_units, dtype=bool),
                      False: np.zeros(inst.n_units, dtype=bool)}
        ok = ~inst.hard & ~inst.far & inst.can_ip[None, :] & inst.can_ip[:, None]
        self.reach = ok.astype(np.int32) @ (remaining & inst.can_ip).astype(np.int32)

    def _take(self, u: int, g: int) -> None:
        self.st._add(u, g)
        self.remaining[u] = False
        self._update_reach(u, -1)

    def _update_reach(self, u: int, sign: int) -> None:
        inst = self.inst
        if inst.can_ip[u]:
            self.reach += sign * (~inst.hard[u] & ~inst.far[u] & inst.can_ip).astype(np.int32)

    def _candidates(self, g: int, pool: np.ndarray) -> np.ndarray:
        st, inst = self.st, self.inst
        fits = inst.weight <= st.max - st.size[g]
        ok = self.remaining & pool & fits & (st.Ch[g] == 0)
        if st.ip[g]:
            return ok & (st.Cf[g] == 0) & inst.can_ip
        return ok & inst.can_on

    def _pick(self, g: int, mask: np.ndarray) -> int:
        idx = np.flatnonzero(mask)
        if self.policy == "random":
            return int(self.rng.choice(idx))
        st, inst = self.st, self.inst
        cost = st.Sb[g, idx] + inst.base_in[idx]
        if st.ip[g]:
            cost = cost + st.St[g, idx] + inst.travel_in[idx]
        over = st.divcnt[g] >= st.cap
        if over.any():
            cost = cost + inst.divc[idx][:, over].sum(axis=1) * inst.sector_cost
        return int(idx[np.argmin(cost / inst.weight[idx])])

    def fill(self, g: int, target: int, pool: np.ndarray | None = None) -> None:
        pool = np.ones(self.inst.n_units, dtype=bool) if pool is None else pool
        while self.st.size[g] < target:
            mask = self._candidates(g, pool)
            if not mask.any():
                break
            self._take(self._pick(g, mask), g)
        self.st._refresh_groups()

    def _seed(self, pool: np.ndarray) -> int:
        idx = np.flatnonzero(pool)
        if self.policy == "random":
            return int(self.rng.choice(idx))
        only = ~self.inst.can_on[idx]
        key = np.lexsort((idx, self.reach[idx], ~only))
        return int(idx[key[0]])

    def _target(self, pool_size: int) -> int:
        """Aim at the middle of the size range, so that groups keep room to trade members."""
        s = self.inst.settings
        groups = max(1, math.ceil(pool_size / math.ceil((s.min_size + s.max_size) / 2)))
        if groups * s.min_size > pool_size:
            groups = max(1, pool_size // s.min_size)
        return min(s.max_size, max(s.min_size, math.ceil(pool_size / groups)))

    def build(self, *, in_person: bool) -> None:
        inst, st = self.inst, self.st
        capable = inst.can_ip if in_person else inst.can_on
        while self.next_group < st.k:
            pool = self.remaining & capable
            seeds = pool & ~self.stuck[in_person]
            if int(inst.weight[pool].sum()) < st.min or not seeds.any():
                return
            seed, g = self._seed(seeds), self.next_group
            st.ip[g] = in_person
            self._take(seed, g)
            reach = pool & (~inst.hard[seed]) & (~inst.far[seed] if in_person else True)
            self.fill(g, self._target(int(inst.weight[reach].sum())), pool)
            if st.size[g] >= st.min:
                self.next_group += 1
                continue
            self._dissolve(g)
            self.stuck[in_person][seed] = True

    def _dissolve(self, g: int) -> None:
        st = self.st
        for u in np.flatnonzero(st.gof == g):
            st._remove(int(u), g)
            self.remaining[u] = True
            self._update_reach(int(u), +1)
        st._refresh_groups()

    def insert_leftovers(self) -> None:
        insert_unplaced(self.st)
        self.remaining &= self.st.gof < 0


def _compact(st: SearchState, n_locked: int) -> Layout:
    """Drop empty or undersized groups (their members become unplaced) and name the rest."""
    keep = [g for g in range(st.k) if st.size[g] >= st.min]
    taken = set(st.inst.locked_labels)
    labels, number = [], 0
    for g in keep:
        if g < n_locked:
            labels.append(st.labels[g])
            continue
        number += 1
        while f"G{number:02d}" in taken:
            number += 1
        labels.append(f"G{number:02d}")
    remap = np.full(st.k + 1, -1)
    remap[keep] = np.arange(len(keep))
    group_of = np.where(st.gof >= 0, remap[st.gof], -1)
    return Layout(group_of=group_of, in_person=st.ip[keep].copy(), labels=tuple(labels))
