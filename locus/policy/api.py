"""Policy endpoints: search the case library (both layers), one case, and the cost model."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from locus.errors import PolicyError
from locus.geography.api import ParameterErrorOut, param_error, repeated_param_error
from locus.policy import costs, selectors
from locus.policy.costmodel import cost_model_get
from locus.policy.evidence import SOURCE_KIND_LABELS
from locus.policy.models import Layer, TagKind
from locus.policy.schema import BENCHMARK_STANDING, GEOGRAPHY_LEVEL_LABELS, STAGE_LABELS
from locus.policy.searching import SearchFilters, case_search, country_values
from locus.policy.selectors import taxonomy_labels

router = Router(tags=["policy"])
LIBRARY_PROVENANCE = {"local": "Locus policy case library, written by the Locus team from cited "
                               "sources (CC BY 4.0)",
                      "stip": "OECD/European Commission, STIP Compass 2021 (CC BY 4.0)"}


class ErrorOut(Schema):
    detail: str


class CaseSummary(Schema):
    slug: str
    title: str
    layer: str
    summary: str
    place: str
    country: str
    geography_level: str
    area_code: str | None
    years: list[int | None]
    sms_rating: int | None
    stages: list[str]
    score: float | None
    url: str


class SearchOut(Schema):
    total: int
    limit: int
    offset: int
    results: list[CaseSummary]
    suggestions: list[str]


class SourceOut(Schema):
    publisher: str
    title: str
    url: str
    date: dt.date | None
    checked: dt.date | None
    kind: str  # locus.policy.evidence.SOURCE_KIND_LABELS; empty for a proposal's source
    mirror_of: dict | None  # the original document when url is a copy held elsewhere


class TagOut(Schema):
    kind: str
    code: str
    label: str
    inferred: bool


class CaseDetail(CaseSummary):
    scale: str | None
    delivery_body: str | None
    what_was_done: str | None
    outcomes: list[dict]
    evaluation_method: str | None
    sms_justification: str | None
    budget: dict | None
    budget_range: str | None
    tags: list[TagOut]
    sources: list[SourceOut]
    field_sources: dict
    national_programmes: list[dict]
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    provenance: str


def _none(value: str) -> str | None:
    return value or None


def _summary(case, score: float | None = None) -> dict:
    return {"slug": case.slug, "title": case.title, "layer": case.layer, "summary": case.summary,
            "place": case.place, "country": case.country,
            "geography_level": case.geography_level, "area_code": case.area_id,
            "years": [case.year_start, case.year_end], "sms_rating": case.sms_rating,
            "stages": case.stages, "score": round(score, 4) if score is not None else None,
            "url": f"/policy/cases/{case.slug}/"}


# query parameters that take one value (the others are lists: give them once per value)
SINGLE_VALUED = ("q", "min_rating", "match", "limit", "offset")


def _natural(code: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", code))


def closed_lists() -> dict[str, list[str]]:
    """The values each list parameter accepts: instrument and theme are the loaded STIP codebook's
    codes."""
    codes = {TagKind.INSTRUMENT: [], TagKind.THEME: []}
    for kind, code in taxonomy_labels():
        if kind in codes:
            codes[kind].append(code)
    return {"stage": list(STAGE_LABELS), "level": list(GEOGRAPHY_LEVEL_LABELS),
            "layer": list(Layer.values),
            "instrument": sorted(codes[TagKind.INSTRUMENT], key=_natural),
            "theme": sorted(codes[TagKind.THEME], key=_natural), "country": list(country_values())}


def _query_problem(request: HttpRequest, values: dict[str, list[str]]) -> dict | None:
    """None or the 400 body (``param_error``): a single-valued parameter given twice, or a list
    parameter's value outside its closed list."""
    if error := repeated_param_error(request.GET, keys=SINGLE_VALUED):
        return error
    allowed = closed_lists() if any(values.values()) else {}
    for key, given in values.items():
        for value in given:
            if value not in allowed[key]:
                shown = (f"{value[:40]!r}" + ("…" if len(value) > 40 else "")) if value \
                    else "a blank value"
                known = ", ".join(allowed[key]) or "none (no STIP codebook is loaded)"
                return param_error(key, f"{shown} is not one of the values it takes: {known}.")
    return None


