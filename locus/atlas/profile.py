"""Area profiles: an area's pathway against its neighbours and the national median, its weak
links with intervals, opportunities, indicator series, specialisation and infrastructure."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from locus.atlas import hooks
from locus.atlas import models as m
from locus.atlas import selectors as sel
from locus.atlas import selectors_trends as sel_trends
from locus.atlas.errors import AtlasNotFoundError
from locus.atlas.population import HeaderPopulation, header_population_get
from locus.atlas.stage_reasons import stage_missing_reason
from locus.atlas.text import (
    LEVEL_ARTICLE,
    LEVEL_PLURAL,
    LEVEL_SINGULAR,
    STAGE_QUESTIONS,
    STAGE_TITLES,
    finite,
    gap_text,
    lower_first,
    plural,
    score_text,
    sector_label,
)
from locus.pathways.stages import STAGE_IDS


@dataclass(frozen=True)
class NeighbourRef:
    code: str
    name: str
    rank: int
    distance: float
    source: str


@dataclass
class StageRow:
    stage: str
    title: str
    question: str
    year: int | None
    score: float | None
    trend: float | None
    n_indicators: int
    n_stage_indicators: int
    indicators: list[str]
    data_years: str
    national_median: float | None
    neighbour_median: float | None
    neighbour_scores: dict[str, float | None]
    link: object | None
    provenance: dict
    cases: list = field(default_factory=list)
    note: str = ""  # why the level does not score this stage ("" where it does)
    missing: str = ""  # why this area has no score for a stage its level scores ("" where it has one)


@dataclass
class Pathway:
    area: m.AtlasArea
    neighbours: list[NeighbourRef]
    stages: list[StageRow]
    message: str = ""

    @property
    def scored_stages(self) -> list[StageRow]:
        """The stages the area's level scores (all six, except for districts: ADR 0010)."""
        return [s for s in self.stages if not s.note]

    @property
    def unscored_stages(self) -> list[StageRow]:
        """Stages the level does not score, each with its reason (``note``)."""
        return [s for s in self.stages if s.note]

    @property
    def link_stages(self) -> list[StageRow]:
        """The scored stages that can have a weak link (every one after the research base)."""
        return [s for s in self.scored_stages if s.stage != STAGE_IDS[0]]


def _neighbours(code: str, level: str, override: list[str] | None):
    if override is None:
        return [NeighbourRef(n.neighbour_code, "", n.rank, n.distance, n.source)
                for n in sel.neighbours_of(code=code, level=level)], sel.weak_links_of(code=code, level=level)
    from locus.atlas.pathway import pathway_with_neighbours

    found, links = pathway_with_neighbours(code=code, level=level, neighbour_codes=override)
    return [NeighbourRef(n.neighbour_code, "", n.rank, n.distance, n.source) for n in found], links


DISTRICT_MESSAGE = ("District scores use only indicators measured for districts themselves; values shared down "
                    "from larger areas are shown as indicator values, not scored (methodology, section 4).")


def pathway_get(*, code: str, neighbours: list[str] | None = None, level: str | None = None) -> Pathway:
    """Latest stage scores, neighbours and weak links of an ITL3 area, Combined Authority or
    district; a stage the level does not score (districts: ADR 0010) carries its reason in ``note``."""
    area = sel.area_get(code=code, level=level)
    if not sel.scored(area.level):
        if neighbours:
            what = ("the whole United Kingdom" if area.level == "uk" else
                    f"{LEVEL_ARTICLE.get(area.level, 'a')} {LEVEL_SINGULAR.get(area.level, area.level)}")
            raise AtlasNotFoundError(f"{area.name} is {what}: pathway scores and neighbours exist for ITL3 "
                                     "areas, Combined Authorities and local authority districts.")
        return Pathway(area, [], [], "The atlas scores pathways for ITL3 areas, Combined Authorities and local "
                                     f"authority districts, not for {LEVEL_PLURAL.get(area.level, area.level)}.")
    refs, links = _neighbours(area.code, area.level, neighbours)
    names = sel.area_names(level=area.level)
    refs = [NeighbourRef(r.code, names.get(r.code, r.code), r.rank, r.distance, r.source) for r in refs]
    build = sel.build_live_get()
    stages = [_stage_row(area, stage, refs, links, build) for stage in STAGE_IDS]
    return Pathway(area, refs, stages, DISTRICT_MESSAGE if area.level == "lad" else "")


