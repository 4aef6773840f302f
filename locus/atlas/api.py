"""Atlas endpoints under /api/v1/: indicators and their values, the pathway stages with their
score and weak-link maps, an area's pathway (with optional neighbour override; districts get what
their native indicators allow) and ranked investment opportunities. Every value carries its
provenance."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Annotated

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field, WithJsonSchema

from locus.atlas import selectors as sel
from locus.atlas.api_errors import atlas_errors, neighbour_codes, query_param
from locus.atlas.mapdata import YEARS
from locus.atlas.profile import pathway_get
from locus.atlas.text import STAGE_TITLES, link_verdict
from locus.geography.api import ParameterErrorOut
from locus.pathways.stages import STAGES
from locus.web.format import in_sentence

router = Router(tags=["atlas"])


def _one_of(values) -> type:
    """A string parameter whose OpenAPI schema lists the values it takes; the view checks them itself and
    answers a 400 (a 404 for a path) naming the parameter and listing them."""
    return Annotated[str, WithJsonSchema({"type": "string", "enum": list(values)})]


ValueLevel = _one_of(sel.VALUE_LEVELS)
PathwayLevel = _one_of(sel.PATHWAY_LEVELS)
StageId = _one_of(st.id for st in STAGES)
StageOrAll = _one_of(["", *(st.id for st in STAGES)])
# the forms the views read; a well-formed code that names no such area is still a 400 naming the parameter
NeighbourList = Annotated[str | None, WithJsonSchema({"type": "string", "pattern": "[A-Za-z0-9]"})]  # not blank
CaCode = Annotated[str, WithJsonSchema({"type": "string", "pattern": "^([Ee]47[0-9]{6})?$"})]


class Provenance(Schema):
    """Where a figure comes from. These five keys are on every atlas figure; the schemas below add to them."""
    source: str = Field(description="The input ids the figure is made from (comma-separated), or for a derived "
                                    "figure the atlas build and its number of input files.")
    publisher: str = Field(description="Who published the inputs; named per input when they differ.")
    vintage: str = Field(description="The data years; named per input when there are several inputs.")
    licence: str = Field(description="The licence text: one sentence per input when the inputs' licences differ, "
                                     "given once when they are the same.")
    method: str = Field(description="Address of the methodology section that says how the figure is made.")


class InputSourceOut(Schema):
    """One published input file of an indicator, from the build's manifest."""
    id: str = Field(description="The input's id in the build's manifest.json.")
    title: str = Field(description="The input's title (its id when the manifest does not name it).")
    publisher: str = Field(description="Who published this input.")
    vintage: str = Field(description="The years this input covers.")
    licence: str = Field(description="This input's own licence text.")


class IndicatorProvenance(Provenance):
    """An indicator's provenance: the five keys, each input on its own, and what to know beside its values."""
    sources: list[InputSourceOut] = Field(
        default_factory=list, description="Each input with its own title, publisher, vintage and licence, in "
                                          "the order of `source`: read the licence of each input here.")
    cited: str = Field("", description="The inputs as sentences, one per input (title, publisher, vintage, "
                                       "licence), for a citation.")
    uncertainty: str = Field("", description="What is known of the inputs' error when they are estimates: for "
                                             "the Annual Population Survey, that ONS publishes a 95% confidence "
                                             "interval the bundled files do not carry, with an example of its "
                                             "width; for BRES, BERD, regional GVA and subregional productivity, "
                                             "that the publisher gives no interval for these areas, and what it "
                                             "says of the figures' quality. Empty for counts and administrative "
                                             "data.")
    caution: str = Field("", description="The first sentence of each text in `uncertainty`, to show beside "
                                         "values; empty when there is none.")
    year_notes: dict[str, str] = Field(
        default_factory=dict, description="A note for each year whose values read differently (a partial first "
                                          "or last year of a programme's data), keyed by year.")