def _list_query(items: dict):
    """A list query parameter whose OpenAPI schema says what each value takes (blank is never one); the
    view checks the values itself and answers a 400 naming the parameter and listing them. Instrument,
    theme and country come from the loaded data, so their schema gives the form, not the list."""
    param = Query(None)  # ninja's Query sets json_schema_extra itself and takes none as an argument
    param.json_schema_extra = {"items": {"type": "string", **items}}
    return param


STAGE_QUERY = _list_query({"enum": list(STAGE_LABELS)})
LEVEL_QUERY = _list_query({"enum": list(GEOGRAPHY_LEVEL_LABELS)})
LAYER_QUERY = _list_query({"enum": list(Layer.values)})
INSTRUMENT_QUERY = _list_query({"pattern": "^PI[0-9]{3}$"})
THEME_QUERY = _list_query({"pattern": "^TH[0-9]+$"})
COUNTRY_QUERY = _list_query({"pattern": r"\S"})


@router.get("/policy/cases", response={200: SearchOut, 400: ParameterErrorOut}, summary="Search policy cases")
def cases_search(request: HttpRequest, q: str = "", stage: list[str] = STAGE_QUERY,
                 min_rating: int | None = Query(None, ge=1, le=5),
                 instrument: list[str] = INSTRUMENT_QUERY, theme: list[str] = THEME_QUERY,
                 country: list[str] = COUNTRY_QUERY, level: list[str] = LEVEL_QUERY,
                 layer: list[str] = LAYER_QUERY, match: str = Query("all", pattern="^(all|any)$"),
                 limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0, le=100_000)):
    """Ranked full-text search over published cases: the evidence-rated case library and the
    OECD STIP Compass 2021 layer. Filter by pathway stage (research, knowledge_exchange,
    ip_spinouts, formation, business_rd_finance, productivity), minimum Maryland SMS rating
    (1-5), STIP instrument (PI0##) and theme (TH##) codes, country (the UK nations and the
    countries the library holds, like United Kingdom or Japan), geography level and layer
    (local, stip). With no words, the best-rated local cases come first. List parameters may
    be given more than once (values of one parameter are alternatives; parameters combine).
    ``offset`` skips that many results (any number from 0, not only a multiple of ``limit``).

    Errors: 400 when a query parameter's value is not valid (a stage, level, layer, instrument,
    theme or country outside its list, blank included, lists the values it takes), or when q, min_rating,
    match, limit or offset is given twice; the `detail` starts with the parameter's name and `errors`
    names it in `field`."""
    problem = _query_problem(request, {"stage": stage or [], "level": level or [],
                                       "layer": layer or [], "instrument": instrument or [],
                                       "theme": theme or [], "country": country or []})
    if problem:
        return Status(400, problem)
    filters = SearchFilters(stage=stage or [], min_rating=min_rating, instrument=instrument or [],
                            theme=theme or [], country=country or [], level=level or [],
                            layer=layer or [])
    result = case_search(text=q, filters=filters, offset=offset, per_page=limit, match=match,
                         facets=False)
    return {"total": result.total, "limit": limit, "offset": offset,
            "results": [_summary(c, result.scores.get(c.pk)) for c in result.cases],
            "suggestions": [s.text for s in result.suggestions if s.query]}


@router.get("/policy/cases/{slug}", response={200: CaseDetail, 400: ParameterErrorOut, 404: ErrorOut}, summary="One case")
def case_detail(request: HttpRequest, slug: str):
    """A published case with its facets, sources (publisher, title, URL, dates) and links."""
    try:
        case = selectors.case_get(slug=slug)
    except PolicyError as exc:
        return Status(404, {"detail": str(exc)})
    outgoing, _ = selectors.case_links(case=case)
    tags = [{"kind": t.kind, "code": t.code, "label": t.label, "inferred": t.inferred}
            for items in selectors.case_tags(case=case).values() for t in items]
    return {
        **_summary(case), "scale": _none(case.scale), "delivery_body": _none(case.delivery_body),
        "what_was_done": _none(case.what_was_done), "outcomes": case.outcomes,
        "evaluation_method": _none(case.evaluation_method),
        "sms_justification": _none(case.sms_justification), "budget": case.budget,
        "budget_range": _none(case.budget_range), "tags": tags,
        "sources": [{"publisher": s.publisher, "title": s.title, "url": s.url, "date": s.date,
                     "checked": s.checked, "kind": s.kind, "mirror_of": s.mirror_of}
                    for s in case.sources.all()],
        "field_sources": case.field_sources,
        "national_programmes": [{"slug": link.to_case.slug, "title": link.to_case.title,
                                 "relation": link.relation} for link in outgoing],
        "reviewed_by": _none(case.reviewed_by_name), "reviewed_at": case.reviewed_at,
        "provenance": LIBRARY_PROVENANCE[case.layer]}


