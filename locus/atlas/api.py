"""Atlas endpoints under /api/v1/: indicators and their values, an area's pathway (with optional
neighbour override) and ranked investment opportunities. Every value carries its provenance."""

from __future__ import annotations

import functools

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from locus.atlas import selectors as sel
from locus.atlas.errors import AtlasNotFoundError, NoAtlasError
from locus.atlas.profile import pathway_get
from locus.atlas.text import STAGE_TITLES, link_verdict

router = Router(tags=["atlas"])


class Provenance(Schema):
    source: str
    publisher: str
    vintage: str
    licence: str
    method: str


class ErrorOut(Schema):
    detail: str


class IndicatorOut(Schema):
    id: str
    title: str
    definition: str
    unit: str
    direction: str
    stage: str
    stage_title: str
    native_geography: str
    levels: list[str]
    provenance: Provenance


class ValueOut(Schema):
    area_code: str
    area_name: str
    value: float
    numerator: float | None
    denominator: float | None
    method: str
    coverage: float | None
    provenance: Provenance


class ValuesOut(Schema):
    indicator: str
    title: str
    unit: str
    level: str
    year: int | None
    years: list[int]
    count: int
    message: str
    no_data: list[str]
    values: list[ValueOut]


class WeakLinkOut(Schema):
    expected: float
    actual: float
    gap: float
    lo: float
    hi: float
    is_weak: bool
    is_strong: bool
    verdict: str
    predictors: list[str]
    neighbour_codes: list[str]


class StageOut(Schema):
    stage: str
    title: str
    year: int | None
    score: float | None
    trend: float | None
    n_indicators: int
    n_stage_indicators: int
    indicators: list[str]
    data_years: str
    national_median: float | None
    neighbour_median: float | None
    weak_link: WeakLinkOut | None
    provenance: Provenance


class NeighbourOut(Schema):
    code: str
    name: str
    rank: int
    distance: float
    source: str


class AreaRef(Schema):
    code: str
    name: str
    level: str


class PathwayOut(Schema):
    area: AreaRef
    neighbours_source: str
    neighbours: list[NeighbourOut]
    stages: list[StageOut]
    message: str


class OpportunityOut(Schema):
    scope: str
    rank: int
    area_code: str
    area_name: str
    level: str
    stage: str
    stage_title: str
    priority: float
    reason: str
    numbers: dict
    provenance: Provenance


def _errors(view):
    """Unknown indicator, level, area or CA -> 404 JSON; no atlas loaded -> 503."""
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except AtlasNotFoundError as exc:
            return Status(404, {"detail": str(exc)})
        except NoAtlasError as exc:
            return Status(503, {"detail": str(exc)})
    return wrapper


@router.get("/indicators", response={200: list[IndicatorOut], 503: ErrorOut}, summary="Atlas indicators")
@_errors
def indicators(request: HttpRequest):
    """The indicator catalogue: definition, unit, pathway stage, levels, source, vintage and licence."""
    return [{"id": i.id, "title": i.title, "definition": i.definition, "unit": i.unit, "direction": i.direction,
             "stage": i.stage, "stage_title": STAGE_TITLES.get(i.stage, "Context (not scored)"),
             "native_geography": i.native_geography, "levels": [x.strip() for x in i.levels.split(",")],
             "provenance": sel.indicator_provenance(i)} for i in sel.indicators_list()]


@router.get("/indicators/{indicator_id}/values", response={200: ValuesOut, 404: ErrorOut, 503: ErrorOut},
            summary="Values of one indicator for every area of a level")
@_errors
def indicator_values(request: HttpRequest, indicator_id: str, level: str = "itl3",
                     year: int | None = Query(None, ge=1900, le=2100)):
    """Values for every ITL3 area, Combined Authority or LAD (``level``) in one year (default: the
    latest year most areas have). A year without data gives ``values: []`` and a ``message``."""
    data = sel.indicator_values_get(indicator_id=indicator_id, level=level, year=year)
    rows = [r for r in data.rows if r.value is not None]
    return {"indicator": data.indicator.id, "title": data.indicator.title, "unit": data.indicator.unit,
            "level": level, "year": data.year, "years": data.years, "count": len(rows), "message": data.message,
            "no_data": [r.area.code for r in data.rows if r.value is None],
            "values": [{"area_code": r.area.code, "area_name": r.area.name, "value": r.value,
                        "numerator": r.numerator, "denominator": r.denominator, "method": r.method,
                        "coverage": r.coverage, "provenance": data.provenance} for r in rows]}


def _link(w) -> dict | None:
    if w is None:
        return None
    return {"expected": w.expected, "actual": w.actual, "gap": w.gap, "lo": w.lo, "hi": w.hi,
            "is_weak": w.is_weak, "is_strong": w.is_strong,
            "verdict": link_verdict(is_weak=w.is_weak, is_strong=w.is_strong),
            "predictors": [p for p in (w.predictors if isinstance(w.predictors, (list, tuple))
                                       else w.predictors.split(",")) if p],
            "neighbour_codes": [c for c in (w.neighbour_codes if isinstance(w.neighbour_codes, (list, tuple))
                                            else w.neighbour_codes.split(",")) if c]}


@router.get("/areas/{code}/pathway", response={200: PathwayOut, 404: ErrorOut, 503: ErrorOut},
            summary="An area's commercialisation pathway")
@_errors
def area_pathway(request: HttpRequest, code: str, neighbours: str = ""):
    """Stage scores (latest), statistical neighbours and weak links with 95% intervals for an ITL3
    area or Combined Authority. ``neighbours=A,B,C`` replaces the computed neighbours (same level)
    and recomputes distances and expected values with the build's method."""
    override = [c.strip().upper() for c in neighbours.split(",") if c.strip()] if neighbours else None
    p = pathway_get(code=code, neighbours=override)
    return {"area": {"code": p.area.code, "name": p.area.name, "level": p.area.level},
            "neighbours_source": "override" if override else "computed", "message": p.message,
            "neighbours": [{"code": n.code, "name": n.name, "rank": n.rank, "distance": n.distance,
                            "source": n.source} for n in p.neighbours],
            "stages": [{"stage": s.stage, "title": s.title, "year": s.year, "score": s.score, "trend": s.trend,
                        "n_indicators": s.n_indicators, "n_stage_indicators": s.n_stage_indicators,
                        "indicators": s.indicators, "data_years": s.data_years,
                        "national_median": s.national_median, "neighbour_median": s.neighbour_median,
                        "weak_link": _link(s.link), "provenance": s.provenance} for s in p.stages]}


@router.get("/opportunities", response={200: list[OpportunityOut], 404: ErrorOut, 503: ErrorOut},
            summary="Ranked investment opportunities")
@_errors
def opportunities(request: HttpRequest, ca: str = "", limit: int = Query(100, ge=1, le=1000)):
    """Places where a top-quintile research base meets a significant downstream weak link: the
    national ranking of ITL3 areas, or one Combined Authority's ranking (``ca=E47000001``)."""
    rows = sel.opportunities_list(ca=ca or None, limit=limit)
    prov = sel.score_provenance()
    return [{"scope": o.scope, "rank": o.rank, "area_code": o.area_code, "area_name": o.area_name,
             "level": o.level, "stage": o.stage, "stage_title": STAGE_TITLES.get(o.stage, o.stage),
             "priority": o.priority, "reason": o.reason, "numbers": o.numbers, "provenance": prov} for o in rows]