def _stage_row(area: m.AtlasArea, stage: str, refs: list[NeighbourRef], links: dict, build) -> StageRow:
    s = sel.area_scores(code=area.code, level=area.level).get(stage)
    latest = sel.latest_scores(level=area.level)
    note = sel.stage_not_scored_reason(stage=stage, level=area.level)
    peer = {r.code: (latest[(r.code, stage)].score if (r.code, stage) in latest else None) for r in refs}
    known = [v for v in peer.values() if v is not None]
    years = f"{s.data_year_min}-{s.data_year_max}" if s and s.data_year_min != s.data_year_max else (
        str(s.data_year_min) if s else "")
    return StageRow(
        stage, STAGE_TITLES[stage], STAGE_QUESTIONS[stage], s.year if s else None, s.score if s else None,
        s.trend if s else None, s.n_indicators if s else 0, s.n_stage_indicators if s else 0,
        [i for i in (s.indicators.split(",") if s else []) if i], years,
        None if note else sel.stage_medians(level=area.level).get(stage),
        statistics.median(known) if known else None, peer, links.get(stage),
        sel.score_provenance(build=build, years=years, indicators=s.indicators if s else None), note=note,
        missing="" if s or note else stage_missing_reason(area=area, stage=stage))


@dataclass
class Headline:
    sentences: list[str]
    weak: list[StageRow]
    strongest: StageRow | None
    weakest: StageRow | None

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def headline_from(pathway: Pathway, n_opportunities: int) -> Headline:
    """The plain-words summary of an area's pathway."""
    area = pathway.area
    if not pathway.stages:
        return Headline([pathway.message], [], None, None)
    scored = [s for s in pathway.stages if finite(s.score) and finite(s.national_median)]
    rel = sorted(scored, key=lambda s: s.score - s.national_median)
    weak = sorted((s for s in pathway.stages if s.link is not None and s.link.is_weak), key=lambda s: s.link.gap)
    kind = LEVEL_PLURAL[area.level]
    out = []
    if rel:
        best, worst = rel[-1], rel[0]
        said = (f"Compared with other {kind}, {area.name} is strongest at {lower_first(best.title)} (score "
                f"{score_text(best.score)} against a national median of {score_text(best.national_median)})")
        if len(rel) > 1 and worst.score < worst.national_median:
            said += (f" and weakest at {lower_first(worst.title)} ({score_text(worst.score)} against "
                     f"{score_text(worst.national_median)})")
        elif len(rel) > 1:  # every stage at or above the median: none is "weak" against other places
            said += (f"; its least strong stage, {lower_first(worst.title)} ({score_text(worst.score)} against "
                     f"{score_text(worst.national_median)}), is still at or above the median")
        out.append(said + ".")
    if weak:
        parts = [f"{lower_first(s.title)} (gap {gap_text(s.link.gap, s.link.lo, s.link.hi)})" for s in weak]
        out.append(f"Against what its upstream stages and its statistical neighbours predict, "
                   f"{plural(len(weak), 'stage is a weak link', 'stages are weak links')}: {'; '.join(parts)}.")
    else:
        out.append("No stage is a weak link: for every scored stage, the 95% interval of the gap between its score and "
                   "what its upstream stages and statistical neighbours predict includes zero or lies above it.")
    if pathway.unscored_stages:
        titles = [lower_first(s.title) for s in pathway.unscored_stages]
        out.append(f"{kind[:1].upper()}{kind[1:]} are scored on {plural(len(pathway.scored_stages), 'stage')} "
                   f"only. Not scored at this level: {'; '.join(titles[:-1])}; and {titles[-1]}, because too "
                   "few of their indicators are measured for it (methodology, section 4)."
                   if len(titles) > 1 else f"{STAGE_TITLES[pathway.unscored_stages[0].stage]} is not scored "
                   f"for {kind} (methodology, section 4).")
    if pathway.neighbours:
        out.append("Its statistical neighbours are " + "; ".join(n.name for n in pathway.neighbours) + ".")
    if n_opportunities:
        out.append(f"The atlas ranks {plural(n_opportunities, 'investment opportunity', 'investment opportunities')} "
                   "in or near it.")
    return Headline(out, weak, rel[-1] if rel else None, rel[0] if rel else None)


def headline_get(*, area: m.AtlasArea) -> Headline:
    pathway = pathway_get(code=area.code, level=area.level)
    if not pathway.stages:  # a region, nation or the UK: point down to the scored places inside it
        inside = sel.itl3_inside(area).count()
        where = ("listed beside the map" if area.level in ("itl2", "itl1")
                 else "on the atlas map or through the search box")
        more = f" Its {plural(inside, 'ITL3 area is', 'ITL3 areas are')} scored: open one {where}." if inside else ""
        if area.ca_code:
            more += f" {sel.area_names().get(area.ca_code, area.ca_code)} is scored as a Combined Authority."
        return Headline([pathway.message + more], [], None, None)
    return headline_from(pathway, len(sel.opportunities_near(area=area)))


