"""Reads of the live atlas for an area's trend lines: the UK series and the medians of its
statistical neighbours and of its level, per indicator and year (ADR 0011)."""

from __future__ import annotations

import statistics
from collections import defaultdict

from locus.atlas import models as m
from locus.atlas.selectors import cached, indicator_series


def uk_series() -> dict[str, list[tuple[int, float, str]]]:
    return cached("uk_series", compute=lambda: indicator_series(code=uk_code(), level="uk"))


def uk_code() -> str:
    return m.AtlasArea.objects.filter(level="uk").values_list("code", flat=True).first() or ""


def _medians(rows, *, half_coverage: bool) -> dict[str, dict[int, tuple[float, int]]]:
    grouped: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for ind, year, value in rows:
        grouped[ind][year].append(value)
    out: dict[str, dict[int, tuple[float, int]]] = {}
    for ind, years in grouped.items():
        most = max(len(v) for v in years.values())
        need = max(2, (most + 1) // 2) if half_coverage else 2
        out[ind] = {y: (statistics.median(v), len(v)) for y, v in sorted(years.items()) if len(v) >= need}
    return out


def indicator_level_medians(*, level: str) -> dict[str, dict[int, tuple[float, int]]]:
    """Per indicator and year, the median over every area of a level and how many areas it covers;
    a year is kept only where at least half as many areas have a value as in the indicator's
    best-covered year, so the line does not jump when coverage changes."""
    def compute():
        rows = (m.IndicatorValue.objects.filter(level=level, value__isnull=False)
                .values_list("indicator_id", "year", "value").iterator(chunk_size=20000))
        return _medians(rows, half_coverage=True)
    return cached("level_medians", level, compute=compute)


def indicator_group_medians(*, codes: list[str], level: str) -> dict[str, dict[int, tuple[float, int]]]:
    """Per indicator and year, the median over the given areas (at least two with a value)."""
    if not codes:
        return {}
    rows = (m.IndicatorValue.objects.filter(level=level, area_code__in=codes, value__isnull=False)
            .values_list("indicator_id", "year", "value"))
    return _medians(rows, half_coverage=False)