class MeasureOut(Schema):
    measure: int
    title: str
    amount: float


class ItemOut(Schema):
    measure: int
    label: str
    amount: float
    working: str


class AssumptionSourceOut(Schema):
    publisher: str
    title: str
    url: str
    section: str | None  # where in the source the figure is (page, section or paragraph)


class AssumptionOut(Schema):
    key: str
    measure: int
    label: str
    value: float
    unit: str
    low: float
    high: float
    basis: str  # source, derived (from sources) or assumption (Locus's judgement; change it)
    reason: str | None
    sources: list[AssumptionSourceOut]


class CostSourceOut(Schema):
    role: str  # what the source gives the model: "assumptions" (the model file) or "brief_range"
    title: str
    publisher: str
    author: str | None
    vintage: str  # the year published, or when the figures were checked
    licence: str | None  # None when Locus has no record of it (it quotes the source, not redistributes it)
    url: str | None  # None when Locus holds no address for it
    path: str | None  # the file in the Locus repository, for the model's own data
    section: str | None  # where in the source the figure is


class BenchmarkOriginalOut(Schema):
    publisher: str
    title: str
    date: dt.date | None = Field(description="The original's publication date; null when the copy "
                                             "does not show it.")


class BenchmarkSourceOut(Schema):
    publisher: str
    title: str
    url: str
    date: dt.date | None = Field(description="Publication date as the source shows it; null when it "
                                             "shows none.")
    checked: dt.date = Field(description="When Locus last checked the figure at this address.")
    kind: str | None = Field(description="What sort of document it is: " + "; ".join(
        f"{k}: {v}" for k, v in SOURCE_KIND_LABELS.items()) + ".")
    section: str = Field(description="Where in the source the figure is (section, paragraph or "
                                     "page), quoting its words.")
    mirror_of: BenchmarkOriginalOut | None = Field(
        description="The original document when `url` is a copy held on another site; null "
                    "otherwise.")


class BenchmarkOut(Schema):
    key: str
    measure: int = Field(description="Which of the brief's four measures it compares with (1-4).")
    label: str
    value: float
    unit: str
    low: float
    high: float
    basis: Literal["source", "derived"] = Field(
        description="source: the figure as the source states it; derived: arithmetic on sourced "
                    "figures, shown in `reason`.")
    reason: str | None
    standing: Literal["primary", "secondary"] = Field(
        description="What the figure rests on. " + "; ".join(
            f"{k}: {v}" for k, v in BENCHMARK_STANDING.items()) + ".")
    caution: str | None = Field(
        description="Plain words to show beside the figure: what it rests on and why to treat it "
                    "carefully. Always present for a secondary benchmark (quote it as indicative, "
                    "not as an official figure); a primary one may have one too.")
    sources: list[BenchmarkSourceOut]


class CaveatOut(Schema):
    sentence: str = Field(description="The caveat in one plain sentence, to show with the verdict "
                                      "wherever the verdict is quoted.")
    assumed_inputs: list[str] = Field(description="Keys of the inputs that are Locus assumptions "
                                                  "(basis 'assumption'), not figures from a source.")
    uncited_inputs: list[str] = Field(description="Of those, the ones that cite no source at all, "
                                                  "not even for context.")
    assumed_amount: float = Field(description="GBP a year: the part of the total in items worked "
                                              "out from at least one assumed input.")
    assumed_share: float = Field(description="assumed_amount / total, from 0 to 1.")


class CostModelOut(Schema):
    currency: str
    total: float
    brief_range: list[float]
    verdict: str
    within_brief_range: bool
    caveat: CaveatOut = Field(description="How far the total and its verdict rest on Locus's own "
                                          "assumptions: quote it with the verdict.")
    total_bounds: list[float]  # [lowest, highest]: every assumption at the end of its range that lowers or raises the total
    by_measure: list[MeasureOut]
    items: list[ItemOut]
    assumptions: list[AssumptionOut]
    source: str  # one line citing both sources (kept for clients that read it); source_details has the parts
    source_details: list[CostSourceOut]
    benchmarks: list[BenchmarkOut] = Field(
        description="What comparable programmes cost, for comparison only: the model never uses "
                    "these figures. Each cites its sources and says whether it rests on a primary "
                    "or a secondary source.")


