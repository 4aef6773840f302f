"""Reads of the live atlas: plain functions shared by pages, API, CLI and evidence packs."""

from __future__ import annotations

import functools
import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q

from locus.atlas import models as m
from locus.atlas.errors import AtlasNotFoundError, NoAtlasError
from locus.atlas.text import (
    LEVEL_ARTICLE,
    LEVEL_PLURAL,
    LEVEL_SINGULAR,
    MAP_LEVELS,
    METHOD_WORDS,
    SCORED_LEVELS,
    STAGE_TITLES,
)
from locus.pathways.stages import STAGE_IDS
from locus.web.format import in_sentence

AREA_LEVEL_ORDER = ("ca", "itl3", "lad", "itl2", "itl1", "nation", "uk")
METHOD_URL = "/atlas/methodology/"
_CACHE: dict[tuple, object] = {}


def build_live_get() -> m.AtlasBuild:
    build = m.AtlasBuild.objects.filter(is_live=True).first()
    if build is None:
        raise NoAtlasError("No atlas has been loaded yet: run `locus load` (or `locus build` then "
                           "`locus atlas load`).")
    return build


def cached(name: str, *args, compute: Callable[[], object]):
    """Memoise a read for the live build (each process; a new load changes the key). The key holds
    the load's time as well as its id: SQLite hands a rolled-back load's id to the next load."""
    live = m.AtlasBuild.objects.filter(is_live=True).values_list("id", "loaded_at").first()
    key = (live, name, *args)
    if key not in _CACHE:
        if len(_CACHE) > 500:
            _CACHE.clear()
        _CACHE[key] = compute()
    return _CACHE[key]


def cache_clear() -> None:
    _CACHE.clear()


# --- indicators, levels and areas ---------------------------------------------------------------

def indicators_list() -> list[m.Indicator]:
    build_live_get()
    return list(m.Indicator.objects.all())


def indicator_get(*, indicator_id: str) -> m.Indicator:
    build_live_get()
    try:
        return m.Indicator.objects.get(id=indicator_id)
    except m.Indicator.DoesNotExist:
        raise AtlasNotFoundError(f"Unknown indicator {indicator_id!r}: see /api/v1/indicators for the "
                                 "list.") from None


# Every level the build publishes values for (the map and the scores use MAP_LEVELS).
VALUE_LEVELS = ("itl3", "itl2", "itl1", "ca", "lad", "nation", "uk")


