"""What the national map shows: one measure (an indicator, a stage score or a weak-link gap) for
every area of a level in one year, with ranks, legend classes and the areas without data.

The same ``MapData`` feeds the map's JSON, the sortable table under it and the downloads, so the
table and the map always hold the same numbers."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace

from locus.atlas import models as m
from locus.atlas import selectors as sel
from locus.atlas.charts import DIVERGING, NO_DATA, SEQUENTIAL
from locus.atlas.errors import AtlasNotFoundError, AtlasQueryError
from locus.atlas.text import (
    LEVEL_PLURAL,
    MAP_LEVELS,
    STAGE_TITLES,
    finite,
    gap_text,
    link_verdict,
    score_text,
    value_text,
)
from locus.pathways.stages import STAGE_IDS
from locus.web.format import in_sentence

DEFAULT_MEASURE = "stage:research"
GAP_CLASSES = (("weak", "Weak link (whole 95% interval below zero)"),
               ("below", "Below expected (interval includes zero)"),
               ("above", "Above expected (interval includes zero)"),
               ("strong", "Stronger than expected (whole interval above zero)"))


# Beside the ranks of an indicator whose values are estimates without a margin of error shown (its provenance
# has a caution: APS, BRES, BERD, regional GVA, productivity): ranks order the estimates, not the places.
RANK_CAUTION = ("These figures are estimates and their margins of error are not shown, so places a few ranks "
                "apart may not really differ. Compare the colour bands of the legend rather than exact ranks, and "
                "treat a place near the edge of its band as possibly in the next one.")


@dataclass(frozen=True)
class LegendClass:
    label: str
    colour: str
    count: int


@dataclass(frozen=True)
class MapRow:
    code: str
    name: str
    value: float | None
    display: str
    rank: int | None
    cls: int | None
    detail: str = ""
    band: str = ""  # for estimates (``MapData.rank_caution``): the legend band, "2 of 5: over 11.6% to 12.9%"
    note: str = ""  # the note on this value where it differs from the year's (``sel.value_year_note``)


@dataclass
class MapData:
    measure: str
    kind: str  # indicator | stage | gap
    title: str
    unit: str
    level: str
    year: int | None
    year_label: str
    years: list[int]
    rows: list[MapRow]
    classes: list[LegendClass]
    provenance: dict
    message: str = ""
    rank_note: str = "Rank 1 is the highest value."
    extra: dict = field(default_factory=dict)
    rank_caution: str = ""  # RANK_CAUTION when the values are estimates whose error is not shown
    part_years: frozenset[int] = frozenset()  # years offered but never the default: labelled "part year"

    @property
    def row_notes(self) -> list[tuple[str, list[str]]]:
        """(note, names of the areas it is on) for the notes that only some values carry (a value built from a
        source's declared defect: Birmingham's 2018 HESA rows), in the rows' order."""
        out: dict[str, list[str]] = {}
        for r in self.rows:
            if r.note:
                out.setdefault(r.note, []).append(r.name)
        return list(out.items())

    @property
    def with_data(self) -> list[MapRow]:
        return [r for r in self.rows if r.value is not None]

    @property
    def no_data(self) -> list[MapRow]:
        return [r for r in self.rows if r.value is None]


YEARS = (1900, 2100)  # the years the API's ``year`` parameter takes


def year_parse(text: str | None) -> int | None:
    """A ``year`` query parameter: None (the measure's default year) when blank or ``latest``, else a
    whole number from 1900 to 2100 as the API takes; anything else is an ``AtlasQueryError`` naming
    ``year``. A year in that range without data is not an error: the map says "No data"."""
    text = (text or "").strip()
    if not text or text.lower() == "latest":
        return None
    if len(text) <= 4 and text.isascii() and text.isdecimal() and YEARS[0] <= int(text) <= YEARS[1]:
        return int(text)
    raise AtlasQueryError("year", f"{text[:20]!r} is not a year: give a year from {YEARS[0]} to {YEARS[1]}, "
                          "or leave it out for the latest year.")


NO_DATA_GROUP = "Not mapped: no data in this atlas build"


