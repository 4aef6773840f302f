"""Stage scores: the mean of an area's normalised indicators for each pathway stage and year.

Each indicator is normalised once on the reference level (ITL3, all years; see ``normalise``)
and the same parameters are applied to the other levels. The score of an area, stage and year
is the unweighted mean of the normalised values of the stage's indicators, each taken at its
latest year no more than ``window`` years earlier (the RIS uses the latest available data). A
score needs at least half of the stage's indicators. The trend is the least-squares slope of the
score over the last five years with a score (at least three), in score points per year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from locus.pathways.normalise import NormalisationParams, normaliser_apply, normaliser_fit


@dataclass(frozen=True)
class StageIndicator:
    """The part of a catalogue entry the scores need."""

    indicator_id: str
    stage: str
    direction: str


def indicators_normalise(*, values: pa.Table, indicators: list[StageIndicator],
                         reference_level: str = "itl3") -> tuple[pa.Table, dict[str, NormalisationParams]]:
    """Add a ``normalised`` column in [0, 1] to indicator values (columns indicator_id, level,
    area_code, year, value), fitting each indicator on ``reference_level``."""
    encoded = pc.dictionary_encode(values.column("indicator_id")).combine_chunks()
    position = {v: i for i, v in enumerate(encoded.dictionary.to_pylist())}
    ids = np.asarray(encoded.indices.to_numpy(zero_copy_only=False))  # row -> position in the dictionary
    at_reference = np.asarray(pc.fill_null(pc.equal(values.column("level"), reference_level), False)
                              .to_numpy(zero_copy_only=False), dtype=bool)
    raw = np.asarray(values.column("value").to_numpy(zero_copy_only=False), dtype=float)
    out = np.full(raw.shape, np.nan)
    params: dict[str, NormalisationParams] = {}
    for ind in indicators:
        mask = ids == position.get(ind.indicator_id, -1)
        ref = raw[mask & at_reference]
        params[ind.indicator_id] = normaliser_fit(ref, direction=ind.direction)
        out[mask] = normaliser_apply(raw[mask], params=params[ind.indicator_id])
    return values.append_column("normalised", pa.array(out, pa.float64())), params


def _codes(column: pa.ChunkedArray | pa.Array) -> tuple[list, np.ndarray]:
    """Sorted distinct values of a string column and the index of each row's value among them
    (dictionary-encoded by Arrow; only the distinct values are sorted in Python)."""
    encoded = pc.dictionary_encode(column)
    encoded = encoded.combine_chunks() if isinstance(encoded, pa.ChunkedArray) else encoded
    distinct = encoded.dictionary.to_pylist()
    order = sorted(range(len(distinct)), key=distinct.__getitem__)
    rank = np.empty(len(distinct), dtype=np.int64)
    rank[order] = np.arange(len(distinct))
    return [distinct[i] for i in order], rank[np.asarray(encoded.indices.to_numpy(zero_copy_only=False))]


def _pair_codes(first: pa.ChunkedArray, second: pa.ChunkedArray) -> tuple[list[tuple], np.ndarray]:
    """``_codes`` of the (first, second) pairs of two string columns, in tuple order."""
    firsts, f_idx = _codes(first)
    seconds, s_idx = _codes(second)
    width = max(1, len(seconds))
    pairs, idx = np.unique(f_idx * width + s_idx, return_inverse=True)
    return [(firsts[p // width], seconds[p % width]) for p in pairs.tolist()], idx.reshape(-1)


def _carried(dense: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """(value, data year offset) of each cell's latest value at most ``window`` years earlier."""
    val = np.full(dense.shape, np.nan)
    at = np.full(dense.shape, -1, dtype=np.int64)
    years = np.arange(dense.shape[-1])
    for w in range(window + 1):
        shifted = np.full(dense.shape, np.nan)
        shifted[..., w:] = dense[..., :dense.shape[-1] - w] if w else dense
        take = np.isnan(val) & np.isfinite(shifted)
        val = np.where(take, shifted, val)
        at = np.where(take, years - w, at)
    return val, at