class ValueProvenance(Provenance):
    """A value's provenance: the indicator's, with the note on this value's year instead of every year's."""
    sources: list[InputSourceOut] = Field(
        default_factory=list, description="Each input with its own title, publisher, vintage and licence.")
    cited: str = Field("", description="The inputs as sentences, one per input, for a citation.")
    uncertainty: str = Field("", description="What is known of the inputs' sampling error (see the indicator's "
                                             "provenance); empty for counts and administrative data.")
    caution: str = Field("", description="The first sentence of each text in `uncertainty`; empty when there "
                                         "is none.")
    year_note: str = Field("", description="The note on this value's year (a partial first or last year of a "
                                           "programme's data; a source's declared defect, only on a value built "
                                           "from it), or empty.")


class ScoreProvenance(Provenance):
    """A derived figure's provenance (stage score, gap, opportunity): the build and all of its inputs."""
    licences: list[str] = Field(
        default_factory=list, description="Each input's whole licence text once, in the manifest's order; "
                                          "`licence` gives the same texts as sentences.")


class ErrorOut(Schema):
    detail: str


class ScoreUseOut(Schema):
    level: str
    used: bool
    reason: str


class IndicatorOut(Schema):
    id: str
    title: str
    definition: str
    unit: str
    direction: str
    stage: str
    stage_title: str
    native_geography: str
    levels: list[str]  # where the catalogue says the indicator can be computed
    levels_with_data: list[str]  # where this build has at least one value (values?level= accepts any level)
    score_use: list[ScoreUseOut]
    provenance: IndicatorProvenance


class ValueOut(Schema):
    area_code: str
    area_name: str
    value: float
    numerator: float | None
    denominator: float | None
    denominator_year: int | None = Field(
        description="The year of the denominator used (for a per-head value, the population's year). It "
                    "differs from the value's year only after the last year ONS publishes the population: "
                    "then the latest earlier population within three years is used. Null when the value has "
                    "no denominator, or when the build records no year for it (the collaboration network's "
                    "link shares, both counts from one network).")
    method: str
    coverage: float | None
    scored: bool = Field(description="False for a value published but never used in the scores: a year its input "
                                     "covers only in part, or a value built from a row its source is known to "
                                     "have wrong; provenance.year_note says which and why")
    provenance: ValueProvenance


class ValuesOut(Schema):
    indicator: str
    title: str
    unit: str
    level: str
    year: int | None
    years: list[int]
    count: int
    message: str
    default_year_note: str = Field("", description="Without ``year``: why the year chosen is not the last year "
                                   "with data (a part year, or every value of the level built from a figure its "
                                   "source has wrong); empty when it is the last, or when ``year`` was given.")
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


class PathwayStageOut(Schema):
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
    note: str = ""
    provenance: ScoreProvenance


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
    stages: list[PathwayStageOut]
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
    provenance: ScoreProvenance




@router.get("/indicators", response={200: list[IndicatorOut], 400: ParameterErrorOut, 503: ErrorOut}, summary="Atlas indicators")
@atlas_errors
def indicators(request: HttpRequest):
    """The indicator catalogue: definition, unit, pathway stage, levels, source, vintage and licence,
    and for stage indicators whether they enter the stage scores at each level and why (the coverage
    rule and the district rule). ``provenance.sources`` lists each input with its own publisher,
    vintage and licence; ``provenance.caution`` flags estimates shown without an interval (the Annual
    Population Survey, BRES, BERD, regional GVA, subregional productivity) and ``provenance.year_notes`` the years whose values read differently (partial years)."""
    build = sel.build_live_get()
    with_data = sel.levels_with_data()
    return [{"id": i.id, "title": i.title, "definition": i.definition, "unit": i.unit, "direction": i.direction,
             "stage": i.stage, "stage_title": STAGE_TITLES.get(i.stage, "Context (not scored)"),
             "native_geography": i.native_geography, "levels": [x.strip() for x in i.levels.split(",")],
             "levels_with_data": with_data.get(i.id, []),
             "score_use": [{"level": lv, "used": bool(u.get("used")), "reason": u.get("reason", "")}
                           for lv, u in sorted(sel.score_use_of(indicator_id=i.id, build=build).items())],
             "provenance": _indicator_provenance(sel.indicator_provenance(i))} for i in sel.indicators_list()]