def attach_cases(*, pathway: Pathway, geo_area) -> None:
    """Cases beside each weak link, from the registered STAGE_CASE_PROVIDERS."""
    for row in pathway.stages:
        if row.link is not None and row.link.is_weak and geo_area is not None:
            row.cases = hooks.cases_for_stage(stage=row.stage, area=geo_area, limit=3)


# --- the full profile page ------------------------------------------------------------------------

@dataclass
class IndicatorSeries:
    indicator: m.Indicator
    points: list[tuple[int, float, str]]
    uk: list[tuple[int, float, str]]
    provenance: dict
    neighbours: list[tuple[int, float, int]] = field(default_factory=list)  # (year, median, areas)
    level_median: list[tuple[int, float, int]] = field(default_factory=list)
    unscored: frozenset[int] = frozenset()  # years of this series left out of the scores (part years, defects)
    uk_notes: dict[int, str] = field(default_factory=dict)  # the UK figure's notes where it was built from a defect

    @property
    def latest(self) -> tuple[int, float, str]:
        """The latest year the scores use: a part year (Horizon 2020's 2020) or a value built from a
        source's known defect is not the headline beside full-year comparators; it stays in the series
        with its note. Every year unscored: the latest as it is."""
        scored = [p for p in self.points if p[0] not in self.unscored]
        return scored[-1] if scored else self.points[-1]

    @property
    def uk_latest(self) -> tuple[int | None, float | None]:
        """The UK figure of the row's year or, when the UK has none that year, of its latest earlier
        year (shown with that year): a UK sum needs every area's data (gaps in Northern Ireland's
        leave Horizon 2020's UK figure at 2018, for instance), and "no data" there read as if the UK
        figure were unknown."""
        earlier = [(y, v) for y, v, _m in self.uk if y <= self.latest[0]]
        return max(earlier) if earlier else (None, None)

    @property
    def uk_latest_note(self) -> str:
        """The note on the UK figure beside the latest values when that figure was built from a source's declared
        defect (the UK's 2018 HESA figures include Birmingham's) and the row does not already carry it; else ""."""
        uk_year, _value = self.uk_latest
        note = self.uk_notes.get(uk_year, "") if uk_year is not None else ""
        return "" if not note or note == (self.provenance.get("year_notes") or {}).get(self.latest[0]) else note

    def _same_year(self, rows: list[tuple[int, float, int]]) -> float | None:
        return next((v for y, v, _n in rows if y == self.latest[0]), None)

    @property
    def neighbours_same_year(self) -> float | None:
        return self._same_year(self.neighbours)

    @property
    def level_same_year(self) -> float | None:
        return self._same_year(self.level_median)

    @property
    def years(self) -> list[tuple[int, float | None, float | None, float | None]]:
        """(year, area, neighbours' median, level median) for every year any of them has."""
        area = {y: v for y, v, _m in self.points}
        nb = {y: v for y, v, _n in self.neighbours}
        lv = {y: v for y, v, _n in self.level_median}
        return [(y, area.get(y), nb.get(y), lv.get(y)) for y in sorted(set(area) | set(nb) | set(lv))]


@dataclass
class SpecialisationView:
    code: str
    name: str
    note: str
    rows: list[m.Specialisation]
    eci: float | None


@dataclass
class Profile:
    area: m.AtlasArea
    geo_area: object | None
    pathway: Pathway
    headline: Headline
    opportunities: list[m.Opportunity]
    series_groups: list[tuple[str, str, list[IndicatorSeries]]]
    specialisation: SpecialisationView | None
    sites: list[m.InfrastructureSite]
    site_counts: list[tuple[str, int]]
    related: list[m.AtlasArea]
    members: list[m.AtlasArea]
    build: m.AtlasBuild
    provenance: dict
    scope_names: dict[str, str] = field(default_factory=dict)  # a CA ranking's code -> the CA's name
    population: HeaderPopulation | None = None  # the header's figure with its source (not the indicator)

    @property
    def stages(self) -> list[StageRow]:
        return self.pathway.stages

    @property
    def universities(self) -> list[m.InfrastructureSite]:
        return [s for s in self.sites if s.kind == m.SiteKind.UNIVERSITY]


def _rows(medians: dict[int, tuple[float, int]]) -> list[tuple[int, float, int]]:
    return [(y, v, n) for y, (v, n) in sorted(medians.items())]