def _trend(scored: np.ndarray, score: np.ndarray, span: int = 5) -> np.ndarray:
    """Least-squares slope of the score over the scored years in (y - span, y], at least three."""
    n_years = scored.shape[-1]
    out = np.full(scored.shape, np.nan)
    x_all = np.arange(n_years, dtype=float)
    for y in range(n_years):
        win = scored[..., max(0, y - span + 1): y + 1]
        x = x_all[max(0, y - span + 1): y + 1]
        s = np.where(win, score[..., max(0, y - span + 1): y + 1], 0.0)
        n = win.sum(axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mx = (win * x).sum(axis=-1) / n
            my = s.sum(axis=-1) / n
            dx = np.where(win, x - mx[..., None], 0.0)
            denom = (dx * dx).sum(axis=-1)
            slope = (dx * (s - my[..., None]) * win).sum(axis=-1) / denom
        out[..., y] = np.where((n >= 3) & (denom > 0), slope, np.nan)
    return out


def stage_scores_compute(*, normalised: pa.Table, indicators: list[StageIndicator],
                         window: int = 2, min_share: float = 0.5) -> pa.Table:
    """Scores per area, level, stage and year from normalised indicator values (vectorised over a
    dense areas x indicators x years array; rows ordered by level, area, stage id and year)."""
    schema = pa.schema([("area_code", pa.string()), ("level", pa.string()), ("stage", pa.string()),
                        ("year", pa.int32()), ("score", pa.float64()), ("trend", pa.float64()),
                        ("n_indicators", pa.int32()), ("n_stage_indicators", pa.int32()),
                        ("indicators", pa.string()), ("data_year_min", pa.int32()),
                        ("data_year_max", pa.int32()), ("is_latest", pa.bool_())])
    stage_of = {i.indicator_id: i.stage for i in indicators}
    value = np.asarray(normalised.column("normalised").to_numpy(zero_copy_only=False), dtype=float)
    wanted = pc.is_in(normalised.column("indicator_id"), value_set=pa.array(sorted(stage_of), pa.string()))
    keep = np.asarray(pc.fill_null(wanted, False).to_numpy(zero_copy_only=False), dtype=bool) & np.isfinite(value)
    if not keep.any():
        return schema.empty_table()
    rows = np.flatnonzero(keep)
    part = normalised.take(pa.array(rows))
    keys, k_idx = _pair_codes(part.column("level"), part.column("area_code"))
    ind_ids, i_idx = _codes(part.column("indicator_id"))
    year_col = np.asarray(normalised.column("year").to_numpy(zero_copy_only=False), dtype=np.int64)[rows]
    y0 = int(year_col.min())
    n_years = int(year_col.max()) - y0 + 1
    dense = np.full((len(keys), len(ind_ids), n_years), np.nan)
    dense[k_idx, i_idx, year_col - y0] = value[rows]
    carried, data_at = _carried(dense, window)
    stages = sorted({stage_of[i] for i in ind_ids})
    n_stage = {s: sum(1 for i in indicators if i.stage == s) for s in stages}
    chunks: list[dict[str, np.ndarray]] = []
    key_level = np.asarray([k[0] for k in keys], dtype=object)
    key_area = np.asarray([k[1] for k in keys], dtype=object)
    for stage in stages:
        cols = [j for j, iid in enumerate(ind_ids) if stage_of[iid] == stage]
        part, at = carried[:, cols, :], data_at[:, cols, :]
        has = np.isfinite(part)
        n_used = has.sum(axis=1)
        fresh = np.isfinite(dense[:, cols, :]).any(axis=1)
        scored = fresh & (n_used >= max(1, math.ceil(min_share * n_stage[stage])))
        with np.errstate(invalid="ignore", divide="ignore"):
            score = np.where(has, part, 0.0).sum(axis=1) / n_used
        trend = _trend(scored, score)
        ks, ys = np.nonzero(scored)
        bits = (has * (1 << np.arange(len(cols)))[None, :, None]).sum(axis=1)[ks, ys]
        patterns, which = np.unique(bits, return_inverse=True)
        names = np.asarray([",".join(ind_ids[c] for b, c in enumerate(cols) if int(code) >> b & 1)
                            for code in patterns], dtype=object)
        last = np.where(scored, np.arange(n_years), -1).max(axis=1)
        chunks.append({
            "area_code": key_area[ks], "level": key_level[ks], "stage": np.full(ks.size, stage, dtype=object),
            "year": ys + y0, "score": score[ks, ys], "trend": trend[ks, ys],
            "n_indicators": n_used[ks, ys], "n_stage_indicators": np.full(ks.size, n_stage[stage]),
            "indicators": names[which.reshape(-1)],
            "data_year_min": np.where(has, at, n_years).min(axis=1)[ks, ys] + y0,
            "data_year_max": np.where(has, at, -1).max(axis=1)[ks, ys] + y0,
            "is_latest": ys == last[ks]})
    arrays = []
    for field in schema:
        col = np.concatenate([c[field.name] for c in chunks])
        mask = np.isnan(col) if field.name == "trend" else None
        arrays.append(pa.array(col, type=field.type, mask=mask))
    table = pa.Table.from_arrays(arrays, schema=schema)
    order = pc.sort_indices(table, sort_keys=[("level", "ascending"), ("area_code", "ascending"),
                                                      ("stage", "ascending"), ("year", "ascending")])
    return table.take(order)
