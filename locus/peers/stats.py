"""Before/after change with 95% confidence intervals, and the difference against a comparison
group (difference in differences, Welch's t interval). Pure functions."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats as sps

LEVEL = 0.95


@dataclass(frozen=True)
class Change:
    n: int
    before: float | None
    after: float | None
    change: float | None
    low: float | None
    high: float | None
    sd: float | None


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs)


def _sd(xs: list[float]) -> float:
    m = _mean(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))


def paired_change(*, pairs: list[tuple[float, float]]) -> Change:
    """Mean of after − before over firms with both, with a paired t interval (needs n ≥ 2)."""
    n = len(pairs)
    if n == 0:
        return Change(0, None, None, None, None, None, None)
    diffs = [after - before for before, after in pairs]
    before = _mean([b for b, _ in pairs])
    after = _mean([a for _, a in pairs])
    change = _mean(diffs)
    if n < 2:
        return Change(n, before, after, change, None, None, None)
    sd = _sd(diffs)
    half = sps.t.ppf(0.5 + LEVEL / 2, n - 1) * sd / math.sqrt(n)
    return Change(n, before, after, change, change - half, change + half, sd)


@dataclass(frozen=True)
class Difference:
    estimate: float | None
    low: float | None
    high: float | None
    df: float | None


def welch_difference(*, treated: Change, comparison: Change) -> Difference:
    """Difference of mean changes (treated − comparison) with a Welch–Satterthwaite interval."""
    if treated.n < 2 or comparison.n < 2 or treated.sd is None or comparison.sd is None:
        estimate = None if treated.change is None or comparison.change is None \
            else treated.change - comparison.change
        return Difference(estimate, None, None, None)
    va, vb = treated.sd ** 2 / treated.n, comparison.sd ** 2 / comparison.n
    estimate = treated.change - comparison.change
    se = math.sqrt(va + vb)
    if se == 0:
        return Difference(estimate, estimate, estimate, float(treated.n + comparison.n - 2))
    df = (va + vb) ** 2 / (va ** 2 / (treated.n - 1) + vb ** 2 / (comparison.n - 1))
    half = sps.t.ppf(0.5 + LEVEL / 2, df) * se
    return Difference(estimate, estimate - half, estimate + half, df)
