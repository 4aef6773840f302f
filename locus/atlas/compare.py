"""Compare 2-6 areas: their pathways on one chart and their indicators side by side."""

from __future__ import annotations

from dataclasses import dataclass

from locus.atlas import models as m
from locus.atlas import selectors as sel
from locus.atlas.errors import AtlasNotFoundError
from locus.atlas.profile import Pathway, pathway_get

MIN_AREAS, MAX_AREAS = 2, 6


@dataclass(frozen=True)
class CompareCell:
    year: int | None
    value: float | None


@dataclass
class Comparison:
    areas: list[m.AtlasArea]
    pathways: list[Pathway]
    rows: list[tuple[m.Indicator, int | None, list[CompareCell]]]
    medians: dict[str, float]
    provenance: dict


def compare_codes_parse(*, text: str | list[str]) -> tuple[list[str], list[str]]:
    """(codes, error messages) for a comma-separated list (or several values) of area codes."""
    parts = text if isinstance(text, list) else [text]
    codes = []
    for part in parts:
        for code in (part or "").replace(" ", ",").split(","):
            code = code.strip().upper()
            if code and code not in codes:
                codes.append(code)
    errors = []
    if len(codes) < MIN_AREAS:
        errors.append(f"Choose at least {MIN_AREAS} areas to compare (you chose {len(codes)}).")
    if len(codes) > MAX_AREAS:
        errors.append(f"Choose at most {MAX_AREAS} areas to compare (you chose {len(codes)}): remove "
                      f"{len(codes) - MAX_AREAS}.")
    known = set(m.AtlasArea.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        errors.append(f"No area in the atlas has the code{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}: "
                      "check the code or pick the area from the list.")
    return codes, errors


def _cells(series: dict[str, dict[str, dict[int, float]]], ind: str, codes: list[str]) -> tuple[int | None, list[CompareCell]]:
    per = [series[c].get(ind, {}) for c in codes]
    common = set(per[0]).intersection(*per[1:]) if per else set()
    if common:
        year = max(common)
        return year, [CompareCell(year, p[year]) for p in per]
    return None, [CompareCell(max(p), p[max(p)]) if p else CompareCell(None, None) for p in per]


def compare_get(*, codes: list[str]) -> Comparison:
    codes, errors = compare_codes_parse(text=",".join(codes))
    if errors:
        raise AtlasNotFoundError(" ".join(errors))
    areas = [sel.area_get(code=c) for c in codes]
    pathways = [pathway_get(code=a.code, level=a.level) for a in areas]
    series = {a.code: {k: {y: v for y, v, _m in pts} for k, pts in sel.indicator_series(code=a.code, level=a.level).items()}
              for a in areas}
    rows = []
    for ind in sel.indicators_list():
        if any(series[c].get(ind.id) for c in codes):
            year, cells = _cells(series, ind.id, codes)
            rows.append((ind, year, cells))
    levels = {a.level for a in areas if sel.scored(a.level)}
    medians = sel.stage_medians(level=levels.pop()) if len(levels) == 1 else {}
    return Comparison(areas, pathways, rows, medians, sel.score_provenance())
