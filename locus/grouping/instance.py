"""Compile a Problem into integer arrays the solvers share.

Participants tied by `together` form *units* (connected components) that always move as
one. All costs are integers (SCALE per unit of weight) so that every solver, the brute-force
oracle and the CP-SAT model evaluate exactly the same objective.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from locus.grouping.geo import haversine_matrix
from locus.grouping.problem import Mode, Participant, Problem, Settings

SCALE = 100
_CHUNK = 512


@dataclass(frozen=True, kw_only=True)
class Features:
    """Participant-level attributes as arrays (row i = participant i)."""

    lat: np.ndarray
    lon: np.ndarray
    log_size: np.ndarray
    themes: np.ndarray
    previous: np.ndarray
    sic_class: np.ndarray
    theme_names: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Instance:
    """Unit-level arrays; see module docstring. Pair arrays are symmetric, zero diagonal."""

    participants: tuple[Participant, ...]
    settings: Settings
    features: Features
    units: tuple[np.ndarray, ...]
    unit_of: np.ndarray
    weight: np.ndarray
    base: np.ndarray
    travel: np.ndarray
    base_in: np.ndarray
    travel_in: np.ndarray
    hard: np.ndarray
    far: np.ndarray
    hard_in: np.ndarray
    far_in: np.ndarray
    can_on: np.ndarray
    can_ip: np.ndarray
    online_pen: np.ndarray
    divc: np.ndarray
    divisions: tuple[str, ...]
    locked: np.ndarray
    locked_labels: tuple[str, ...]

    @property
    def n(self) -> int:
        return len(self.participants)

    @property
    def n_units(self) -> int:
        return len(self.units)

    @property
    def pmax(self) -> int:
        s = self.settings.max_size
        return s * (s - 1) // 2

    @property
    def fair_coef(self) -> int:
        return int(round(self.settings.weights.fairness * self.n))

    @property
    def sector_cost(self) -> int:
        return int(round(self.settings.weights.sector * SCALE))

    @property
    def big(self) -> int:
        """Penalty (before the pmax factor) per unplaced participant: dominates any gain."""
        top = int(max(self.base.max(initial=0), 0) + max(self.travel.max(initial=0), 0))
        top += self.sector_cost + int(self.online_pen.max(initial=0)) + SCALE
        return top * (2 + self.fair_coef) * 4


def _union_find_units(participants: tuple[Participant, ...], index: dict[str, int]) -> list[int]:
    parent = list(range(len(participants)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for p in participants:
        for other in p.together:
            if other in index:
                a, b = find(index[p.id]), find(index[other])
                if a != b:
                    parent[max(a, b)] = min(a, b)
    return [find(i) for i in range(len(participants))]


def _bits(sets: list[set[int]], width: int) -> np.ndarray:
    """Pack sets of small integers into rows of 64-bit words."""
    words = np.zeros((len(sets), max(1, -(-width // 64))), dtype=np.uint64)
    for i, members in enumerate(sets):
        for k in members:
            words[i, k // 64] |= np.uint64(1) << np.uint64(k % 64)
    return words


def features_build(*, participants: tuple[Participant, ...]) -> Features:
    """Array form of the attributes used by pair costs (themes and past groups as bitsets)."""
    lat = np.array([p.lat if p.has_location else np.nan for p in participants], dtype=float)
    lon = np.array([p.lon if p.has_location else np.nan for p in participants], dtype=float)
    heads = [p.head_count for p in participants]
    log_size = np.array([np.log10(h + 1) if h is not None else np.nan for h in heads])
    theme_names = tuple(sorted({t for p in participants for t in p.themes}))
    t_index = {t: k for k, t in enumerate(theme_names)}
    prev_names = sorted({g for p in participants for g in p.previous_groups})
    g_index = {g: k for k, g in enumerate(prev_names)}
    themes = _bits([{t_index[t] for t in p.themes} for p in participants], len(theme_names))
    previous = _bits([{g_index[g] for g in p.previous_groups} for p in participants],
                     len(prev_names))
    sic_class = np.array([p.sic_class or f"?{i}" for i, p in enumerate(participants)])
    return Features(lat=lat, lon=lon, log_size=log_size, themes=themes, previous=previous,
                    sic_class=sic_class, theme_names=theme_names)


def _common(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Counts of shared bits between every row of a and every row of b (no BLAS)."""
    out = np.zeros((a.shape[0], b.shape[0]), dtype=np.int64)
    for w in range(a.shape[1]):
        out += np.bitwise_count(a[:, w][:, None] & b[:, w][None, :])
    return out


