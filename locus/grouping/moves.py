"""Vectorised objective deltas of relocations and swaps on a SearchState (no mutation)."""

from __future__ import annotations

import numpy as np

from locus.grouping.state import NO_GAIN, SearchState


def _sector_delta_add(st: SearchState, u: int, groups: np.ndarray, sign: int) -> np.ndarray:
    """Change in sector excess of `groups` when unit u joins (sign=+1) or leaves (-1)."""
    inst = st.inst
    out = np.zeros(len(groups), dtype=np.int64)
    for d in np.flatnonzero(inst.divc[u]):
        c = st.divcnt[groups, d]
        new = c + sign * inst.divc[u, d]
        out += np.maximum(new - st.cap, 0) - np.maximum(c - st.cap, 0)
    return out * inst.sector_cost


def _leave(st: SearchState, u: int) -> tuple[int, int, int, int, int]:
    """Terms of u's current group after u leaves: (a, t', f', sec', onl')."""
    inst, a = st.inst, int(st.gof[u])
    rb = st.Rb[a] - st.Sb[a, u] - inst.base_in[u]
    rt = st.Rt[a] - st.St[a, u] - inst.travel_in[u]
    size = st.size[a] - inst.weight[u]
    t, f = st.terms(np.array([rb]), np.array([rt]), st.ip[a:a + 1], np.array([size]))
    sec = st.sec[a] + int(_sector_delta_add(st, u, np.array([a]), -1)[0])
    onl = 0 if st.ip[a] else st.pen[a] - inst.online_pen[u]
    return a, int(t[0]), int(f[0]), int(sec), int(onl)


def relocation(st: SearchState, u: int) -> tuple[int, int]:
    """Best (delta, target group) for moving unit u (placed or not) to another group."""
    delta = relocation_deltas(st, u)
    if delta is None:
        return NO_GAIN, -1
    b = int(np.argmin(delta))
    return int(delta[b]), b


def relocation_deltas(st: SearchState, u: int) -> np.ndarray | None:
    """Objective delta of moving unit u to each group (NO_GAIN where infeasible)."""
    inst = st.inst
    if st.locked[u]:
        return None
    w = int(inst.weight[u])
    groups = np.arange(st.k)
    a = int(st.gof[u])
    if a >= 0:
        if st.size[a] - w < st.min:
            return None
        a, ta, fa, seca, onla = _leave(st, u)
        head = (ta - st.t[a]) + (seca - st.sec[a]) + (onla - st.onl[a])
        fmax = np.maximum(st.other_max(a, groups), fa)
    else:
        head = -inst.big * w
        fmax = st.other_max(-1, groups)
    ok = st.accepts(u, groups) & (st.size + w <= st.max) & (st.size > 0) & (groups != a)
    if not ok.any():
        return None
    rb = st.Rb + st.Sb[:, u] + inst.base_in[u]
    rt = st.Rt + st.St[:, u] + inst.travel_in[u]
    tb, fb = st.terms(rb, rt, st.ip, st.size + w)
    secb = st.sec + _sector_delta_add(st, u, groups, +1)
    onlb = np.where(st.ip, 0, st.pen + inst.online_pen[u])
    delta_head = head + (tb - st.t) + (secb - st.sec) + (onlb - st.onl)
    changes = [(st.f, fb)] + ([(st.f[a], fa)] if a >= 0 else [])
    delta = inst.pmax * delta_head + fair_delta(st, np.maximum(fmax, fb), changes)
    return np.where(ok, delta, NO_GAIN)


def fair_delta(st: SearchState, fmax_new, changes: list) -> np.ndarray:
    """Change of the fairness term. With st.tau > 0 the search uses a smooth maximum,
    tau * log(sum exp(f_g / tau)), so that lowering any of the worst groups counts."""
    inst = st.inst
    if not st.tau:
        return inst.fair_coef * (fmax_new - st.F)
    total = st.lse
    for old, new in changes:
        total = total + st.soft(new) - st.soft(old)
    ratio = np.maximum(total, 1e-300) / st.lse
    return np.rint(inst.fair_coef * st.tau * np.log(ratio)).astype(np.int64)


def swap_candidates(st: SearchState, u: int) -> np.ndarray:
    """Singleton units in other groups that u could join (cheap pre-filter)."""
    a = int(st.gof[u])
    if a < 0:
        return np.zeros(0, dtype=np.int64)
    near = st.Ch[:, u] <= 1
    near &= np.where(st.ip, (st.Cf[:, u] <= 1) & st.inst.can_ip[u], st.inst.can_on[u])
    near[a] = False
    g = np.where(st.gof >= 0, st.gof, 0)
    mask = near[g] & (st.gof >= 0) & ~st.locked & (st.inst.weight == 1)
    return np.flatnonzero(mask)