def levels_with_data() -> dict[str, list[str]]:
    """{indicator id: the levels (in VALUE_LEVELS order) with at least one value in the build}."""
    def compute() -> dict[str, list[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for ind, level in (m.IndicatorValue.objects.filter(value__isnull=False)
                           .values_list("indicator_id", "level").distinct()):
            found[ind].add(level)
        return {ind: [lv for lv in VALUE_LEVELS if lv in levels] for ind, levels in found.items()}
    return dict(cached("levels_with_data", compute=compute))


def level_check(*, level: str, allowed: tuple[str, ...] = MAP_LEVELS) -> str:
    if level not in allowed:
        raise AtlasNotFoundError(f"Unknown or unsupported level {level!r}: use one of {', '.join(allowed)}.")
    return level


def stage_check(*, stage: str) -> str:
    if stage not in STAGE_IDS:
        raise AtlasNotFoundError(f"Unknown pathway stage {stage!r}: use one of {', '.join(STAGE_IDS)}.")
    return stage


def area_get(*, code: str, level: str | None = None) -> m.AtlasArea:
    """The atlas area with this code (a code at several levels resolves to the first of
    ``AREA_LEVEL_ORDER`` unless ``level`` is given)."""
    build_live_get()
    code = (code or "").strip().upper()
    found = list(m.AtlasArea.objects.filter(code=code, **({"level": level} if level else {})))
    if not found:
        other = m.AtlasArea.objects.filter(code=code).first() if code and level else None
        if other is not None:
            raise AtlasNotFoundError(f"{other.name} ({code}) is {LEVEL_ARTICLE.get(other.level, 'a')} "
                                     f"{LEVEL_SINGULAR.get(other.level, other.level)}, not "
                                     f"{LEVEL_ARTICLE.get(level, 'a')} {LEVEL_SINGULAR.get(level, level)}.")
        if not code:
            raise AtlasNotFoundError("Give an area code, such as E47000001 or TLD33.")
        raise AtlasNotFoundError(f"No area in the atlas has the code {code!r}.")
    return min(found, key=lambda a: AREA_LEVEL_ORDER.index(a.level) if a.level in AREA_LEVEL_ORDER else 99)


def areas_at(*, level: str) -> list[m.AtlasArea]:
    return list(m.AtlasArea.objects.filter(level=level).order_by("name"))


def area_names(*, level: str | None = None) -> dict[str, str]:
    def compute():
        rows = m.AtlasArea.objects.all() if level is None else m.AtlasArea.objects.filter(level=level)
        return dict(rows.values_list("code", "name"))
    return cached("names", level, compute=compute)


def area_choices(*, levels: tuple[str, ...] = ("ca", "itl3", "lad")) -> list[tuple[str, str]]:
    """(code, "name (level)") for forms, CAs first."""
    rows = m.AtlasArea.objects.filter(level__in=levels).values_list("code", "name", "level")
    order = {lv: i for i, lv in enumerate(levels)}
    return [(c, f"{n} ({lv.upper() if lv != 'ca' else 'CA'})")
            for c, n, lv in sorted(rows, key=lambda r: (order[r[2]], r[1]))]


# --- provenance ---------------------------------------------------------------------------------

def indicator_provenance(indicator: m.Indicator) -> dict:
    """An indicator's provenance. An indicator made from several inputs (HE research income per head:
    HESA's income over ONS's population) has each input's vintage and licence beside that input's
    title (``sources``, ``titles``, ``cited``, and ``vintage`` labelled by title), never a bare list
    of year ranges ("2015-2018; 1998-2022") that does not say which is which."""
    sources = input_sources(ids=indicator.source)
    caveats = indicator_caveats(indicator_id=indicator.id)
    return {"source": indicator.source, "titles": source_titles(ids=indicator.source),
            "sources": sources, "cited": source_citation(sources),
            "publisher": indicator.publisher, "vintage": indicator.vintage,
            "licence": indicator.licence, "method": f"{METHOD_URL}#3-indicators", **caveats}


def indicator_caveats(*, indicator_id: str) -> dict:
    """What a reader must know beside an indicator's values, from the indicator catalogue
    (``locus.pipeline.catalogue``): ``uncertainty`` (a survey estimate's sampling error, or that the
    bundled data carry none: the APS indicators; or that the publisher gives none for these areas: BRES, BERD,
    regional GVA and productivity), ``caution`` (the first sentence of each such text, to show beside
    values) and ``year_notes`` ({year: note}: Horizon 2020's and Innovate UK's low first years, and
    their partial 2020, whose note says it is shown but not used in the scores). Empty for an
    indicator the catalogue does not know (a build from other code)."""
    from locus.pipeline.catalogue import indicator_get

    try:
        ind = indicator_get(indicator_id=indicator_id)
    except KeyError:
        return {"uncertainty": "", "caution": "", "year_notes": {}}
    return {"uncertainty": ind.uncertainty, "caution": ind.caution, "year_notes": dict(ind.year_notes)}


def value_year_note(*, indicator_id: str, year: int | None, source_defect: bool) -> str:
    """The note on one value of an indicator, the one rule for every page, download and API answer:
    the year's note (a part year such as Innovate UK's 2020, a programme's first year) always, and the
    text on a source's declared defect (Birmingham's 2018 HESA rows) only when this value was built from
    it (``source_defect``: an area containing Birmingham, the West Midlands, England, the UK). "" for none
    or an indicator the catalogue does not know (a build from other code)."""
    return _value_year_note(indicator_id, year, source_defect)


@functools.lru_cache(maxsize=4096)
def _value_year_note(indicator_id: str, year: int | None, source_defect: bool) -> str:
    """``value_year_note``, kept: the catalogue is code, the same for every build."""
    from locus.pipeline.catalogue import indicator_get

    try:
        ind = indicator_get(indicator_id=indicator_id)
    except KeyError:
        return ""
    return ind.area_year_note(year, source_defect=source_defect)


def values_provenance(prov: dict, *, indicator_id: str, defect_years: set[int] | frozenset[int]) -> dict:
    """An indicator's provenance for the values of one place (or one row): each year's note by
    ``value_year_note``, the defect text only in ``defect_years`` (the years its value was built from a
    defective row); a year left with no note is dropped."""
    notes = prov.get("year_notes") or {}
    if not notes:
        return prov
    kept = {y: value_year_note(indicator_id=indicator_id, year=y, source_defect=y in defect_years) for y in notes}
    return {**prov, "year_notes": {y: n for y, n in kept.items() if n}}


def part_years(*, indicator_id: str) -> frozenset[int]:
    """Years an indicator's inputs cover only in part (Innovate UK's and Horizon 2020's 2020): published,
    labelled "part year", never scored and never a default or headline year."""
    from locus.pipeline.catalogue import indicator_get

    try:
        return frozenset(indicator_get(indicator_id=indicator_id).partial_years)
    except KeyError:
        return frozenset()


def defect_keys(*, codes: Sequence[str], level: str | None = None) -> set[tuple[str, str, int]]:
    """(area code, indicator id, year) of the values of these areas built from a source's declared defect."""
    qs = m.IndicatorValue.objects.filter(area_code__in=list(codes), source_defect=True)
    if level:
        qs = qs.filter(level=level)
    return set(qs.values_list("area_code", "indicator_id", "year"))


def unscored_years(*, indicator_id: str, level: str) -> frozenset[int]:
    """Years of an indicator at a level that no score uses: its part years, and years in which every
    value of the level is a part year's or built from a source's declared defect."""
    def compute():
        rows = (m.IndicatorValue.objects.filter(indicator_id=indicator_id, level=level, value__isnull=False)
                .values("year").annotate(n=Count("id"), bad=Count("id", filter=Q(partial_year=True) | Q(source_defect=True))))
        return part_years(indicator_id=indicator_id) | {r["year"] for r in rows if r["n"] and r["bad"] == r["n"]}
    return cached("unscored_years", indicator_id, level, compute=compute)


def source_caution(*, source_id: str) -> str:
    """The caution to show beside figures read straight from one input (the profile's BRES location
    quotients): the first sentence of its uncertainty in the catalogue; "" for an unknown id or none."""
    from locus.pipeline.sources import caution_of, source_get

    try:
        return caution_of(source_get(source_id=source_id).uncertainty)
    except KeyError:
        return ""


def input_sources(*, ids: str) -> list[dict]:
    """Each of comma-separated input ids with its title, publisher, vintage and licence, from the live
    build's manifest (an id not in the manifest keeps the id as its title and empty fields)."""
    inputs = cached("inputs_by_id", compute=lambda: {
        i.get("id"): i for i in build_live_get().manifest.get("inputs", []) if i.get("id")})
    out = []
    for sid in dict.fromkeys(s.strip() for s in ids.split(",") if s.strip()):
        i = inputs.get(sid, {})
        out.append({"id": sid, "title": i.get("title") or sid, "publisher": i.get("publisher", ""),
                    "vintage": i.get("vintage", ""), "licence": i.get("licence", "")})
    return out


def source_titles(*, ids: str) -> str:
    """The titles of comma-separated input ids ("beis_research_income, ons_regional_gva"), from the
    live build's manifest, for readers who do not know the ids (an unknown id stays as it is), each
    with its vintage beside it: "HE research income (2015-2018); Regional GVA(B) ... (1998-2022)"."""
    return "; ".join(f"{s['title']} ({s['vintage']})" if s["vintage"] else s["title"] for s in input_sources(ids=ids))


def source_citation(sources: list[dict]) -> str:
    """One sentence per input: its title, publisher, vintage and licence together, so that none of
    them can be read against another input's ("HE research income (HESA ... via Nesta), 2015-2018,
    licence CC BY 4.0 (HESA); ... . Regional GVA(B) ... (ONS), 1998-2022, licence Open Government
    Licence v3.0.")."""
    parts = []
    for s in sources:
        text = s["title"] + (f" ({s['publisher']})" if s["publisher"] else "")
        text += (f", {s['vintage']}" if s["vintage"] else "") + (f", licence {s['licence']}" if s["licence"] else "")
        parts.append(text.rstrip(".") + ".")
    return " ".join(parts)


def score_licences(inputs: list[dict]) -> list[str]:
    """Each input's whole licence sentence once, in the manifest's order of inputs (the build's source
    order, so stable): "CC BY 4.0 (HESA); processed by Nesta, repository MIT (Nesta 2021)" stays one
    entry. Splitting them at "; " and sorting the parts set "compiled by Locus" or "repository copy
    MIT" apart from the licence they qualify, as if they were licences themselves."""
    return list(dict.fromkeys(text.strip().rstrip(".") for i in inputs if (text := (i.get("licence") or "").strip())))


def score_provenance(*, build: m.AtlasBuild | None = None, years: str = "",
                     indicators: Sequence[str] | str | None = None) -> dict:
    """Provenance of a derived figure (stage score, gap, opportunity): the build and its inputs.
    ``licences`` lists each input's licence once (a list for pages); ``licence`` gives them as
    sentences, one each, for downloads and the API. With ``indicators`` (a stage score's, as a list or
    its comma-separated text), only the inputs those indicators are made from: a district's formation
    score rests on ONS data alone, so it does not list HESA's or REF's licences. A gap or an
    opportunity draws on the upstream stages and the neighbours' variables too, so it keeps the build's."""
    from locus.pipeline.catalogue import indicator_get

    build = build or build_live_get()
    inputs = build.manifest.get("inputs", [])
    if isinstance(indicators, str):
        indicators = [i for i in indicators.split(",") if i]
    if indicators:
        used: set[str] = set()
        for iid in indicators:
            try:
                used.update(indicator_get(indicator_id=iid).sources)
            except KeyError:  # a build from other code: keep every input rather than drop one
                used = {i.get("id") for i in inputs}
                break
        inputs = [i for i in inputs if i.get("id") in used]
        made_from = "; ".join(f"{i.get('title')} ({i.get('publisher')})" for i in inputs)
        publishers = "; ".join(dict.fromkeys(i.get("publisher", "") for i in inputs))
    else:
        made_from = f"{len(inputs)} published input files (see the manifest)"
        publishers = "ONS, HESA, UKRI, Innovate UK, Eurostat, CORDIS, REF and Nesta data"
    licences = score_licences(inputs)
    return {"source": f"Locus atlas build {build.checksum[:12]} ({build.built_at}), from {made_from}",
            "publisher": f"Locus, from {publishers}",
            "vintage": years or "data years as listed with each score",
            "licences": licences,
            "licence": " ".join(f"{text}." for text in licences) or "see the manifest",
            "method": f"{METHOD_URL}#4-pathway-model-and-normalisation"}


# --- indicator values ----------------------------------------------------------------------------

def indicator_years(*, indicator_id: str, level: str) -> dict[int, int]:
    """Years with data for an indicator at a level, with the number of areas having a value."""
    def compute():
        rows = (m.IndicatorValue.objects.filter(indicator_id=indicator_id, level=level, value__isnull=False)
                .values("year").annotate(n=Count("id")).order_by("year"))
        return {r["year"]: r["n"] for r in rows}
    return cached("years", indicator_id, level, compute=compute)


def default_year(years: dict[int, int], *, skip: Sequence[int] | frozenset[int] = ()) -> int | None:
    """The latest year in which at least half as many areas have data as in the best year, leaving out
    ``skip`` (the years no score uses: part years, defect-only years) unless every year is one."""
    years = {y: n for y, n in years.items() if y not in skip} or years
    if not years:
        return None
    best = max(years.values())
    return max(y for y, n in years.items() if n * 2 >= best)


@dataclass(frozen=True)
class ValueRow:
    area: m.AtlasArea
    value: float | None
    numerator: float | None
    denominator: float | None
    method: str
    coverage: float | None
    scored: bool = True  # False: a partial year's value or one built from a source's known defect
    denominator_year: int | None = None  # the year of the denominator used; None without a denominator
    source_defect: bool = False  # built from a row its source declares wrong (Birmingham's 2018 HESA rows)
    note: str = ""  # the note on this value (``value_year_note``)


@dataclass(frozen=True)
class IndicatorValues:
    indicator: m.Indicator
    level: str
    year: int | None
    years: list[int]
    rows: list[ValueRow]
    message: str = ""
    provenance: dict = field(default_factory=dict)
    default_year_note: str = ""  # why the default year is not the last with data (``default_year_reason``)


def indicator_values_get(*, indicator_id: str, level: str, year: int | None = None) -> IndicatorValues:
    """Every area of a level for one year (default: the latest well-covered year); areas without a
    value are listed with ``value=None``; a year without any data gives no rows and a message."""
    indicator = indicator_get(indicator_id=indicator_id)
    level_check(level=level, allowed=VALUE_LEVELS)
    years = indicator_years(indicator_id=indicator_id, level=level)
    chosen = default_year(years, skip=unscored_years(indicator_id=indicator_id, level=level)) if year is None else year
    prov = indicator_provenance(indicator)
    if chosen is None or chosen not in years:
        elsewhere = [LEVEL_PLURAL.get(lv, lv) for lv in levels_with_data().get(indicator_id, [])]
        span = (f"years with data: {min(years)}-{max(years)}" if years else
                f"no year has data at this level; it has values for {', '.join(elsewhere)}" if elsewhere else
                "this atlas build has no value of it at any level")
        msg = (f"No data for {indicator.title} for {LEVEL_PLURAL[level]}"
               f"{'' if chosen is None else f' in {chosen}'} ({span}).")
        return IndicatorValues(indicator, level, chosen, sorted(years), [], msg, prov)
    values = {v.area_code: v for v in m.IndicatorValue.objects.filter(indicator_id=indicator_id, level=level,
                                                                      year=chosen)}
    notes = {d: value_year_note(indicator_id=indicator_id, year=chosen, source_defect=d) for d in (False, True)}
    rows = []
    for area in areas_at(level=level):
        v = values.get(area.code)
        rows.append(ValueRow(area, v.value if v else None, v.numerator if v else None,
                             v.denominator if v else None, v.method if v else "", v.coverage if v else None,
                             not (v.partial_year or v.source_defect) if v else True,
                             v.denominator_year if v and v.denominator is not None else None,
                             bool(v and v.source_defect),
                             notes[bool(v.source_defect)] if v else ""))
    reason = default_year_reason(indicator_id=indicator_id, level=level, years=years, chosen=chosen) \
        if year is None else ""
    return IndicatorValues(indicator, level, chosen, sorted(years), rows, "", prov, reason)


def default_year_reason(*, indicator_id: str, level: str, years: dict[int, int], chosen: int) -> str:
    """Why the default year is not the last year with data, "" when it is: each later year is a part year,
    built wholly from a figure its source has wrong (every value of the level), or thinly covered."""
    later = sorted(y for y in years if y > chosen)
    if not later:
        return ""
    part, unscored = part_years(indicator_id=indicator_id), unscored_years(indicator_id=indicator_id, level=level)
    best = max(years.values())

    def why(y: int) -> str:
        if y in part:
            return f"{y} is a part year (its inputs cover only part of it)"
        if y in unscored:
            return f"{y}'s values at this level are built from a figure their source is known to have wrong"
        return f"{y} has values for {years[y]} areas, under half of the best year's {best}"
    return (f"{chosen} is shown, the latest year whose values are all usable: {'; '.join(why(y) for y in later)}. "
            f"Ask for year={later[-1]} to see {'it' if len(later) == 1 else 'the latest'}; each value's note says why.")


def indicator_series(*, code: str, level: str) -> dict[str, list[tuple[int, float, str]]]:
    """(year, value, method) per indicator for one area, in year order."""
    out: dict[str, list] = defaultdict(list)
    for ind, year, value, method in (m.IndicatorValue.objects.filter(area_code=code, level=level,
                                                                      value__isnull=False)
                                     .order_by("indicator_id", "year")
                                     .values_list("indicator_id", "year", "value", "method")):
        out[ind].append((year, value, method))
    return dict(out)


# --- pathway: stage scores, neighbours, weak links, opportunities ---------------------------------

def latest_scores(*, level: str) -> dict[tuple[str, str], m.StageScore]:
    def compute():
        return {(s.area_code, s.stage): s for s in m.StageScore.objects.filter(level=level, is_latest=True)}
    return cached("latest_scores", level, compute=compute)


def score_data_years(score: m.StageScore | None) -> str:
    """The years of the data a stage score is made from, "2016-2018" or "2019"; "" without a score. The
    vintage of the score and of a weak link measured on it (API and downloads alike)."""
    if score is None:
        return ""
    lo, hi = score.data_year_min, score.data_year_max
    return f"{lo}-{hi}" if lo != hi else str(lo)


def stage_medians(*, level: str) -> dict[str, float]:
    """Median of the latest stage scores of all areas of a level ("national median")."""
    def compute():
        by_stage = defaultdict(list)
        for (_code, stage), s in latest_scores(level=level).items():
            by_stage[stage].append(s.score)
        return {stage: statistics.median(v) for stage, v in by_stage.items() if v}
    return cached("medians", level, compute=compute)


def area_scores(*, code: str, level: str) -> dict[str, m.StageScore]:
    scores = latest_scores(level=level)
    return {stage: scores[(code, stage)] for stage in STAGE_IDS if (code, stage) in scores}


def neighbours_of(*, code: str, level: str) -> list[m.Neighbour]:
    return list(m.Neighbour.objects.filter(area_code=code, level=level).order_by("rank"))


def weak_links_of(*, code: str, level: str) -> dict[str, m.WeakLink]:
    return {w.stage: w for w in m.WeakLink.objects.filter(area_code=code, level=level)}


def opportunities_list(*, ca: str | None = None, limit: int | None = None) -> list[m.Opportunity]:
    """Ranked opportunities: national (ITL3 areas) or one Combined Authority's ranking."""
    build_live_get()
    if ca:
        area_get(code=ca, level="ca")
    rows = m.Opportunity.objects.filter(scope=ca.strip().upper() if ca else "national").order_by("rank")
    return list(rows[:limit] if limit else rows)


def itl3_inside(area: m.AtlasArea):
    """The ITL3 areas within an ITL2 or ITL1 region, a nation or the UK (none for other levels)."""
    column = {"itl2": "parent_code", "itl1": "itl1_code", "nation": "nation_code", "uk": None}
    if area.level not in column:
        return m.AtlasArea.objects.none()
    inside = m.AtlasArea.objects.filter(level="itl3")
    return inside.filter(**{column[area.level]: area.code}) if column[area.level] else inside


def opportunities_near(*, area: m.AtlasArea) -> list[m.Opportunity]:
    """Opportunities in the area (its own, or its CA's ranking), else in its CA or ITL3."""
    if area.level == "ca":
        return list(m.Opportunity.objects.filter(scope=area.code).order_by("rank"))
    if area.level in ("itl2", "itl1", "nation", "uk"):  # not scored: the ITL3 areas inside it
        inside = itl3_inside(area)
        return list(m.Opportunity.objects.filter(scope="national", area_code__in=inside.values("code"))
                    .order_by("rank"))
    codes = {area.code}
    if area.level == "lad" and area.parent_code:
        codes.add(area.parent_code)
    scope = area.ca_code or ""
    rows = m.Opportunity.objects.filter(area_code__in=codes).exclude(scope="national_ca")
    own = {(o.area_code, o.stage): o for o in rows.filter(scope="national")}
    if scope:
        own.update({(o.area_code, o.stage): o for o in m.Opportunity.objects.filter(scope=scope)})
    return sorted(own.values(), key=lambda o: (o.area_code not in codes, -o.priority))


def stage_score_years(*, level: str, stage: str) -> list[int]:
    return sorted(set(m.StageScore.objects.filter(level=level, stage=stage).values_list("year", flat=True)))


def latest_stage_year(*, level: str) -> int | None:
    return m.StageScore.objects.filter(level=level).aggregate(y=Max("year"))["y"]


def scored(level: str) -> bool:
    return level in SCORED_LEVELS


def method_words(method: str) -> str:
    return METHOD_WORDS.get(method, method or "")


def stage_title(stage: str) -> str:
    return STAGE_TITLES.get(stage, stage)


# --- stage-score and weak-link maps, district rules (API, CLI) -------------------------------------

PATHWAY_LEVELS = ("itl3", "ca", "lad")  # levels the build scores (LAD: native indicators only)


@dataclass(frozen=True)
class StageLevelScores:
    """One stage's scores for every area of a level in one year (or each area's latest)."""

    stage: str
    level: str
    year: int | None
    years: list[int]
    rows: list[tuple[m.AtlasArea, m.StageScore]]
    no_data: list[str]
    message: str


def lad_stage_rule(*, build: m.AtlasBuild | None = None) -> dict[str, dict]:
    """Per stage, the build's district rule: native indicators, stage size and whether it is scored."""
    build = build or build_live_get()
    return (build.manifest.get("parameters", {}).get("lad_rule", {}) or {}).get("stages", {})


def score_use_of(*, indicator_id: str, build: m.AtlasBuild | None = None) -> dict[str, dict]:
    """Whether an indicator entered the stage scores at each level of the build, and why."""
    build = build or build_live_get()
    return (build.manifest.get("score_use") or {}).get(indicator_id, {})


def stage_not_scored_reason(*, stage: str, level: str) -> str:
    """Why a stage has no scores at a level ('' when it has)."""
    if level == "lad":
        rule = lad_stage_rule().get(stage)
        if rule is not None and not rule.get("scored"):
            native = len(rule.get("native", []))
            return (f"{stage_title(stage)} is not scored for local authority districts: {native} of its "
                    f"{rule.get('of', 0)} indicators are measured for districts, and the district rule "
                    "requires at least half (methodology, section 4).")
    return ""


def stage_level_scores(*, stage: str, level: str, year: int | None = None) -> StageLevelScores:
    """Scores of one stage for every area of a level: in ``year``, or each area's latest score."""
    build_live_get()
    stage_check(stage=stage)
    level_check(level=level, allowed=PATHWAY_LEVELS)
    years = stage_score_years(level=level, stage=stage)
    areas = areas_at(level=level)
    reason = stage_not_scored_reason(stage=stage, level=level)
    rows = m.StageScore.objects.filter(level=level, stage=stage)
    rows = rows.filter(is_latest=True) if year is None else rows.filter(year=year)
    by_area = {s.area_code: s for s in rows}
    if not by_area:
        span = f"years with scores: {min(years)}-{max(years)}" if years else "no year has scores at this level"
        msg = reason or (f"No {in_sentence(stage_title(stage))} scores for {LEVEL_PLURAL[level]}"
                         f"{'' if year is None else f' in {year}'} ({span}).")
        return StageLevelScores(stage, level, year, years, [], [a.code for a in areas], msg)
    found = [(a, by_area[a.code]) for a in areas if a.code in by_area]
    return StageLevelScores(stage, level, year, years, found, [a.code for a in areas if a.code not in by_area], "")


def weak_links_at(*, level: str, stage: str | None = None) -> list[tuple[m.AtlasArea, m.WeakLink]]:
    """Every area's weak-link assessment at a level (one stage, or all), by stage order and area name."""
    build_live_get()
    level_check(level=level, allowed=PATHWAY_LEVELS)
    if stage:
        stage_check(stage=stage)
    rows = m.WeakLink.objects.filter(level=level, **({"stage": stage} if stage else {}))
    areas = {a.code: a for a in areas_at(level=level)}
    found = [(areas[w.area_code], w) for w in rows if w.area_code in areas]
    return sorted(found, key=lambda p: (STAGE_IDS.index(p[1].stage), p[0].name))
