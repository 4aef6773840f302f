"""Weak links: stage performance against what upstream stages and neighbours predict.

For each stage after the research base, over the areas of one level:

1. Upstream model: the stage score is regressed (ordinary least squares with intercept) on the
   scores of the upstream stages that at least 70% of the areas with this stage have. Missing
   upstream scores are set to the column mean.
2. Neighbour adjustment: the expected score of an area is its upstream prediction plus the mean
   residual of its statistical neighbours (places like it that also beat or miss the model).
3. Gap = actual - expected.
4. Uncertainty by bootstrap (``n_boot`` replicates, fixed seed). Each replicate resamples the
   areas to refit the model, resamples the area's neighbours, resamples the area's own normalised
   indicators for the stage (its score is their mean) and adds the idiosyncratic variation of
   places at this stage: a normal draw whose variance is the robust variance of all areas' gaps
   (1.4826 x median absolute deviation, squared) less the average variance already drawn from
   the areas' own indicators (so measurement noise is not counted twice). The 95% interval is the 2.5-97.5 percentile range of the
   replicated gaps, so it is a prediction interval: a gap is a weak link only when the whole
   interval is below zero, i.e. when the shortfall is larger than places like it commonly show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

_BLOCK_CELLS = 1 << 16  # resampled cells (rows x replicates x width) drawn per block


@dataclass(frozen=True)
class WeakLink:
    """The gap of one area at one stage."""

    area_code: str
    stage: str
    expected: float
    actual: float
    gap: float
    lo: float
    hi: float
    is_weak: bool
    is_strong: bool
    predictors: tuple[str, ...]
    neighbour_codes: tuple[str, ...]


def _design(x: np.ndarray) -> np.ndarray:
    return np.column_stack([np.ones(x.shape[0]), x])


def _fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    beta, *_ = np.linalg.lstsq(_design(x), y, rcond=None)
    return beta


def _fit_bootstrap(x: np.ndarray, y: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """OLS coefficients for every bootstrap replicate at once; ``counts`` (replicates x rows)
    says how often each row was drawn (weighted normal equations, tiny ridge for safety)."""
    d = _design(x)
    k = d.shape[1]
    # sum_n counts[b, n] * d[n, i] * d[n, j] as one matrix product over the rows
    xtx = (counts @ (d[:, :, None] * d[:, None, :]).reshape(d.shape[0], k * k)).reshape(-1, k, k)
    xty = counts @ (d * y[:, None])
    ridge = 1e-9 * np.eye(k)
    return np.linalg.solve(xtx + ridge, xty[..., None])[..., 0]


def _resample_counts(rng: np.random.Generator, n: int, n_boot: int) -> np.ndarray:
    """How often each of ``n`` rows is drawn in each of ``n_boot`` resamples with replacement
    (n_boot x n; each row of counts sums to n), counted with one bincount."""
    drawn = rng.integers(0, n, size=(n_boot, n))
    flat = (np.arange(n_boot)[:, None] * n + drawn).ravel()
    return np.bincount(flat, minlength=n_boot * n).reshape(n_boot, n).astype(float)


def _padded(lists: Sequence[Sequence[float]]) -> tuple[np.ndarray, np.ndarray]:
    """Ragged rows as a zero-padded matrix and the row lengths."""
    width = max([1, *(len(v) for v in lists)])
    mat = np.zeros((len(lists), width))
    sizes = np.zeros(len(lists), dtype=int)
    for r, values in enumerate(lists):
        mat[r, :len(values)] = values
        sizes[r] = len(values)
    return mat, sizes


def _bootstrap_take(rng: np.random.Generator, mat: np.ndarray, sizes: np.ndarray, n_boot: int) -> np.ndarray:
    """Resamples of each row's first ``sizes[r]`` entries of ``mat`` (rows x width), drawn with
    replacement: rows x n_boot x width, entry [r, b, w] = mat[r, j] with j uniform in [0, sizes[r]).
    One uniform draw per cell, scaled and truncated in place, gathered with one flat take."""
    rows, width = mat.shape
    picks = rng.random((rows, n_boot, width))
    picks *= np.maximum(sizes, 1)[:, None, None]
    flat = picks.astype(np.intp)
    flat += (np.arange(rows) * width)[:, None, None]
    return np.take(mat, flat)


def _bootstrap_means(rng: np.random.Generator, mat: np.ndarray, sizes: np.ndarray, n_boot: int,
                     by_replicate: np.ndarray | None = None) -> np.ndarray:
    """Mean of each row's resample (rows x n_boot): the mean of ``_bootstrap_take`` draws, or, when
    ``by_replicate`` (areas x n_boot) is given, ``mat`` holds area indices and the mean is of
    ``by_replicate[area, b]`` in replicate b. Computed in blocks of rows so that the temporaries
    stay small (a few MB, reused instead of fresh pages); the draws are those of one block (a
    generator's uniforms come in the same order however many are drawn at a time)."""
    rows, width = mat.shape
    out = np.empty((rows, n_boot))
    step = max(1, _BLOCK_CELLS // (n_boot * width))
    for start in range(0, rows, step):
        block = slice(start, min(rows, start + step))
        picked = _bootstrap_take(rng, mat[block], sizes[block], n_boot)
        if by_replicate is not None:
            picked *= n_boot
            picked += np.arange(n_boot)[None, :, None]
            picked = np.take(by_replicate, picked)
        out[block] = _masked_mean(picked, sizes[block])
    return out


def _masked_mean(values: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Mean over the last axis of the first ``sizes[row]`` entries (0 where a row is empty).
    ``values`` must be finite everywhere (padding included): the mask is applied as weights."""
    keep = (np.arange(values.shape[-1]) < sizes[:, None]).astype(float)  # rows x width
    total = np.einsum("rbw,rw->rb", values, keep) if values.ndim == 3 else np.einsum("rw,rw->r", values, keep)
    return total / np.maximum(sizes, 1).reshape((-1,) + (1,) * (values.ndim - 2))


def stage_weak_links(*, codes: Sequence[str], stage: str, y: np.ndarray, upstream: np.ndarray,
                     upstream_ids: Sequence[str], indicator_values: Mapping[str, np.ndarray],
                     neighbours: Mapping[str, Sequence[str]], n_boot: int = 1000, seed: int = 0,
                     alpha: float = 0.05, min_share: float = 0.7) -> list[WeakLink]:
    """Weak links of one stage. ``y`` has one score per code (NaN = no score); ``upstream`` is
    codes x upstream stages; ``indicator_values`` holds each area's normalised indicators."""
    codes = list(codes)
    y = np.asarray(y, dtype=float)
    has_y = np.isfinite(y)
    if has_y.sum() < 5:
        return []
    up = np.asarray(upstream, dtype=float).reshape(len(codes), -1)
    keep = [j for j in range(up.shape[1]) if np.isfinite(up[has_y, j]).mean() >= min_share]
    x = up[:, keep]
    if keep:
        col_mean = np.nanmean(np.where(np.isfinite(x[has_y]), x[has_y], np.nan), axis=0)
        x = np.where(np.isfinite(x), x, col_mean)
    rows = np.flatnonzero(has_y)
    beta = _fit(x[rows], y[rows])
    resid = np.full(len(codes), np.nan)
    resid[rows] = y[rows] - _design(x[rows]) @ beta
    rng = np.random.default_rng(seed)
    counts = _resample_counts(rng, rows.size, n_boot)
    resid_boot = y[:, None] - _design(x) @ _fit_bootstrap(x[rows], y[rows], counts).T  # areas x n_boot

    index = {c: i for i, c in enumerate(codes)}
    nb_lists = [[index[c] for c in neighbours.get(codes[i], ()) if c in index and has_y[index[c]]] for i in rows]
    nb_idx, nb_n = _padded(nb_lists)
    # padding points at a scored area, so every gathered residual is finite (see _masked_mean)
    nb_idx = np.where(np.arange(nb_idx.shape[1]) < nb_n[:, None], nb_idx, rows[0]).astype(int)
    point_gaps = resid[rows] - _masked_mean(resid[nb_idx], nb_n)
    nb_boot = _bootstrap_means(rng, nb_idx, nb_n, n_boot, by_replicate=resid_boot)  # rows x n_boot

    own = []
    for i in rows:
        vals = np.asarray(indicator_values.get(codes[i], [y[i]]), dtype=float)
        vals = vals[np.isfinite(vals)]
        own.append(vals if vals.size else np.asarray([y[i]]))
    own_mat, own_n = _padded(own)
    actual_boot = _bootstrap_means(rng, own_mat, own_n, n_boot) - _masked_mean(own_mat, own_n)[:, None] + y[rows][:, None]
    measure_var = np.asarray([v.var() / v.size if v.size > 1 else 0.0 for v in own])
    robust_var = (1.4826 * float(np.median(np.abs(point_gaps - np.median(point_gaps))))) ** 2
    spread = float(np.sqrt(max(robust_var - float(measure_var.mean()), 0.0)))
    expected = _design(x[rows]) @ beta + (resid[rows] - point_gaps)
    gaps = actual_boot - (y[rows][:, None] - resid_boot[rows]) - nb_boot - rng.normal(0.0, spread, (rows.size, n_boot))
    lo, hi = np.quantile(gaps, [alpha / 2, 1 - alpha / 2], axis=1)
    predictors = tuple(upstream_ids[j] for j in keep)
    return [WeakLink(codes[i], stage, float(expected[r]), float(y[i]), float(y[i] - expected[r]), float(lo[r]),
                     float(hi[r]), bool(hi[r] < 0), bool(lo[r] > 0), predictors,
                     tuple(codes[j] for j in nb_lists[r])) for r, i in enumerate(rows)]


def weak_links_compute(*, codes: Sequence[str], stage_ids: Sequence[str], scores: np.ndarray,
                       indicator_values: Mapping[tuple[str, str], np.ndarray],
                       neighbours: Mapping[str, Sequence[str]], n_boot: int = 1000,
                       seed: int = 0) -> list[WeakLink]:
    """Weak links for every stage after the first. ``scores`` is codes x stages (pathway order);
    ``indicator_values`` maps (area, stage) to that area's normalised indicators."""
    scores = np.asarray(scores, dtype=float)
    out: list[WeakLink] = []
    for s in range(1, len(stage_ids)):
        per_area = {c: indicator_values.get((c, stage_ids[s]), np.asarray([])) for c in codes}
        per_area = {c: v for c, v in per_area.items() if np.asarray(v).size}
        out += stage_weak_links(codes=codes, stage=stage_ids[s], y=scores[:, s],
                                upstream=scores[:, :s], upstream_ids=stage_ids[:s],
                                indicator_values=per_area, neighbours=neighbours,
                                n_boot=n_boot, seed=seed + s)
    return out