def pair_components(*, features: Features, rows: np.ndarray, cols: np.ndarray | None
                    ) -> dict[str, np.ndarray]:
    """Unweighted per-criterion pair costs (floats) and distances for rows x cols
    (cols=None: every participant, without copying the feature arrays)."""
    f = features
    cols = slice(None) if cols is None else cols
    ta, tb = f.themes[rows], f.themes[cols]
    inter = _common(ta, tb)
    none_a = ~ta.any(axis=1)
    none_b = ~tb.any(axis=1)
    empty = none_a[:, None] | none_b[None, :]
    themes = np.where(empty, 0.5, np.where(inter > 0, 0.0, 1.0))
    diff = np.abs(f.log_size[rows][:, None] - f.log_size[cols][None, :])
    size = np.where(np.isnan(diff), 0.5, np.minimum(diff, 1.0))
    met = _common(f.previous[rows], f.previous[cols])
    dist = haversine_matrix(lat_a=f.lat[rows], lon_a=f.lon[rows], lat_b=f.lat[cols],
                            lon_b=f.lon[cols])
    return {"themes": themes, "size": size, "repeat": met.astype(float) ** 2, "km": dist}


def _pair_block(features: Features, settings: Settings, rows: np.ndarray, cols: np.ndarray,
                avoid: set[tuple[int, int]]) -> tuple[np.ndarray, ...]:
    c = pair_components(features=features, rows=rows, cols=cols)
    w = settings.weights
    base = np.rint(SCALE * (w.themes * c["themes"] + w.size * c["size"] + w.repeat * c["repeat"]))
    dist = c["km"]
    known = ~np.isnan(dist)
    travel = np.where(known, np.rint(SCALE * w.travel * np.nan_to_num(dist) / settings.max_km), 0)
    far = ~known | (np.nan_to_num(dist, nan=np.inf) > settings.max_km)
    same_class = features.sic_class[rows][:, None] == features.sic_class[cols][None, :]
    near = ~known | (np.nan_to_num(dist) <= settings.competitor_km)
    hard = same_class & near
    for a, b in avoid:
        hard[a - rows[0], b] = True
    return base.astype(np.int32), travel.astype(np.int32), hard, far


def _participant_pairs(participants: tuple[Participant, ...], features: Features,
                       settings: Settings) -> tuple[np.ndarray, ...]:
    n = len(participants)
    index = {p.id: i for i, p in enumerate(participants)}
    avoid = {(index[p.id], index[o]) for p in participants for o in p.avoid if o in index}
    avoid |= {(b, a) for a, b in avoid}
    base = np.zeros((n, n), dtype=np.int32)
    travel = np.zeros((n, n), dtype=np.int32)
    hard = np.zeros((n, n), dtype=bool)
    far = np.zeros((n, n), dtype=bool)
    cols = np.arange(n)
    for start in range(0, n, _CHUNK):
        rows = np.arange(start, min(n, start + _CHUNK))
        mine = {(a, b) for a, b in avoid if rows[0] <= a <= rows[-1]}
        blocks = _pair_block(features, settings, rows, cols, mine)
        for target, block in zip((base, travel, hard, far), blocks, strict=True):
            target[rows] = block
    for m in (base, travel):
        np.fill_diagonal(m, 0)
    np.fill_diagonal(hard, False)
    np.fill_diagonal(far, False)
    return base, travel, hard, far


