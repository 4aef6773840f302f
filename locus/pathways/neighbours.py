"""Statistical neighbours: the k most similar places on structural variables.

Each structural variable is standardised (z-score over the areas of the level; a missing value
is set to the mean, i.e. z = 0), optionally weighted, and the distance is Euclidean:
``d(r, s) = sqrt(sum_k w_k (z_rk - z_sk)^2)``. Ties are broken by area code so the result is
deterministic. Any area's list can be replaced by an explicit one (``neighbours_override``);
its distances are then recomputed on the same scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Neighbour:
    """One neighbour of an area."""

    area_code: str
    neighbour_code: str
    rank: int
    distance: float
    source: str = "computed"  # computed | override


def standardise(features: np.ndarray) -> np.ndarray:
    """Column z-scores; missing values become 0 (the column mean); constant columns become 0."""
    x = np.asarray(features, dtype=float)
    if x.ndim != 2:
        raise ValueError("features must be a 2-d array (areas x variables)")
    mean = np.nanmean(np.where(np.isfinite(x), x, np.nan), axis=0)
    sd = np.nanstd(np.where(np.isfinite(x), x, np.nan), axis=0)
    mean = np.where(np.isfinite(mean), mean, 0.0)
    sd = np.where(np.isfinite(sd) & (sd > 0), sd, 1.0)
    z = (x - mean) / sd
    return np.where(np.isfinite(z), z, 0.0)


def distance_matrix(z: np.ndarray, *, weights: np.ndarray | None = None) -> np.ndarray:
    """Weighted Euclidean distances between the rows of a standardised matrix."""
    w = np.ones(z.shape[1]) if weights is None else np.asarray(weights, dtype=float)
    if w.shape != (z.shape[1],) or (w < 0).any():
        raise ValueError("weights must be non-negative, one per variable")
    zw = z * np.sqrt(w)
    sq = (zw * zw).sum(axis=1)
    d2 = sq[:, None] + sq[None, :] - 2.0 * zw @ zw.T
    return np.sqrt(np.maximum(d2, 0.0))


def _k_smallest(values: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the k smallest entries of each row, smallest first and ties in column
    order: the first k columns of a stable argsort of each row, found without sorting whole rows
    (a partition, then a sort of k columns; a row with a tie at its k-th value is sorted whole)."""
    if k <= 0 or k >= values.shape[1]:
        return np.argsort(values, axis=1, kind="stable")[:, :max(k, 0)]
    step = max(1, (1 << 20) // values.shape[1])  # blocks of rows keep the index arrays small
    if values.shape[0] > step:
        return np.concatenate([_k_smallest(values[i:i + step], k) for i in range(0, values.shape[0], step)])
    cols = np.sort(np.argpartition(values, k - 1, axis=1)[:, :k], axis=1)  # the k smallest, column order
    vals = np.take_along_axis(values, cols, axis=1)
    out = np.take_along_axis(cols, np.argsort(vals, axis=1, kind="stable"), axis=1)
    tied = (values <= vals.max(axis=1)[:, None]).sum(axis=1) != k  # ties at the k-th value, or NaN
    if tied.any():
        out[tied] = np.argsort(values[tied], axis=1, kind="stable")[:, :k]
    return out


def neighbours_compute(*, codes: Sequence[str], features: np.ndarray, k: int = 5,
                       weights: np.ndarray | None = None) -> list[Neighbour]:
    """The k nearest other areas of every area, nearest first."""
    codes = list(codes)
    if len(set(codes)) != len(codes):
        raise ValueError("area codes must be unique")
    if len(codes) != np.asarray(features).shape[0]:
        raise ValueError("one feature row per area code")
    d = distance_matrix(standardise(features), weights=weights)
    k = min(k, len(codes) - 1)
    rounded = np.round(d, 12)
    np.fill_diagonal(rounded, np.inf)  # never its own neighbour
    by_code = np.argsort(np.asarray(codes, dtype=object), kind="stable")  # ties are broken by code
    order = by_code[_k_smallest(rounded[:, by_code], k)]
    return [Neighbour(code, codes[j], rank, float(d[i, j]))
            for i, code in enumerate(codes) for rank, j in enumerate(order[i], start=1)]


def neighbours_override(*, neighbours: list[Neighbour], area_code: str, neighbour_codes: Sequence[str],
                        codes: Sequence[str], features: np.ndarray,
                        weights: np.ndarray | None = None) -> list[Neighbour]:
    """Replace one area's neighbours by an explicit list (kept in the given order)."""
    codes = list(codes)
    unknown = [c for c in [area_code, *neighbour_codes] if c not in codes]
    if unknown:
        raise ValueError(f"unknown area code(s): {unknown}")
    if area_code in neighbour_codes:
        raise ValueError("an area cannot be its own neighbour")
    d = distance_matrix(standardise(features), weights=weights)
    i = codes.index(area_code)
    replaced = [Neighbour(area_code, c, rank, float(d[i, codes.index(c)]), "override")
                for rank, c in enumerate(neighbour_codes, start=1)]
    return [n for n in neighbours if n.area_code != area_code] + replaced


def neighbours_by_area(neighbours: list[Neighbour]) -> dict[str, list[str]]:
    """Neighbour codes per area, in rank order."""
    out: dict[str, list[str]] = {}
    for n in sorted(neighbours, key=lambda n: (n.area_code, n.rank)):
        out.setdefault(n.area_code, []).append(n.neighbour_code)
    return out