def _indicator_provenance(prov: dict) -> dict:
    """The selector's provenance with its year notes keyed by year as text (JSON object keys)."""
    return {**prov, "year_notes": {str(y): note for y, note in sorted(prov.get("year_notes", {}).items())}}


def _value_provenance(prov: dict, year: int | None) -> dict:
    """The indicator's provenance for values of one year: that year's note, not every year's."""
    return {**{k: v for k, v in prov.items() if k != "year_notes"},
            "year_note": prov.get("year_notes", {}).get(year, "") if year is not None else ""}


@router.get("/indicators/{indicator_id}/values", response={200: ValuesOut, 400: ParameterErrorOut, 404: ErrorOut, 503: ErrorOut},
            summary="Values of one indicator for every area of a level")
@atlas_errors
def indicator_values(request: HttpRequest, indicator_id: str, level: ValueLevel = "itl3",
                     year: int | None = Query(None, ge=YEARS[0], le=YEARS[1])):
    """Values for every area of a level in one year (default: the latest year most areas have):
    ``level`` is itl3, ca or lad (the scored levels), or itl2, itl1, nation or uk (values only).
    A year without data gives ``values: []`` and a ``message``. Without ``year``, ``default_year_note`` says
    why the year chosen is not the last with data (the UK's 2018 HE research income is built from
    Birmingham's defective row, so 2017 is chosen). Each value's ``provenance`` has its
    inputs (``sources``), any estimate's ``caution`` and the ``year_note`` on this value (Innovate UK's
    and Horizon 2020's partial years on every value; Birmingham's 2018 HESA defect only on the values
    built from it, those with ``scored`` false), empty when there is none;
    ``denominator_year`` is the year of the denominator used (null without one): it differs from
    ``year`` when the denominator's own year is not published. ``scored`` is false for a value
    published but left out of the scores (a partial year, or a value
    built from a row its source is known to have wrong). An unknown ``level`` or a ``year``
    outside 1900-2100 is a 400 naming the parameter; an unknown indicator is a 404."""
    sel.indicator_get(indicator_id=indicator_id)
    with query_param("level"):
        sel.level_check(level=level, allowed=sel.VALUE_LEVELS)
    data = sel.indicator_values_get(indicator_id=indicator_id, level=level, year=year)
    rows = [r for r in data.rows if r.value is not None]
    provenance = _value_provenance(data.provenance, data.year)
    return {"indicator": data.indicator.id, "title": data.indicator.title, "unit": data.indicator.unit,
            "level": level, "year": data.year, "years": data.years, "count": len(rows), "message": data.message,
            "default_year_note": data.default_year_note,
            "no_data": [r.area.code for r in data.rows if r.value is None],
            "values": [{"area_code": r.area.code, "area_name": r.area.name, "value": r.value,
                        "numerator": r.numerator, "denominator": r.denominator,
                        "denominator_year": r.denominator_year, "method": r.method,
                        "coverage": r.coverage, "scored": r.scored,
                        "provenance": {**provenance, "year_note": r.note}} for r in rows]}


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




@router.get("/areas/{code}/pathway", response={200: PathwayOut, 400: ParameterErrorOut, 404: ErrorOut, 503: ErrorOut},
            summary="An area's commercialisation pathway")