def _aggregate(m: np.ndarray, units: tuple[np.ndarray, ...], starts: np.ndarray,
               boolean: bool) -> np.ndarray:
    """Unit x unit sums (or any) of a participant x participant matrix; units contiguous."""
    multi = [u for u, members in enumerate(units) if len(members) > 1]
    rows = m[starts]
    for u in multi:
        block = m[units[u]]
        rows[u] = block.any(axis=0) if boolean else block.sum(axis=0)
    out = rows[:, starts]
    for u in multi:
        block = rows[:, units[u]]
        out[:, u] = block.any(axis=1) if boolean else block.sum(axis=1)
    return out


def instance_build(*, problem: Problem, settings: Settings) -> Instance:
    """Compile a validated problem (unique ids, known references) into an Instance."""
    parts = problem.participants
    index = {p.id: i for i, p in enumerate(parts)}
    roots = _union_find_units(parts, index)
    order = sorted(range(len(parts)), key=lambda i: (roots[i], i))
    parts = tuple(parts[i] for i in order)
    roots = [roots[i] for i in order]
    starts = np.array([i for i in range(len(parts)) if i == 0 or roots[i] != roots[i - 1]])
    units = tuple(np.arange(s, e) for s, e in zip(starts, [*starts[1:], len(parts)], strict=True))
    unit_of = np.repeat(np.arange(len(units)), [len(u) for u in units])
    feats = features_build(participants=parts)
    base, travel, hard, far = _participant_pairs(parts, feats, settings)
    if len(units) == len(parts):
        b_in = t_in = np.zeros(len(parts), dtype=np.int64)
        h_in = f_in = np.zeros(len(parts), dtype=bool)
    else:
        base, travel = (_aggregate(m, units, starts, False) for m in (base, travel))
        hard, far = (_aggregate(m, units, starts, True) for m in (hard, far))
        b_in, t_in = np.diag(base) // 2, np.diag(travel) // 2
        h_in, f_in = np.diag(hard).copy(), np.diag(far).copy()
        for m in (base, travel, hard, far):
            np.fill_diagonal(m, 0)
    return _finish(parts, settings, feats, units, unit_of, base, travel, hard, far,
                   b_in, t_in, h_in, f_in)


def _finish(parts, settings, feats, units, unit_of, base, travel, hard, far,
            b_in, t_in, h_in, f_in) -> Instance:
    divisions = tuple(sorted({p.sic_division for p in parts}))
    d_index = {d: k for k, d in enumerate(divisions)}
    divc = np.zeros((len(units), max(1, len(divisions))), dtype=np.int32)
    pen = int(round(settings.weights.in_person * SCALE))
    labels = tuple(sorted({p.locked_group for p in parts if p.locked_group}))
    l_index = {label: k for k, label in enumerate(labels)}
    locked = np.full(len(units), -1, dtype=np.int64)
    can_on = np.ones(len(units), dtype=bool)
    can_ip = np.ones(len(units), dtype=bool)
    online_pen = np.zeros(len(units), dtype=np.int64)
    for u, members in enumerate(units):
        for i in members:
            p = parts[i]
            divc[u, d_index[p.sic_division]] += 1
            can_on[u] &= p.can_meet_online
            can_ip[u] &= p.can_meet_in_person
            online_pen[u] += pen if (p.mode is Mode.EITHER and p.has_location) else 0
            if p.locked_group:
                locked[u] = l_index[p.locked_group] if locked[u] in (-1, l_index[p.locked_group]) \
                    else -2
    can_ip &= ~np.asarray(f_in, dtype=bool)
    return Instance(participants=parts, settings=settings, features=feats, units=units,
                    unit_of=unit_of, weight=np.array([len(u) for u in units], dtype=np.int64),
                    base=base, travel=travel, base_in=np.asarray(b_in, dtype=np.int64),
                    travel_in=np.asarray(t_in, dtype=np.int64), hard=hard, far=far,
                    hard_in=h_in, far_in=f_in, can_on=can_on, can_ip=can_ip,
                    online_pen=online_pen, divc=divc, divisions=divisions, locked=locked,
                    locked_labels=labels)
