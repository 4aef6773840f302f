"""Normalisation of indicators in the manner of the EU Regional Innovation Scoreboard (RIS).

For each indicator, over the reference distribution (all ITL3 areas and years):

1. Outliers: values more than ``k`` standard deviations from the mean (k = 2, as in the RIS)
   are replaced by the most extreme value that is not an outlier (winsorisation).
2. Skew: if the winsorised values are non-negative and their skewness exceeds 1, they are
   square-root transformed.
3. Min-max: ``(x - min) / (max - min)`` over the reference distribution, so 0 is the weakest
   and 1 the strongest reference value; for lower-is-better indicators the scale is flipped.

The fitted parameters are applied unchanged to other areas (Combined Authorities), whose values
are clipped to the reference bounds, so that scores of different levels share one scale.
Missing values stay missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class NormalisationParams:
    """Fitted parameters: winsor bounds, transform, min-max range and direction."""

    low: float
    high: float
    transform: str  # "none" | "sqrt"
    lo: float
    hi: float
    direction: str  # "higher_is_better" | "lower_is_better"
    n: int


def winsor_bounds(values: np.ndarray, *, k: float = 2.0) -> tuple[float, float]:
    """Lowest and highest values within mean +/- k standard deviations (finite values only)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return (np.nan, np.nan)
    mean, sd = float(x.mean()), float(x.std())
    reach = k * sd * (1 + 1e-9)  # a value exactly k sd away is not an outlier, whatever the rounding
    inside = x[(x >= mean - reach) & (x <= mean + reach)] if sd > 0 else x
    if inside.size == 0:
        inside = x
    return float(inside.min()), float(inside.max())


def skewness(values: np.ndarray) -> float:
    """Sample skewness (Fisher-Pearson, biased) of the finite values; 0 when undefined."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size < 3:
        return 0.0
    sd = x.std()
    if sd == 0:
        return 0.0
    return float(np.mean(((x - x.mean()) / sd) ** 3))


def normaliser_fit(values: np.ndarray, *, k: float = 2.0, skew_threshold: float = 1.0,
                   direction: str = "higher_is_better") -> NormalisationParams:
    """Fit RIS-style normalisation parameters on a reference distribution."""
    x = np.asarray(values, dtype=float)
    finite = x[np.isfinite(x)]
    low, high = winsor_bounds(finite, k=k)
    clipped = np.clip(finite, low, high) if finite.size else finite
    transform = "none"
    if clipped.size and clipped.min() >= 0 and skewness(clipped) > skew_threshold:
        transform = "sqrt"
        clipped = np.sqrt(clipped)
    lo = float(clipped.min()) if clipped.size else np.nan
    hi = float(clipped.max()) if clipped.size else np.nan
    return NormalisationParams(low=low, high=high, transform=transform, lo=lo, hi=hi,
                               direction=direction, n=int(finite.size))


def normaliser_apply(values: np.ndarray, *, params: NormalisationParams) -> np.ndarray:
    """Apply fitted parameters; result in [0, 1], NaN where the input is missing."""
    x = np.asarray(values, dtype=float)
    out = np.full(x.shape, np.nan)
    ok = np.isfinite(x)
    if not ok.any() or not np.isfinite(params.lo):
        return out
    y = np.clip(x[ok], params.low, params.high)
    if params.transform == "sqrt":
        y = np.sqrt(np.maximum(y, 0.0))
    span = params.hi - params.lo
    scaled = np.full(y.shape, 0.5) if span <= 0 else (y - params.lo) / span
    scaled = np.clip(scaled, 0.0, 1.0)
    if params.direction == "lower_is_better":
        scaled = 1.0 - scaled
    out[ok] = scaled
    return out


def normalise(values: np.ndarray, *, k: float = 2.0, skew_threshold: float = 1.0,
              direction: str = "higher_is_better") -> tuple[np.ndarray, NormalisationParams]:
    """Fit on ``values`` and apply to them."""
    params = normaliser_fit(values, k=k, skew_threshold=skew_threshold, direction=direction)
    return normaliser_apply(values, params=params), params