def series_groups_get(*, area: m.AtlasArea, neighbour_codes: list[str] = ()) -> list[tuple[str, str, list[IndicatorSeries]]]:
    """Each indicator's series for the area, its statistical neighbours' median and the median of
    every area of its level, grouped by pathway stage."""
    own = sel.indicator_series(code=area.code, level=area.level)
    uk = sel_trends.uk_series()
    level = sel_trends.indicator_level_medians(level=area.level)
    peers = sel_trends.indicator_group_medians(codes=list(neighbour_codes), level=area.level)
    groups: dict[str, list[IndicatorSeries]] = {}
    defects = {(i, y) for _c, i, y in sel.defect_keys(codes=[area.code], level=area.level)}
    uk_defects = {(i, y) for _c, i, y in sel.defect_keys(codes=[sel_trends.uk_code()], level="uk")}
    for ind in sel.indicators_list():
        if own.get(ind.id):
            mine = frozenset(y for i, y in defects if i == ind.id)
            uk_notes = {y: note for y in sorted(y for i, y in uk_defects if i == ind.id)
                        if (note := sel.value_year_note(indicator_id=ind.id, year=y, source_defect=True))}
            groups.setdefault(ind.stage, []).append(IndicatorSeries(
                ind, own[ind.id], uk.get(ind.id, []),
                sel.values_provenance(sel.indicator_provenance(ind), indicator_id=ind.id, defect_years=mine),
                _rows(peers.get(ind.id, {})), _rows(level.get(ind.id, {})),
                sel.part_years(indicator_id=ind.id) | mine, uk_notes))
    order = [*STAGE_IDS, "context"]
    return [(s, STAGE_TITLES.get(s, "Context (not scored)"), groups[s]) for s in order if s in groups]


def specialisation_for(*, area: m.AtlasArea) -> SpecialisationView | None:
    """Employment location quotients (BRES 2018) for the area, or the nearest area that has them."""
    names = sel.area_names()
    if area.level in ("ca", "itl2", "itl1"):
        code, note = area.code, ""
    elif area.level == "itl3" and area.parent_code:
        code, note = area.parent_code, f"Measured for {names.get(area.parent_code)}, the ITL2 region containing {area.name}."
    elif area.level == "lad" and (area.ca_code or area.parent_code):
        parent = area.ca_code or m.AtlasArea.objects.filter(code=area.parent_code, level="itl3").values_list(
            "parent_code", flat=True).first() or ""
        code, note = parent, f"Measured for {names.get(parent, parent)}, which contains {area.name}."
    else:
        return None
    rows = list(m.Specialisation.objects.filter(area_code=code, source="bres_employment").order_by("-lq")[:12])
    if not rows:
        return None
    for r in rows:
        r.label = sector_label(r.sector)
    cx = m.Complexity.objects.filter(area_code=code, source="bres_employment").first()
    return SpecialisationView(code, names.get(code, code), note, rows, cx.eci if cx else None)


def sites_in(*, area: m.AtlasArea):
    qs = m.InfrastructureSite.objects.all()
    if area.level == "lad":
        return qs.filter(lad_code=area.code)
    if area.level == "itl3":
        return qs.filter(itl3_code=area.code)
    if area.level == "ca":
        return qs.filter(ca_code=area.code)
    if area.level in ("itl2", "itl1"):
        return qs.filter(itl3_code__startswith=area.code)
    if area.level == "nation":
        return qs.filter(lad_code__startswith=area.code[:1])
    return qs


def profile_get(*, code: str) -> Profile:
    """Everything the area profile and its evidence pack show."""
    from locus.geography.models import Area

    area = sel.area_get(code=code)
    geo_area = Area.objects.filter(code=area.code).first()
    pathway = pathway_get(code=area.code, level=area.level)
    attach_cases(pathway=pathway, geo_area=geo_area)
    opportunities = sel.opportunities_near(area=area)
    headline = headline_from(pathway, len(opportunities)) if pathway.stages else headline_get(area=area)
    sites = list(sites_in(area=area).order_by("kind", "name"))
    counts: dict[str, int] = {}
    for site in sites:
        counts[site.get_kind_display()] = counts.get(site.get_kind_display(), 0) + 1
    related = [a for code_, level in ((area.parent_code, "itl3"), (area.ca_code, "ca"))
               for a in m.AtlasArea.objects.filter(code=code_, level=level) if code_ and area.level == "lad"]
    if area.level == "itl3" and area.ca_code:
        related = list(m.AtlasArea.objects.filter(code=area.ca_code, level="ca"))
    members = list(m.AtlasArea.objects.filter(level="itl3", ca_code=area.code).order_by("name")) \
        if area.level == "ca" else list(sel.itl3_inside(area).order_by("name")) if area.level in ("itl2", "itl1") else []
    build = sel.build_live_get()
    groups = series_groups_get(area=area, neighbour_codes=[n.code for n in pathway.neighbours])
    scope_names = dict(m.AtlasArea.objects.filter(level="ca", code__in={o.scope for o in opportunities})
                       .values_list("code", "name"))
    return Profile(area, geo_area, pathway, headline, opportunities, groups,
                   specialisation_for(area=area), sites, sorted(counts.items()), related, members, build,
                   sel.score_provenance(build=build), scope_names, header_population_get(area=area, build=build))
