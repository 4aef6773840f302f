"""The charts and static maps of a profile, comparison or evidence pack (SVG strings)."""

from __future__ import annotations

import json
from functools import lru_cache

from locus.atlas import charts, charts_narrow
from locus.atlas.charts import DIVERGING, NO_DATA, SEQUENTIAL
from locus.atlas.mapdata import map_data_get
from locus.atlas.text import LEVEL_PLURAL, STAGE_TITLES

AREA_COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#b58840", "#0b0c0c")


def pathway_svg(pathway, *, title: str | None = None, narrow: bool = False) -> str:
    """The area, its neighbours and its level's median on the stages its level scores (with
    ``narrow``, also the phone drawing: ``charts_narrow.responsive``)."""
    area, stages = pathway.area, pathway.scored_stages
    series = [(n.name, [s.neighbour_scores.get(n.code) for s in stages], "peer") for n in pathway.neighbours]
    series.append((f"National median ({LEVEL_PLURAL[area.level]})", [s.national_median for s in stages], "median"))
    series.append((area.name, [s.score for s in stages], "area"))
    args = {"title": title or f"Pathway stage scores of {area.name} against its statistical neighbours and the "
                              "national median", "stages": [s.title for s in stages], "series": series}
    wide = charts.pathway_chart(**args)
    return charts_narrow.responsive(wide, charts_narrow.pathway_chart_narrow(**args)) if narrow else wide


def links_svg(pathway, *, narrow: bool = False) -> str:
    rows = []
    for s in pathway.link_stages:
        w = s.link
        verdict = "weak" if w and w.is_weak else "strong" if w and w.is_strong else "none"
        rows.append((s.title, w.gap if w else None, w.lo if w else None, w.hi if w else None, verdict))
    args = {"title": f"Weak links of {pathway.area.name}: gap between actual and expected stage score, with 95% "
                     "interval", "rows": rows}
    wide = charts.interval_chart(**args)
    return charts_narrow.responsive(wide, charts_narrow.interval_chart_narrow(**args)) if narrow else wide


def _geo_stamp() -> int:
    from locus.geography.models import LoadRecord

    return LoadRecord.objects.filter(dataset="geography").values_list("id", flat=True).first() or 0


@lru_cache(maxsize=4)
def _level_shapes(level: str, _stamp: int) -> tuple[tuple[str, dict], ...]:
    """Parsed boundaries of a level (cached per geography load: parsing is most of a map's cost)."""
    from locus.geography.models import Area

    return tuple((code, json.loads(b)) for code, b in Area.objects.filter(level=level).exclude(boundary="")
                 .order_by("code").values_list("code", "boundary"))


def _years_text(years: list[int]) -> str:
    return "" if not years else str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def map_years(*, measure: str, level: str) -> str:
    """The years of a stage-score or weak-link map (each area's latest), for its caption: the pack's
    maps once named no year, so a 2018 score could be read as this year's."""
    from locus.atlas import models as m

    kind, stage = measure.split(":", 1)
    rows = (m.StageScore.objects.filter(is_latest=True) if kind == "stage" else m.WeakLink.objects.all())
    return _years_text(sorted(set(rows.filter(level=level, stage=stage).exclude(year=None)
                                  .values_list("year", flat=True))))


def _national_map(profile, measure: str, title: str) -> tuple[str, list]:
    area = profile.area
    level = area.level if area.level in ("itl3", "ca", "lad") else None
    if level is None:
        return "", [], ""
    data = map_data_get(measure=measure, level=level)
    palette = DIVERGING if data.kind == "gap" else SEQUENTIAL[-len(data.classes):] if data.classes else SEQUENTIAL
    colour = {r.code: (palette[r.cls] if r.cls is not None and r.cls < len(palette) else NO_DATA) for r in data.rows}
    if data.kind != "gap" and data.classes:
        colour = {r.code: (data.classes[r.cls].colour if r.cls is not None else NO_DATA) for r in data.rows}
    shapes = [(geom, colour.get(code, NO_DATA), code == area.code) for code, geom in _level_shapes(level, _geo_stamp())]
    legend = ", ".join(f"{c.label}" for c in data.classes)
    # about a third of a page wide in the pack: 50 points a ring is as fine as the print shows
    svg = charts.map_svg(title=f"{title}; {area.name} outlined. Classes: {legend}", shapes=shapes,
                         max_points=50) if shapes else ""
    return svg, [*[(c.colour, c.label) for c in data.classes], (NO_DATA, "No data")], map_years(measure=measure, level=level)


INSET_FILL, SURROUND_FILL = "#9ecae1", "#f3f2f1"


@lru_cache(maxsize=2)
def _district_shapes(stamp: int) -> tuple[tuple[str, dict, tuple[float, float, float, float]], ...]:
    return tuple((code, geom, _bbox(geom)) for code, geom in _level_shapes("lad", stamp))


def _bbox(geom: dict) -> tuple[float, float, float, float]:
    pts = [pt for ring in charts._rings(geom) for pt in ring]
    return (min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts))