def measure_choices(*, current: str = "") -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped (value, label) options for the measure picker. An indicator with no value at any map
    level is not offered (``measures_without_data``), except the ``current`` measure when an address
    asks for it: then it is listed on its own, marked "no data", so the picker shows what the map shows."""
    stages = [(f"stage:{s}", f"{STAGE_TITLES[s]}: stage score") for s in STAGE_IDS]
    gaps = [(f"gap:{s}", f"{STAGE_TITLES[s]}: weak-link gap") for s in STAGE_IDS[1:]]
    empty = dict(measures_without_data())
    inds = [(f"ind:{i.id}", i.title) for i in sel.indicators_list() if f"ind:{i.id}" not in empty]
    groups = [("Pathway stage scores (0 to 1)", stages), ("Weak links: actual minus expected", gaps),
              ("Indicators", inds)]
    if current in empty:
        groups.append((NO_DATA_GROUP, [(current, f"{empty[current]} (no data)")]))
    return groups


def measures_without_data() -> list[tuple[str, str]]:
    """(measure, title) of the catalogue's indicators with no value in the live build at any level the
    map shows (with the bundled data: the collaboration network's large business-SME links and their
    share), in catalogue order."""
    with_data = sel.levels_with_data()
    return [(f"ind:{i.id}", i.title) for i in sel.indicators_list()
            if not set(with_data.get(i.id, ())) & set(MAP_LEVELS)]


def measure_parse(measure: str) -> tuple[str, str]:
    kind, _, key = (measure or DEFAULT_MEASURE).partition(":")
    if kind == "ind":
        sel.indicator_get(indicator_id=key)
        return "indicator", key
    if kind in ("stage", "gap") and key in STAGE_IDS and not (kind == "gap" and key == STAGE_IDS[0]):
        return kind, key
    raise AtlasNotFoundError(f"Unknown map measure {measure!r}: use ind:<indicator id>, stage:<stage> or gap:<stage>.")


def quantile_breaks(values: list[float], k: int = 5) -> list[float]:
    """Upper bounds of up to k quantile classes (distinct, ascending; the last is the maximum)."""
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return []
    cuts = [ordered[min(n - 1, max(0, round(n * q / k) - 1))] for q in range(1, k)] + [ordered[-1]]
    return sorted(set(cuts))


def _ranked(values: dict[str, float], descending: bool = True) -> dict[str, int]:
    order = sorted(values, key=lambda c: (-values[c] if descending else values[c], c))
    ranks, prev, prev_rank = {}, None, 0
    for i, code in enumerate(order, start=1):
        if values[code] != prev:
            prev_rank, prev = i, values[code]
        ranks[code] = prev_rank
    return ranks


def _classify(values: dict[str, float], fmt) -> tuple[dict[str, int], list[LegendClass]]:
    breaks = quantile_breaks(list(values.values()))
    cls = {c: min(bisect.bisect_left(breaks, v), len(breaks) - 1) for c, v in values.items()}
    palette = SEQUENTIAL[-len(breaks):] if len(breaks) < len(SEQUENTIAL) else SEQUENTIAL
    lows = [min(values.values())] + breaks[:-1]
    legend = [LegendClass(f"{fmt(lo)} to {fmt(hi)}" if i == 0 else f"over {fmt(lo)} to {fmt(hi)}", palette[i],
                          sum(1 for c in cls.values() if c == i)) for i, (lo, hi) in enumerate(zip(lows, breaks, strict=True))]
    return cls, legend


def _indicator(key: str, level: str, year: int | None) -> MapData:
    data = sel.indicator_values_get(indicator_id=key, level=level, year=year)
    ind = data.indicator
    values = {r.area.code: r.value for r in data.rows if finite(r.value)}
    ranks = _ranked(values, descending=ind.direction != "lower_is_better")
    cls, legend = _classify(values, lambda v: value_text(v, ind.unit)) if values else ({}, [])
    # the year's note is on the map as a whole; a value built from a source's declared defect carries its own
    provenance = sel.values_provenance(data.provenance, indicator_id=key, defect_years=frozenset())
    common = (provenance.get("year_notes") or {}).get(data.year, "")
    rows = [MapRow(r.area.code, r.area.name, values.get(r.area.code), value_text(values.get(r.area.code), ind.unit),
                   ranks.get(r.area.code), cls.get(r.area.code), sel.method_words(r.method),
                   note=r.note if r.note != common else "") for r in data.rows]
    note = "Rank 1 is the lowest value (lower is better)." if ind.direction == "lower_is_better" else \
        "Rank 1 is the highest value."
    caution = RANK_CAUTION if data.provenance.get("caution") and values else ""
    if caution:  # each row names its band, counted from the band holding rank 1
        rows = [replace(r, band=band_text(r.cls, legend, descending=ind.direction != "lower_is_better"))
                for r in rows]
    return MapData(f"ind:{key}", "indicator", ind.title, ind.unit, level, data.year,
                   str(data.year) if data.year else "no year", data.years, rows, legend, provenance,
                   data.message, note, {"definition": ind.definition}, caution,
                   sel.part_years(indicator_id=key) & set(data.years))


def band_text(cls: int | None, legend: list[LegendClass], *, descending: bool = True) -> str:
    """A row's legend band in words, numbered from the band that holds rank 1: "1 of 5: over 40.1% to
    52.3%" (the highest values when higher ranks first); "" without a value."""
    if cls is None or not legend:
        return ""
    number = len(legend) - cls if descending else cls + 1
    return f"{number} of {len(legend)}: {legend[cls].label}"


