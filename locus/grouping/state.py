"""Incremental search state: per-group sums that make move evaluation O(groups + candidates).

For every group g and unit u the state keeps Sb[g, u] (base cost from u to g's members),
St[g, u] (travel cost), Ch[g, u] (avoided/competing members) and Cf[g, u] (members beyond
max_km). A move changes two rows; the objective delta of any relocation or swap is then a
handful of vector operations. `delta_*` never mutate; `apply_move` does.
"""

from __future__ import annotations

import numpy as np

from locus.grouping.instance import Instance
from locus.grouping.objective import Layout, ceil_div, pairs

NO_GAIN = np.iinfo(np.int64).max // 4


class SearchState:
    """Mutable unit-level grouping with cached sums (see module docstring)."""

    def __init__(self, inst: Instance, layout: Layout) -> None:
        self.inst = inst
        s = inst.settings
        self.min, self.max, self.cap = s.min_size, s.max_size, s.sector_cap
        self.k = len(layout.in_person)
        self.labels = list(layout.labels)
        self.ip = layout.in_person.astype(bool).copy()
        self.gof = np.full(inst.n_units, -1, dtype=np.int64)
        nu, k = inst.n_units, self.k
        self.Sb = np.zeros((k, nu), dtype=np.int64)
        self.St = np.zeros((k, nu), dtype=np.int64)
        self.Ch = np.zeros((k, nu), dtype=np.int32)
        self.Cf = np.zeros((k, nu), dtype=np.int32)
        self.size = np.zeros(k, dtype=np.int64)
        self.Rb = np.zeros(k, dtype=np.int64)
        self.Rt = np.zeros(k, dtype=np.int64)
        self.pen = np.zeros(k, dtype=np.int64)
        self.divcnt = np.zeros((k, inst.divc.shape[1]), dtype=np.int64)
        self.single_div = np.where(inst.weight == 1, inst.divc.argmax(axis=1), -1)
        self.locked = inst.locked >= 0
        self.tau, self.lse = 0.0, 1.0
        for g in range(k):
            for u in layout.members(g):
                self._add(int(u), g)
        self._refresh_groups()

    # ----------------------------------------------------------------- bookkeeping
    def _add(self, u: int, g: int) -> None:
        inst = self.inst
        self.Rb[g] += self.Sb[g, u] + inst.base_in[u]
        self.Rt[g] += self.St[g, u] + inst.travel_in[u]
        self.Sb[g] += inst.base[u]
        self.St[g] += inst.travel[u]
        self.Ch[g] += inst.hard[u]
        self.Cf[g] += inst.far[u]
        self.size[g] += inst.weight[u]
        self.pen[g] += inst.online_pen[u]
        self.divcnt[g] += inst.divc[u]
        self.gof[u] = g

    def _remove(self, u: int, g: int) -> None:
        inst = self.inst
        self.Sb[g] -= inst.base[u]
        self.St[g] -= inst.travel[u]
        self.Ch[g] -= inst.hard[u]
        self.Cf[g] -= inst.far[u]
        self.Rb[g] -= self.Sb[g, u] + inst.base_in[u]
        self.Rt[g] -= self.St[g, u] + inst.travel_in[u]
        self.size[g] -= inst.weight[u]
        self.pen[g] -= inst.online_pen[u]
        self.divcnt[g] -= inst.divc[u]
        self.gof[u] = -1

    def _refresh_groups(self) -> None:
        self.t, self.f = self.terms(self.Rb, self.Rt, self.ip, self.size)
        self.sec = self._excess(self.divcnt).sum(axis=1) * self.inst.sector_cost
        self.onl = np.where(self.ip, 0, self.pen)
        order = np.argsort(-self.f, kind="stable")[:3]
        pad = 3 - len(order)
        self.top_idx = np.concatenate([order, np.full(pad, -1)])
        self.top_val = np.concatenate([self.f[order], np.zeros(pad, dtype=np.int64)])
        self.F = int(self.top_val[0])
        if self.tau:
            self.lse = float(self.soft(self.f[self.size > 0]).sum())

    def soft(self, f) -> np.ndarray:
        """exp((f - F) / tau), the terms of the smooth maximum used during search."""
        return np.exp(np.minimum((np.asarray(f, dtype=float) - self.F) / self.tau, 600.0))

    def set_tau(self, tau: float) -> None:
        self.tau = float(tau)
        self._refresh_groups()

    def _excess(self, counts: np.ndarray) -> np.ndarray:
        return np.maximum(counts - self.cap, 0)

    def terms(self, rb, rt, ip, size):
        """Vectorised t_g and f_g (zero for empty groups)."""
        raw = rb + np.where(ip, rt, 0)
        t = ceil_div(2 * raw, np.maximum(size - 1, 1))
        f = ceil_div(raw * self.inst.pmax, np.maximum(pairs(size), 1))
        return np.where(size > 0, t, 0), np.where(size > 0, f, 0)

    def other_max(self, a: int, b: np.ndarray | int) -> np.ndarray:
        """Max f over groups other than a and b (b may be a vector)."""
        i, v = self.top_idx, self.top_val
        ok1 = (i[0] != a) & (np.asarray(b) != i[0])
        ok2 = (i[1] != a) & (np.asarray(b) != i[1])
        return np.where(ok1, v[0], np.where(ok2, v[1], v[2]))

    # ----------------------------------------------------------------- totals
    def total(self) -> int:
        inst = self.inst
        unplaced = int(inst.weight[self.gof < 0].sum())
        head = int(self.t.sum() + self.sec.sum() + self.onl.sum()) + inst.big * unplaced
        return inst.pmax * head + inst.fair_coef * self.F

    def search_total(self) -> float:
        """The objective the search descends: total() with the smooth maximum if tau > 0."""
        if not self.tau or self.lse <= 0:
            return float(self.total())
        smooth = self.F + self.tau * np.log(self.lse)
        return self.total() + self.inst.fair_coef * (smooth - self.F)

    def layout(self) -> Layout:
        return Layout(group_of=self.gof.copy(), in_person=self.ip.copy(),
                      labels=tuple(self.labels))

    # ----------------------------------------------------------------- moves
    def apply_move(self, u: int, to: int) -> None:
        """Move unit u to group `to` (-1 = unplaced) and refresh caches."""
        frm = int(self.gof[u])
        if frm >= 0:
            self._remove(u, frm)
        if to >= 0:
            self._add(u, to)
        self._refresh_groups()

    def apply_swap(self, u: int, v: int) -> None:
        a, b = int(self.gof[u]), int(self.gof[v])
        self._remove(u, a)
        self._remove(v, b)
        self._add(u, b)
        self._add(v, a)
        self._refresh_groups()

    def set_mode(self, g: int, in_person: bool) -> None:
        self.ip[g] = in_person
        self._refresh_groups()

    def accepts(self, u: int, groups: np.ndarray) -> np.ndarray:
        """Hard-constraint feasibility of adding unit u to each group (ignoring sizes)."""
        inst = self.inst
        ok_ip = (self.Cf[groups, u] == 0) & inst.can_ip[u]
        return (self.Ch[groups, u] == 0) & np.where(self.ip[groups], ok_ip, inst.can_on[u])