def swap(st: SearchState, u: int, cand: np.ndarray) -> tuple[int, int]:
    """Best (delta, partner) for swapping singleton unit u with one of `cand`."""
    delta, v = swap_deltas(st, u, cand)
    if len(delta) == 0:
        return NO_GAIN, -1
    j = int(np.argmin(delta))
    return int(delta[j]), int(v[j])


def swap_deltas(st: SearchState, u: int, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Objective deltas of swapping u with each of `cand` (NO_GAIN where infeasible)."""
    inst = st.inst
    a = int(st.gof[u])
    empty = np.zeros(0, dtype=np.int64)
    if st.locked[u] or a < 0 or inst.weight[u] != 1 or len(cand) == 0:
        return empty, empty
    v, b = cand, st.gof[cand]
    ipa, ipb = bool(st.ip[a]), st.ip[b]
    buv, tuv = inst.base[u, v], inst.travel[u, v]
    hard_uv, far_uv = inst.hard[u, v], inst.far[u, v]
    ok_v = (st.Ch[a, v] - hard_uv == 0)
    ok_v &= (st.Cf[a, v] - far_uv == 0) & inst.can_ip[v] if ipa else inst.can_on[v]
    ok_u = (st.Ch[b, u] - hard_uv == 0)
    ok_u &= np.where(ipb, (st.Cf[b, u] - far_uv == 0) & inst.can_ip[u], inst.can_on[u])
    ok = ok_u & ok_v
    if not ok.any():
        return empty, empty
    rba = st.Rb[a] - st.Sb[a, u] + st.Sb[a, v] - buv
    rta = st.Rt[a] - st.St[a, u] + st.St[a, v] - tuv
    rbb = st.Rb[b] - st.Sb[b, v] + st.Sb[b, u] - buv
    rtb = st.Rt[b] - st.St[b, v] + st.St[b, u] - tuv
    ta, fa = st.terms(rba, rta, np.full(len(v), ipa), np.full(len(v), st.size[a]))
    tb, fb = st.terms(rbb, rtb, ipb, st.size[b])
    du, dv = st.single_div[u], st.single_div[v]
    seca, secb = _swap_sector(st, a, b, du, dv)
    pen_u, pen_v = inst.online_pen[u], inst.online_pen[v]
    onla = 0 if ipa else st.pen[a] - pen_u + pen_v
    onlb = np.where(ipb, 0, st.pen[b] - pen_v + pen_u)
    head = (ta - st.t[a]) + (tb - st.t[b]) + seca + secb + (onla - st.onl[a]) + (onlb - st.onl[b])
    fmax = np.maximum(np.maximum(st.other_max(a, b), fa), fb)
    delta = inst.pmax * head + fair_delta(st, fmax, [(st.f[a], fa), (st.f[b], fb)])
    return np.where(ok, delta, NO_GAIN), v


def _swap_sector(st: SearchState, a: int, b: np.ndarray, du: int, dv: np.ndarray):
    """Sector-excess change of group a (u out, v in) and groups b (v out, u in)."""
    cap, cost = st.cap, st.inst.sector_cost

    def ex(c):
        return np.maximum(c - cap, 0)

    diff = dv != du
    ca_u, ca_v = st.divcnt[a, du], st.divcnt[a, dv]
    da = ex(ca_v + 1) - ex(ca_v) + ex(ca_u - 1) - ex(ca_u)
    cb_u, cb_v = st.divcnt[b, du], st.divcnt[b, dv]
    db = ex(cb_u + 1) - ex(cb_u) + ex(cb_v - 1) - ex(cb_v)
    return np.where(diff, da, 0) * cost, np.where(diff, db, 0) * cost


def mode_flip(st: SearchState, g: int) -> int:
    """Delta of switching group g between online and in person (NO_GAIN if infeasible)."""
    inst = st.inst
    members = np.flatnonzero(st.gof == g)
    if len(members) == 0:
        return NO_GAIN
    to_ip = not st.ip[g]
    if to_ip and (not inst.can_ip[members].all() or st.Cf[g, members].any()):
        return NO_GAIN
    if not to_ip and not inst.can_on[members].all():
        return NO_GAIN
    t, f = st.terms(st.Rb[g:g + 1], st.Rt[g:g + 1], np.array([to_ip]), st.size[g:g + 1])
    onl = 0 if to_ip else int(st.pen[g])
    head = int(t[0]) - int(st.t[g]) + onl - int(st.onl[g])
    fmax = max(int(st.other_max(g, g)), int(f[0]))
    return inst.pmax * head + int(fair_delta(st, fmax, [(st.f[g], f[0])]))