def _unscored(measure: str, kind: str, title: str, unit: str, level: str, areas) -> MapData | None:
    """Every area as "no data" with the reason, when the level does not score the measure's stage
    (districts score two stages: ADR 0010); None when it does."""
    stage = measure.split(":", 1)[1]
    reason = sel.stage_not_scored_reason(stage=stage, level=level) if sel.scored(level) else (
        f"Stage scores and weak links exist for ITL3 areas, Combined Authorities and districts, not for "
        f"{LEVEL_PLURAL[level]}.")
    if not reason:
        return None
    rows = [MapRow(a.code, a.name, None, "no data", None, None, "not scored at this level") for a in areas]
    where = "district level" if level == "lad" else f"the level of {LEVEL_PLURAL[level]}"
    return MapData(measure, kind, title, unit, level, None, "no data", [], rows, [], sel.score_provenance(),
                   f"Not scored at {where}. {reason} Choose another stage, level or an indicator.")


def _stage(key: str, level: str, year: int | None) -> MapData:
    areas = sel.areas_at(level=level)
    title = f"{STAGE_TITLES[key]}: stage score"
    if unscored := _unscored(f"stage:{key}", "stage", title, "score (0-1)", level, areas):
        return unscored
    years = sel.stage_score_years(level=level, stage=key)
    qs = m.StageScore.objects.filter(level=level, stage=key)
    qs = qs.filter(is_latest=True) if year is None else qs.filter(year=year)
    found = {s.area_code: s for s in qs}
    values = {c: s.score for c, s in found.items()}
    message = "" if values else f"No {in_sentence(title)} for {LEVEL_PLURAL[level]} in {year}."
    ranks = _ranked(values)
    cls, legend = _classify(values, score_text) if values else ({}, [])
    rows = [MapRow(a.code, a.name, values.get(a.code), score_text(values.get(a.code)), ranks.get(a.code),
                   cls.get(a.code), (f"{found[a.code].year}; {found[a.code].n_indicators} of "
                                     f"{found[a.code].n_stage_indicators} indicators") if a.code in found else "")
            for a in areas]
    label = "latest available" if year is None else str(year)
    return MapData(f"stage:{key}", "stage", title, "score (0-1)", level, year, label, years, rows, legend,
                   sel.score_provenance(), message)


def _gap(key: str, level: str) -> MapData:
    areas = sel.areas_at(level=level)
    title = f"{STAGE_TITLES[key]}: weak-link gap"
    if unscored := _unscored(f"gap:{key}", "gap", title, "score points", level, areas):
        return unscored
    links = {w.area_code: w for w in m.WeakLink.objects.filter(level=level, stage=key)}
    values = {c: w.gap for c, w in links.items()}
    ranks = _ranked(values)

    def klass(w) -> int:
        return 0 if w.is_weak else 3 if w.is_strong else (1 if w.gap < 0 else 2)

    cls = {c: klass(w) for c, w in links.items()}
    legend = [LegendClass(label, DIVERGING[i], sum(1 for v in cls.values() if v == i))
              for i, (_k, label) in enumerate(GAP_CLASSES)]
    rows = [MapRow(a.code, a.name, values.get(a.code), gap_text(values.get(a.code)) if a.code in values else "no data",
                   ranks.get(a.code), cls.get(a.code),
                   (f"{link_verdict(is_weak=links[a.code].is_weak, is_strong=links[a.code].is_strong)}; "
                    f"{gap_text(links[a.code].gap, links[a.code].lo, links[a.code].hi)}") if a.code in links else "")
            for a in areas]
    return MapData(f"gap:{key}", "gap", title, "score points", level, None, "latest available", [], rows, legend,
                   sel.score_provenance(), "" if values else f"No weak links assessed for {in_sentence(title)}.",
                   "Rank 1 is the largest gap above expected; the weakest links have the highest ranks.")


def map_data_get(*, measure: str = DEFAULT_MEASURE, level: str = "itl3", year: int | None = None) -> MapData:
    """The map's data for a measure, level and year (None: the default year for the measure)."""
    sel.level_check(level=level)
    kind, key = measure_parse(measure)
    return sel.cached("map", kind, key, level, year, compute=lambda: (
        _indicator(key, level, year) if kind == "indicator" else _stage(key, level, year) if kind == "stage"
        else _gap(key, level)))


def map_json(data: MapData) -> dict:
    """The map's JSON: values by area code, legend and provenance. A value that carries its own note names the
    note's paragraph under the map (``note_ref``, the template's ``row-note-N``), which the info box links to."""
    refs = {note: f"row-note-{i}" for i, (note, _names) in enumerate(data.row_notes, start=1)}
    return {"measure": data.measure, "title": data.title, "unit": data.unit, "level": data.level,
            "year": data.year, "year_label": data.year_label, "message": data.message, "rank_note": data.rank_note,
            "rank_caution": data.rank_caution,
            "n_areas": len(data.rows), "n_with_data": len(data.with_data), "no_data_colour": NO_DATA,
            "classes": [{"label": c.label, "colour": c.colour, "count": c.count} for c in data.classes],
            "provenance": data.provenance, "part_years": sorted(data.part_years),
            "part_year": data.year in data.part_years,
            "values": {r.code: {"name": r.name, "value": r.value, "display": r.display, "rank": r.rank,
                                "class": r.cls, "detail": r.detail, **({"band": r.band} if r.band else {}),
                                **({"note": r.note, "note_ref": refs[r.note]} if r.note else {})}
                       for r in data.rows}}