@atlas_errors
def area_pathway(request: HttpRequest, code: str, neighbours: NeighbourList = None):
    """Stage scores (latest), statistical neighbours and weak links with 95% intervals for an ITL3
    area, Combined Authority or local authority district. ``neighbours=A,B,C`` replaces the computed
    neighbours (same level) and recomputes distances and expected values with the build's method.
    A district has scores only for stages whose indicators are measured for districts; each stage
    without a score says why in ``note`` (for a district, the district rule; for an ITL3 area or
    Combined Authority, which of the stage's indicators the area has no value for)."""
    sel.area_get(code=code)  # an unknown area in the path is a 404, before the query is read
    override = neighbour_codes(request, neighbours)
    with query_param("neighbours") if override is not None else nullcontext():
        p = pathway_get(code=code, neighbours=override)
    return {"area": {"code": p.area.code, "name": p.area.name, "level": p.area.level},
            "neighbours_source": "override" if override is not None else "computed",
            "message": _pathway_message(p),
            "neighbours": [{"code": n.code, "name": n.name, "rank": n.rank, "distance": n.distance,
                            "source": n.source} for n in p.neighbours],
            "stages": [{"stage": s.stage, "title": s.title, "year": s.year, "score": s.score, "trend": s.trend,
                        "n_indicators": s.n_indicators, "n_stage_indicators": s.n_stage_indicators,
                        "indicators": s.indicators, "data_years": s.data_years,
                        "national_median": s.national_median, "neighbour_median": s.neighbour_median,
                        "weak_link": _link(s.link), "note": s.note or s.missing, "provenance": s.provenance}
                       for s in p.stages]}


def _pathway_message(p) -> str:
    """The profile's message, plus for districts which stages have no score and why no opportunities."""
    if p.area.level != "lad":
        return p.message
    missing = [in_sentence(s.title) for s in p.stages if s.score is None]
    return (p.message + (f" No district score for {', '.join(missing)}." if missing else "")
            + " Opportunities are not ranked for districts: the research base is not measured at this level.")


def _years(s) -> str:
    return sel.score_data_years(s)


@router.get("/opportunities", response={200: list[OpportunityOut], 400: ParameterErrorOut, 503: ErrorOut},
            summary="Ranked investment opportunities")
@atlas_errors
def opportunities(request: HttpRequest, ca: CaCode = "", limit: int = Query(100, ge=1, le=1000)):
    """Places where a top-quintile research base meets a significant downstream weak link: the
    national ranking of ITL3 areas, or one Combined Authority's ranking (``ca=E47000001``). A ``ca``
    that is not a Combined Authority's code is a 400 naming the parameter."""
    with query_param("ca"):
        rows = sel.opportunities_list(ca=ca or None, limit=limit)
    prov = sel.score_provenance()
    return [{"scope": o.scope, "rank": o.rank, "area_code": o.area_code, "area_name": o.area_name,
             "level": o.level, "stage": o.stage, "stage_title": STAGE_TITLES.get(o.stage, o.stage),
             "priority": o.priority, "reason": o.reason, "numbers": o.numbers, "provenance": prov} for o in rows]


class StageDefOut(Schema):
    id: str
    order: int
    title: str
    question: str
    indicators: list[str]
    scored_levels: list[str]
    not_scored: dict[str, str]
    method: str


class StageScoreOut(Schema):
    area_code: str
    area_name: str
    year: int
    score: float
    trend: float | None
    n_indicators: int
    n_stage_indicators: int
    indicators: list[str]
    data_years: str
    provenance: ScoreProvenance


class StageScoresOut(Schema):
    stage: str
    title: str
    level: str
    year: int | None
    years: list[int]
    count: int
    message: str
    no_data: list[str]
    scores: list[StageScoreOut]


class WeakLinkRowOut(WeakLinkOut):
    area_code: str
    area_name: str
    stage: str
    stage_title: str
    year: int | None = Field(description="The year of the area's latest score of the stage, the actual side of the gap.")
    data_years: str = Field(description="The years of the data that score is made from (as the pathway's "
                                        "stages give them), e.g. '2016-2018'; the provenance's vintage says the same.")
    provenance: ScoreProvenance


class WeakLinksOut(Schema):
    level: str
    stage: str | None
    count: int
    n_weak: int
    message: str
    links: list[WeakLinkRowOut]