def cost_sources(model) -> list[dict]:
    """The model's two sources, each cited in parts: its own data file (every assumption's value,
    range and basis) and the brief whose £10-15m a year the total is set against."""
    return [
        {"role": "assumptions", "title": "Locus cost model: default assumptions and sourced benchmarks",
         "publisher": "Locus team", "author": None, "vintage": COST_MODEL_CHECKED, "licence": "CC BY 4.0",
         "url": None, "path": model.path, "section": None},
        {"role": "brief_range", "title": costs.BRIEF_TITLE, "publisher": costs.BRIEF_PUBLISHER,
         "author": costs.BRIEF_AUTHOR, "vintage": costs.BRIEF_YEAR, "licence": None, "url": None,
         "path": None, "section": costs.BRIEF_SECTION},
    ]


def _benchmark(b) -> dict:
    return {"key": b.key, "measure": b.measure, "label": b.label, "value": b.value, "unit": b.unit,
            "low": b.low, "high": b.high, "basis": b.basis, "reason": b.reason,
            "standing": b.standing, "caution": b.caution,
            "sources": [{"publisher": s.publisher, "title": s.title, "url": s.url, "date": s.date,
                         "checked": s.checked, "kind": s.kind, "section": s.section,
                         "mirror_of": None if s.mirror_of is None else {
                             "publisher": s.mirror_of.publisher, "title": s.mirror_of.title,
                             "date": s.mirror_of.date}}
                        for s in b.sources]}


# what data/policy/cost_model.yaml's `about` says of when its facts were checked
COST_MODEL_CHECKED = "facts checked 2026-11-27; sections and the basis of the firms a year checked 2026-11-29"


@router.get("/policy/cost-model", response=CostModelOut, summary="The cost model, default scenario")
def cost_model(request: HttpRequest):
    """Annual public cost (GBP) of the brief's four measures under the default, documented
    assumptions, with the breakdown and whether the total is within the brief's £10-15m a year.
    ``caveat`` says how far that verdict rests on Locus's own assumptions (quote it with the verdict).
    ``source`` cites the model's data and the brief in one line; ``source_details`` gives each
    source's title, publisher, vintage, licence and address (null where Locus holds none) to cite.
    ``benchmarks`` lists what comparable programmes cost (never used by the model), each with its
    standing (primary or secondary source), caution and sources (publisher, title, address,
    publication date, date checked and where in the source the figure is)."""
    model = cost_model_get()
    result = model.default_breakdown()
    verdict = costs.verdict(result.total)
    reliance = costs.reliance(model.assumptions, result)
    return {
        "currency": "GBP", "total": round(result.total, 2), "brief_range": list(costs.BRIEF_RANGE),
        "verdict": verdict, "within_brief_range": verdict == "within",
        "caveat": {"sentence": reliance.sentence(), "assumed_inputs": reliance.assumed,
                   "uncited_inputs": reliance.uncited,
                   "assumed_amount": round(reliance.assumed_amount, 2),
                   "assumed_share": round(reliance.assumed_share, 4)},
        "total_bounds": [round(x, 2) for x in costs.bounds(model.assumptions)],
        "by_measure": [{"measure": m, "title": costs.MEASURES[m], "amount": round(v, 2)}
                       for m, v in result.by_measure.items()],
        "items": [{"measure": i.measure, "label": i.label, "amount": round(i.amount, 2),
                   "working": i.working} for i in result.items],
        "assumptions": [{"key": a.key, "measure": a.measure, "label": a.label, "value": a.value,
                         "unit": a.unit, "low": a.low, "high": a.high, "basis": a.basis,
                         "reason": a.reason,
                         "sources": [{"publisher": s.publisher, "title": s.title, "url": s.url,
                                      "section": s.section} for s in a.sources]}
                        for a in model.assumptions.values()],
        "source": "data/policy/cost_model.yaml (Locus team, facts checked 2026-11-27, CC BY 4.0); "
                  f"range from {costs.BRIEF_SOURCE}, {costs.BRIEF_SECTION}",
        "source_details": cost_sources(model),
        "benchmarks": [_benchmark(b) for b in model.benchmarks]}
