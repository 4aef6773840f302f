"""Combined Authority peer matching: nearest places in a standardised feature space, with reasons.

Django-free. ``FeatureMatrix`` holds one row per place and one column per feature; the policy
room builds it from what is real and bundled (population, density, land area and the shape of
each CA from the geography), and other rooms can add columns (for example the atlas's pathway
stage scores) through ``locus.policy.hooks.PEER_FEATURE_PROVIDERS`` without changing this code.

Method: each column is optionally log-transformed, then standardised to z-scores across the
places (a column that does not vary is ignored). The distance between two places is the root
mean square difference of their z-scores over the features both have, times the feature's
weight; similarity = 100 x exp(-distance). Reasons name the features on which the two are
closest (called "similar" only within half a standard deviation, ``SIMILAR_WITHIN_SD``) and the one
on which they differ most.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from locus.web.format import first_upper

SIMILAR_WITHIN_SD = 0.5  # z-score difference under which two places' values are called similar


@dataclass(frozen=True)
class Feature:
    key: str
    label: str  # e.g. "population"
    unit: str  # e.g. "people"; used to format values in reasons
    source: str  # where the values come from, shown on the page
    log: bool = False  # compare on a log scale (sizes), not on a linear one
    weight: float = 1.0
    decimals: int = 0


@dataclass(frozen=True)
class FeatureMatrix:
    codes: tuple[str, ...]
    names: tuple[str, ...]
    features: tuple[Feature, ...]
    values: np.ndarray  # shape (len(codes), len(features)); NaN where unknown

    def __post_init__(self) -> None:
        if self.values.shape != (len(self.codes), len(self.features)):
            raise ValueError(f"values shape {self.values.shape} does not match "
                             f"{len(self.codes)} places x {len(self.features)} features")
        if len(set(self.codes)) != len(self.codes):
            raise ValueError("place codes must be unique")

    def with_columns(self, features: Sequence[Feature], columns: dict[str, Sequence[float]]) -> FeatureMatrix:
        """A new matrix with extra features; ``columns`` maps feature key -> value per place."""
        extra = np.array([[float(columns[f.key][i]) for f in features]
                          for i in range(len(self.codes))], dtype=float).reshape(len(self.codes), len(features))
        return FeatureMatrix(self.codes, self.names, self.features + tuple(features),
                             np.hstack([self.values, extra]))


@dataclass(frozen=True)
class Peer:
    code: str
    name: str
    distance: float
    similarity: float  # 0-100
    reasons: list[str] = field(default_factory=list)
    closest: list[str] = field(default_factory=list)  # feature keys, closest first


def standardise(matrix: FeatureMatrix) -> tuple[np.ndarray, np.ndarray]:
    """z-scores per column (log first where asked) and a mask of usable columns."""
    x = matrix.values.astype(float).copy()
    for j, f in enumerate(matrix.features):
        if f.log:
            col = x[:, j]
            with np.errstate(invalid="ignore", divide="ignore"):
                x[:, j] = np.where(col > 0, np.log(col), np.nan)
    mean = np.nanmean(np.where(np.isfinite(x), x, np.nan), axis=0) if len(x) else np.zeros(0)
    std = np.nanstd(x, axis=0) if len(x) else np.zeros(0)
    # A column whose values are (all but) equal has no spread; the test must not depend on units.
    # Rescaling a plain column multiplies its spread and its size alike, so the threshold is relative
    # to the size; a logged column's spread is already unit-free, so its threshold is absolute
    # (values within a relative 1e-9 of each other count as equal either way).
    size = np.nanmax(np.abs(np.where(np.isfinite(x), x, np.nan)), axis=0) if len(x) else np.zeros(0)
    logged = np.array([f.log for f in matrix.features], dtype=bool)
    floor = np.where(logged, 1e-9, 1e-9 * np.where(np.isfinite(size), size, 0.0))  # >= 0: equal values never pass
    usable = np.isfinite(std) & (std > floor)
    z = np.where(usable, (x - mean) / np.where(usable, std, 1.0), np.nan)
    return z, usable


def _distance(zi: np.ndarray, zj: np.ndarray, weights: np.ndarray) -> float:
    both = np.isfinite(zi) & np.isfinite(zj) & (weights > 0)
    if not both.any():
        return math.inf
    diff = (zi[both] - zj[both]) ** 2 * weights[both]
    return float(math.sqrt(diff.sum() / weights[both].sum()))


def _fmt(value: float, feature: Feature) -> str:
    if not math.isfinite(value):
        return "unknown"
    if feature.unit == "people" and value >= 1_000_000:
        return f"{value / 1_000_000:.2f}m"
    if feature.unit == "%":
        return f"{value:.{feature.decimals}f}%"
    unitless = feature.unit in ("people", "") or feature.unit.startswith("score")
    return f"{value:,.{feature.decimals}f}" + ("" if unitless else f" {feature.unit}")


def _reasons(matrix: FeatureMatrix, z: np.ndarray, i: int, j: int, usable: np.ndarray) -> tuple[list[str], list[str]]:
    rows = []
    for k, f in enumerate(matrix.features):
        if usable[k] and f.weight > 0 and np.isfinite(z[i, k]) and np.isfinite(z[j, k]):
            rows.append((abs(z[i, k] - z[j, k]), k))
    rows.sort()
    if not rows:
        return ["No feature is known for both places."], []
    v = matrix.values

    def pair(k: int) -> str:
        return (f"{matrix.features[k].label} ({_fmt(v[i, k], matrix.features[k])} and "
                f"{_fmt(v[j, k], matrix.features[k])})")

    # "Similar" only within half a standard deviation: the two closest features of two places can
    # still be far apart (a 20% and a 10% share), and are then only the most alike of their features.
    close = [k for d, k in rows[:2] if d <= SIMILAR_WITHIN_SD]
    far = [k for d, k in rows[:2] if d > SIMILAR_WITHIN_SD]
    said = [f"similar {pair(k)}" for k in close]
    if far:
        said.append(("next most alike in " if close else "most alike in ") + " and ".join(pair(k) for k in far))
    reasons = [first_upper("; ".join(said)) + "."]  # str.capitalize would lower-case "R&D"
    if len(rows) > 2:
        _, k = rows[-1]
        reasons.append(f"They differ most in {matrix.features[k].label} "
                       f"({_fmt(v[i, k], matrix.features[k])} and {_fmt(v[j, k], matrix.features[k])}).")
    return reasons, [matrix.features[k].key for _, k in rows]


def peers_rank(*, matrix: FeatureMatrix, code: str, limit: int = 5) -> list[Peer]:
    """The ``limit`` places most similar to ``code`` (never itself), most similar first."""
    if code not in matrix.codes:
        raise KeyError(code)
    z, usable = standardise(matrix)
    weights = np.array([f.weight for f in matrix.features], dtype=float) * usable
    i = matrix.codes.index(code)
    peers = []
    for j, other in enumerate(matrix.codes):
        if j == i:
            continue
        d = _distance(z[i], z[j], weights)
        if not math.isfinite(d):
            continue
        reasons, closest = _reasons(matrix, z, i, j, usable)
        peers.append(Peer(other, matrix.names[j], d, round(100 * math.exp(-d), 1), reasons,
                          closest))
    peers.sort(key=lambda p: (p.distance, p.code))
    return peers[:limit]


def distance_matrix(matrix: FeatureMatrix) -> np.ndarray:
    """All pairwise distances (for tests and the benchmark)."""
    z, usable = standardise(matrix)
    weights = np.array([f.weight for f in matrix.features], dtype=float) * usable
    n = len(matrix.codes)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            out[i, j] = out[j, i] = _distance(z[i], z[j], weights)
    return out