@router.get("/stages", response={200: list[StageDefOut], 400: ParameterErrorOut, 503: ErrorOut}, summary="The six pathway stages")
@atlas_errors
def stages(request: HttpRequest):
    """The commercialisation pathway's stages in order, each with its question, its catalogued
    indicators and the levels at which it is scored (with the reason where it is not)."""
    build = sel.build_live_get()
    by_stage: dict[str, list[str]] = {}
    for ind in sel.indicators_list():
        by_stage.setdefault(ind.stage, []).append(ind.id)
    out = []
    for st in STAGES:
        reasons = {lv: sel.stage_not_scored_reason(stage=st.id, level=lv) for lv in sel.PATHWAY_LEVELS}
        out.append({"id": st.id, "order": st.order, "title": st.title, "question": st.question,
                    "indicators": by_stage.get(st.id, []),
                    "scored_levels": [lv for lv, why in reasons.items() if not why],
                    "not_scored": {lv: why for lv, why in reasons.items() if why},
                    "method": sel.score_provenance(build=build)["method"]})
    return out


@router.get("/stages/{stage}/scores", response={200: StageScoresOut, 400: ParameterErrorOut, 404: ErrorOut, 503: ErrorOut},
            summary="One stage's scores for every area of a level")
@atlas_errors
def stage_scores(request: HttpRequest, stage: StageId, level: PathwayLevel = "itl3",
                 year: int | None = Query(None, ge=YEARS[0], le=YEARS[1])):
    """Scores (0-1) of one stage for every ITL3 area, Combined Authority or district (``level``): in
    ``year``, or each area's latest score. A year without scores gives ``scores: []`` and a message;
    areas without a score are listed in ``no_data`` (never as zero). An unknown stage is a 404; an
    unknown ``level`` or a ``year`` outside 1900-2100 is a 400 naming the parameter."""
    sel.stage_check(stage=stage)
    with query_param("level"):
        sel.level_check(level=level, allowed=sel.PATHWAY_LEVELS)
    data = sel.stage_level_scores(stage=stage, level=level, year=year)
    build = sel.build_live_get()
    rows = [{"area_code": a.code, "area_name": a.name, "year": s.year, "score": s.score, "trend": s.trend,
             "n_indicators": s.n_indicators, "n_stage_indicators": s.n_stage_indicators,
             "indicators": [i for i in s.indicators.split(",") if i], "data_years": _years(s),
             "provenance": sel.score_provenance(build=build, years=_years(s), indicators=s.indicators)}
            for a, s in data.rows]
    return {"stage": stage, "title": STAGE_TITLES[stage], "level": level, "year": year, "years": data.years,
            "count": len(rows), "message": data.message, "no_data": data.no_data, "scores": rows}


@router.get("/weak-links", response={200: WeakLinksOut, 400: ParameterErrorOut, 503: ErrorOut},
            summary="Weak links for every area of a level")
@atlas_errors
def weak_links(request: HttpRequest, level: PathwayLevel = "itl3", stage: StageOrAll = "", weak_only: bool = False):
    """Each area's gap between its actual and expected stage score with its 95% interval, for one
    stage or all stages after the research base; ``weak_only`` keeps the weak links (interval
    wholly below zero). An unknown ``level`` or ``stage`` is a 400 naming the parameter."""
    with query_param("level"):
        sel.level_check(level=level, allowed=sel.PATHWAY_LEVELS)
    if stage:
        with query_param("stage"):
            sel.stage_check(stage=stage)
    found = sel.weak_links_at(level=level, stage=stage or None)
    build = sel.build_live_get()
    latest = sel.latest_scores(level=level)  # the stage score each gap's actual side is: its data years
    rows = []
    for a, w in found:
        if w.is_weak or not weak_only:
            years = _years(latest.get((a.code, w.stage))) or str(w.year or "")
            rows.append({"area_code": a.code, "area_name": a.name, "stage": w.stage,
                         "stage_title": STAGE_TITLES[w.stage], "year": w.year, "data_years": years, **_link(w),
                         "provenance": sel.score_provenance(build=build, years=years)})
    message = ""
    if not rows:
        why = sel.stage_not_scored_reason(stage=stage, level=level) if stage else ""
        message = why or ("The research base is the first stage: it has no weak link." if stage == "research"
                          else "No weak links match at this level.")
    return {"level": level, "stage": stage or None, "count": len(rows), "n_weak": sum(r["is_weak"] for r in rows),
            "message": message, "links": rows}