def inset_svg(profile) -> str:
    """A zoomed map of the area (filled, outlined) among the districts around it: boundary
    polygons only, framed on the area with a margin of half its size (at least 0.25 degrees)."""
    from locus.geography.models import Area

    boundary = Area.objects.filter(code=profile.area.code).exclude(boundary="").values_list("boundary", flat=True).first()
    if not boundary:
        return ""
    own = json.loads(boundary)
    w, s, e, n = _bbox(own)
    mx, my = max((e - w) * 0.5, 0.25), max((n - s) * 0.5, 0.25)
    w, s, e, n = w - mx, s - my, e + mx, n + my
    frame = {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}
    around = [(geom, SURROUND_FILL, False) for _code, geom, (bw, bs, be, bn) in _district_shapes(_geo_stamp())
              if bw <= e and be >= w and bs <= n and bn >= s]
    title = (f"{profile.area.name} (filled, outlined in black) and the local authority districts around it; "
             "boundary polygons only")
    return charts.map_svg(title=title, shapes=[*around, (own, INSET_FILL, True)], frame=frame, width=480,
                          height=480, max_points=250, edge="#505a5f", clip_id=f"inset-{profile.area.code}")


def profile_charts(profile, *, with_maps: bool = False, narrow: bool = False) -> dict:
    """The profile's charts; ``narrow`` adds the phone drawings of the wide ones (web pages, not the PDF)."""
    out = {"pathway": "", "links": "", "series": {}, "lq": "", "maps": [], "inset": ""}
    if profile.stages:
        out["pathway"] = pathway_svg(profile.pathway, narrow=narrow)
        out["links"] = links_svg(profile.pathway, narrow=narrow)
    level_words = LEVEL_PLURAL.get(profile.area.level, profile.area.level)
    with_level = profile.area.level != "uk"  # the UK is a level of one: no median of its level
    for _stage, _title, group in profile.series_groups:
        for s in group:
            against = (" and the UK median of " + level_words) if with_level else ""
            out["series"][s.indicator.id] = charts.trend_chart(
                title=f"{s.indicator.title}: {profile.area.name}"
                      f"{', the median of its statistical neighbours' if s.neighbours else ''}{against}, "
                      + (f"{s.years[0][0]}-{s.years[-1][0]}" if s.years[0][0] != s.years[-1][0]
                         else f"{s.years[0][0]} only"),
                series=[(profile.area.name, [(y, v) for y, v, _m in s.points], "area"),
                        ("Neighbours' median", [(y, v) for y, v, _n in s.neighbours], "neighbours"),
                        *([(f"UK median ({level_words})", [(y, v) for y, v, _n in s.level_median], "level")]
                          if with_level else [])])
    if profile.specialisation:
        rows = [(r.label, r.lq) for r in profile.specialisation.rows]
        args = {"title": f"Employment location quotients, {profile.specialisation.name}", "rows": rows}
        out["lq"] = charts.lq_chart(**args)
        if narrow:
            out["lq"] = charts_narrow.responsive(out["lq"], charts_narrow.lq_chart_narrow(**args))
    if with_maps:
        out["inset"] = inset_svg(profile)
        scored = profile.pathway.scored_stages
        if scored:
            first = scored[0]
            weakest = min((s for s in profile.pathway.link_stages if s.link), key=lambda s: s.link.gap, default=None)
            out["maps"].append((f"{first.title} score", *_national_map(
                profile, f"stage:{first.stage}", f"{first.title} score of {LEVEL_PLURAL[profile.area.level]}")))
            if weakest:
                out["maps"].append((f"{weakest.title}: weak-link gap", *_national_map(
                    profile, f"gap:{weakest.stage}", f"{weakest.title}: weak-link gap")))
    return out


def compare_chart(cmp, *, narrow: bool = True) -> str:
    """The compared places on the stages at least one of their levels scores (districts: two), with
    the phone drawing too (``narrow``)."""
    # each with its label: "Manchester (ITL3 area)" beside "Manchester (local authority district)"
    scored = [(p, label) for p, label in zip(cmp.pathways, cmp.labels, strict=True) if p.stages]
    if not scored:
        return ""
    stage_ids = cmp.stage_ids
    series = [(label, [s.score for s in p.stages if s.stage in stage_ids],
               f"other:{AREA_COLOURS[i % len(AREA_COLOURS)]}") for i, (p, label) in enumerate(scored)]
    if cmp.medians:
        series.insert(0, ("National median", [cmp.medians.get(s) for s in stage_ids], "median"))
    elif cmp.mixed:  # each place against the median of its own level
        for i, (level, medians) in enumerate(cmp.level_medians.items()):
            series.insert(i, (f"Median of {LEVEL_PLURAL[level]}", [medians.get(s) for s in stage_ids],
                              "median" if i == 0 else "median2"))
    args = {"title": "Pathway stage scores of " + ", ".join(label for _p, label in scored),
            "stages": [STAGE_TITLES[s] for s in stage_ids], "series": series}
    wide = charts.pathway_chart(**args)
    return charts_narrow.responsive(wide, charts_narrow.pathway_chart_narrow(**args)) if narrow else wide
