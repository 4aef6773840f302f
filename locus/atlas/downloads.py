"""Which tables can be downloaded and how their rows are made (``download_get``)."""

from __future__ import annotations

import json
from collections.abc import Callable

from locus.atlas import models as m
from locus.atlas import selectors as sel
from locus.atlas.api_errors import query_param
from locus.atlas.compare import compare_get
from locus.atlas.errors import AtlasNotFoundError, AtlasQueryError
from locus.atlas.exports import Download
from locus.atlas.mapdata import DEFAULT_MEASURE, map_data_get, measure_parse, year_parse
from locus.atlas.profile import pathway_get, sites_in, specialisation_for
from locus.atlas.text import STAGE_TITLES, link_verdict, sector_label


def _map(params: dict) -> Download:
    measure, level = params.get("measure") or DEFAULT_MEASURE, params.get("level") or "itl3"
    with query_param("measure"):
        measure_parse(measure)
    with query_param("level"):
        sel.level_check(level=level)
    data = map_data_get(measure=measure, level=level, year=year_parse(params.get("year")))
    legend = {i: c.label for i, c in enumerate(data.classes)}
    note = _value_note(data.provenance, (data.provenance.get("year_notes") or {}).get(data.year, ""))
    notes = {r.code: _value_note(data.provenance, r.note) if r.note else note for r in data.rows}
    with_notes = any(notes.values())
    rows = [{"area_code": r.code, "area_name": r.name, "level": data.level, "measure": data.measure,
             "title": data.title, "unit": data.unit, "year": data.year_label, "value": r.value, "rank": r.rank,
             "class": legend.get(r.cls, "no data") if r.cls is not None else "no data", "detail": r.detail,
             **({"band": r.band} if data.rank_caution else {}), **({"note": notes[r.code]} if with_notes else {})}
            for r in data.rows]
    return Download(f"map-{data.measure.replace(':', '-')}-{data.level}-{data.year_label.replace(' ', '-')}",
                    data.title, list(rows[0]) if rows else ["area_code"], rows, data.provenance,
                    about={"message": data.message, "rank": " ".join(t for t in (data.rank_note, data.rank_caution) if t),
                           **({"note on the values": note} if note else {})})


def _value_note(provenance: dict, year_note: str) -> str:
    """What to know beside one value of an indicator: an estimate's caution (APS, BRES, BERD, regional
    GVA, productivity) and the note on its year for this value (``sel.value_year_note``: Horizon 2020's
    partial first and last years everywhere, Birmingham's 2018 HESA defect only on values built from it);
    "" for the others."""
    return " ".join(n for n in (provenance.get("caution") or "", year_note) if n)


def _indicators(params: dict) -> Download:
    with_data = sel.levels_with_data()  # the catalogue's levels are where it may have values; these, where it has
    rows = [{"indicator_id": i.id, "title": i.title, "definition": i.definition, "unit": i.unit,
             "numerator": i.numerator, "denominator": i.denominator, "scale": i.scale, "direction": i.direction,
             "stage": i.stage, "native_geography": i.native_geography, "levels": i.levels,
             "levels_with_data": ",".join(with_data.get(i.id, [])) or "none: no value in this build",
             "source": i.source, "publisher": i.publisher, "vintage": i.vintage,
             "licence": i.licence, "uncertainty": (c := sel.indicator_caveats(indicator_id=i.id))["uncertainty"],
             "year_notes": " ".join(c["year_notes"].values())}
            for i in sel.indicators_list()]
    return Download("indicators", "Indicator catalogue", list(rows[0]), rows, {}, geometry="none")


def _area(params: dict) -> m.AtlasArea:
    with query_param("area"):
        return sel.area_get(code=params.get("area") or "")


def _indicator_values(params: dict) -> Download:
    area = _area(params)
    inds = {i.id: i for i in sel.indicators_list()}
    caveats = {iid: sel.indicator_caveats(indicator_id=iid) for iid in inds}
    defects = {(i, y) for _c, i, y in sel.defect_keys(codes=[area.code], level=area.level)}
    rows = [{"area_code": area.code, "area_name": area.name, "level": area.level, "indicator_id": iid,
             "title": inds[iid].title, "unit": inds[iid].unit, "year": y, "value": v, "method": meth,
             "note": _value_note(caveats[iid], sel.value_year_note(indicator_id=iid, year=y,
                                                                     source_defect=(iid, y) in defects)),
             "source": inds[iid].source, "vintage": inds[iid].vintage, "licence": inds[iid].licence}
            for iid, pts in sel.indicator_series(code=area.code, level=area.level).items() for y, v, meth in pts]
    cols = ["area_code", "area_name", "level", "indicator_id", "title", "unit", "year", "value", "method",
            "note", "source", "vintage", "licence"]
    return Download(f"indicator-values-{area.code}", f"Indicator values for {area.name}", cols, rows, {})


def _pathway(params: dict) -> Download:
    area = _area(params)
    p = pathway_get(code=area.code, level=area.level)
    rows = []
    for s in p.stages:
        w = s.link
        rows.append({"area_code": p.area.code, "area_name": p.area.name, "level": p.area.level, "stage": s.stage,
                     "stage_title": s.title, "year": s.year, "score": s.score, "trend_score_points_per_year": s.trend,
                     "indicators_used": f"{s.n_indicators}/{s.n_stage_indicators}",
                     "national_median": s.national_median, "neighbour_median": s.neighbour_median,
                     "expected": w.expected if w else None, "gap": w.gap if w else None,
                     "gap_lo_95": w.lo if w else None, "gap_hi_95": w.hi if w else None,
                     "verdict": link_verdict(is_weak=w.is_weak, is_strong=w.is_strong) if w else (
                         "not scored at this level" if s.note else "not assessed"), "not_scored_reason": s.note,
                     **{f"neighbour_{n.code}": s.neighbour_scores.get(n.code) for n in p.neighbours},
                     **_row_provenance(s.provenance)})
    return Download(f"pathway-{p.area.code}", f"Pathway of {p.area.name}", list(rows[0]) if rows else ["area_code"],
                    rows, _by_row_provenance([(s.title, s.provenance) for s in p.stages]), about={"note": p.message})


def _row_provenance(prov: dict) -> dict:
    """One row's own source, vintage, licence and method (a stage's data years differ from the next one's:
    productivity 2022, business formation 2024), as the API gives each stage's provenance."""
    return {"source": prov.get("source", ""), "vintage": prov.get("vintage", ""),
            "licence": prov.get("licence", ""), "method": prov.get("method", "")}


def _by_row_provenance(labelled: list[tuple[str, dict]]) -> dict:
    """The table-wide provenance (the XLSX "about" sheet, the GeoJSON's ``provenance``) of rows that each
    carry their own: a field shared by every row is given once, a field that differs says so and lists
    each row's value by its label, never one row's value as if it were every row's."""
    if not labelled:
        return _row_provenance(sel.score_provenance())
    out = {}
    for key in ("source", "vintage", "licence", "method"):
        values = [(label, prov.get(key, "")) for label, prov in labelled]
        if len({v for _label, v in values}) == 1:
            out[key] = values[0][1]
        else:
            out[key] = f"each row's own ({key} column): " + "; ".join(f"{label} {v or 'none'}" for label, v in values)
    return out


def _weak_links(params: dict) -> Download:
    if params.get("area"):
        area = _area(params)
        level = area.level
        links = m.WeakLink.objects.filter(area_code=area.code, level=area.level)
    else:
        with query_param("level"):
            level = sel.level_check(level=params.get("level") or "itl3", allowed=sel.PATHWAY_LEVELS)
        links = m.WeakLink.objects.filter(level=level)
    names = sel.area_names()
    build = sel.build_live_get()
    latest = sel.latest_scores(level=level)  # each gap's actual side: its data years date the row, as in the API
    years = {w.pk: sel.score_data_years(latest.get((w.area_code, w.stage))) or str(w.year or "") for w in links}
    by_years = {y: _row_provenance(sel.score_provenance(build=build, years=y)) for y in set(years.values())}
    rows = [{"area_code": w.area_code, "area_name": names.get(w.area_code, ""), "level": w.level, "stage": w.stage,
             "stage_title": STAGE_TITLES.get(w.stage, w.stage), "year": w.year, "data_years": years[w.pk],
             "actual": w.actual,
             "expected": w.expected, "gap": w.gap, "gap_lo_95": w.lo, "gap_hi_95": w.hi, "is_weak": w.is_weak,
             "is_strong": w.is_strong, "predictors": w.predictors, "neighbour_codes": w.neighbour_codes,
             **by_years[years[w.pk]]}
            for w in links.order_by("area_code", "stage")]
    cols = list(rows[0]) if rows else ["area_code"]
    return Download("weak-links", "Weak links", cols, rows, sel.score_provenance(build=build))


def _neighbours(params: dict) -> Download:
    area = _area(params)
    names = sel.area_names(level=area.level)
    rows = [{"area_code": n.neighbour_code, "area_name": names.get(n.neighbour_code, ""), "neighbour_of": area.code,
             "rank": n.rank, "distance": n.distance, "method": n.source}
            for n in sel.neighbours_of(code=area.code, level=area.level)]
    return Download(f"neighbours-{area.code}", f"Statistical neighbours of {area.name}",
                    ["area_code", "area_name", "neighbour_of", "rank", "distance", "method"], rows,
                    sel.score_provenance())


def _opportunities_of(ca: str | None) -> list[m.Opportunity]:
    with query_param("ca"):
        return sel.opportunities_list(ca=ca)


def _opportunities(params: dict) -> Download:
    rows = [{"scope": o.scope, "rank": o.rank, "area_code": o.area_code, "area_name": o.area_name,
             "level": o.level, "stage": o.stage, "stage_title": STAGE_TITLES.get(o.stage, o.stage),
             "priority": o.priority, "reason": o.reason, "numbers": json.dumps(o.numbers, sort_keys=True)}
            for o in _opportunities_of(params.get("ca") or None)]
    cols = ["scope", "rank", "area_code", "area_name", "level", "stage", "stage_title", "priority", "reason", "numbers"]
    return Download(f"opportunities-{params.get('ca') or 'national'}", "Investment opportunities", cols, rows,
                    sel.score_provenance())


SPECIALISATION_INPUT = "nomis_bres_2018"  # the build's input for employment location quotients (its manifest id)


def _specialisation(params: dict) -> Download:
    view = specialisation_for(area=_area(params))
    caution = sel.source_caution(source_id=SPECIALISATION_INPUT)  # BRES: a survey estimate with no interval
    rows = [] if view is None else [
        {"area_code": s.area_code, "area_name": view.name, "level": s.level, "year": s.year, "sector": s.sector,
         "sector_name": sector_label(s.sector), "employment": s.value, "share": s.share, "lq": s.lq, "is_specialised": s.is_specialised, "method": s.method,
         "note": caution}
        for s in m.Specialisation.objects.filter(area_code=view.code, source="bres_employment").order_by("-lq")]
    cols = ["area_code", "area_name", "level", "year", "sector", "sector_name", "employment", "share", "lq", "is_specialised", "method", "note"]
    src = next(iter(sel.input_sources(ids=SPECIALISATION_INPUT)), {})
    return Download("specialisation", "Employment specialisation (location quotients)", cols, rows,
                    {"source": f"{src.get('publisher', '')}, {src.get('title', SPECIALISATION_INPUT)}",
                     "vintage": src.get("vintage", ""), "licence": src.get("licence", ""), "caution": caution})


def _compare(params: dict) -> Download:
    with query_param("areas"):
        cmp = compare_get(codes=[params.get("areas") or ""])
    rows = []
    for ind, _year, cells in cmp.rows:
        for area, cell in zip(cmp.areas, cells, strict=True):
            rows.append({"area_code": area.code, "area_name": area.name, "level": area.level, "indicator_id": ind.id,
                         "title": ind.title, "unit": ind.unit, "year": cell.year, "value": cell.value,
                         "note": cell.note, "source": ind.source, "vintage": ind.vintage,
                         "licence": ind.licence})
    cols = ["area_code", "area_name", "level", "indicator_id", "title", "unit", "year", "value", "note", "source",
            "vintage", "licence"]
    return Download("compare", "Comparison of " + ", ".join(a.name for a in cmp.areas), cols, rows, {})


def _infrastructure(params: dict) -> Download:
    qs = sites_in(area=_area(params)) if params.get("area") else m.InfrastructureSite.objects.all()
    if params.get("kind"):
        if params["kind"] not in m.SiteKind.values:
            raise AtlasQueryError("kind", f"Unknown type {params['kind'][:40]!r}: use one of "
                                  f"{', '.join(m.SiteKind.values)}, or leave it out for every site.")
        qs = qs.filter(kind=params["kind"])
    rows = [{"name": s.name, "type": s.get_kind_display(), "postcode": s.postcode, "lat": s.lat, "lon": s.lon,
             "lad_code": s.lad_code, "itl3_code": s.itl3_code, "ca_code": s.ca_code, "website": s.website,
             "source": s.source, "date_checked": s.date_checked.isoformat(), "origin": s.get_origin_display(),
             "notes": s.notes} for s in qs.order_by("kind", "name")]
    cols = ["name", "type", "postcode", "lat", "lon", "lad_code", "itl3_code", "ca_code", "website", "source",
            "date_checked", "origin", "notes"]
    return Download("infrastructure", "Commercialisation infrastructure", cols, rows,
                    {"vintage": "see date_checked", "licence": "see each entry's source"}, geometry="point")


DOWNLOADS: dict[str, tuple[str, Callable[[dict], Download]]] = {
    "map": ("The map's values for one measure, level and year", _map),
    "indicators": ("The indicator catalogue", _indicators),
    "indicator-values": ("Every indicator value of one area", _indicator_values),
    "pathway": ("An area's stage scores, neighbours, national median and weak links", _pathway),
    "weak-links": ("Weak links of an area, or of every area of a level", _weak_links),
    "neighbours": ("An area's statistical neighbours", _neighbours),
    "opportunities": ("Investment opportunities, national or for a Combined Authority", _opportunities),
    "specialisation": ("Employment location quotients", _specialisation),
    "compare": ("Indicators of the compared areas", _compare),
    "infrastructure": ("Commercialisation infrastructure sites", _infrastructure),
}


# The query parameters each table takes, for the downloads page (a bad value is a 400 naming it).
AREA = "area: the code of a Combined Authority, ITL3 area or district (also the UK, a nation, ITL1 or ITL2 region)"
DOWNLOAD_PARAMS: dict[str, list[str]] = {
    "map": ["measure: ind:<indicator id>, stage:<stage> or gap:<stage> (default stage:research)",
            "level: itl3, ca or lad (default itl3)",
            "year: a year from 1900 to 2100, or leave it out (or latest) for the default year"],
    "indicators": [],
    "indicator-values": [AREA],
    "pathway": [AREA],
    "weak-links": ["area: an area's code for its weak links, or leave it out for every area of a level",
                   "level: itl3, ca or lad (default itl3), when area is left out"],
    "neighbours": [AREA],
    "opportunities": ["ca: a Combined Authority's code, or leave it out for the national ranking of ITL3 areas"],
    "specialisation": [AREA],
    "compare": ["areas: 2 to 6 comma-separated area codes"],
    "infrastructure": [f"{AREA}, or leave it out for every site",
                       "kind: " + ", ".join(m.SiteKind.values) + ", or leave it out for every type"],
}


def download_get(*, table: str, params: dict) -> Download:
    if table not in DOWNLOADS:
        raise AtlasNotFoundError(f"Unknown table {table!r}: use one of {', '.join(DOWNLOADS)}.")
    return DOWNLOADS[table][1](params)


def area_geometry_lookup(codes: set[str]):
    """geometry_of(row) for rows with an area_code, from the bundled boundaries."""
    from locus.geography.models import Area

    shapes = {c: json.loads(b) for c, b in Area.objects.filter(code__in=codes).exclude(boundary="")
              .values_list("code", "boundary")}
    return lambda row: shapes.get(row.get("area_code"))


def point_geometry(row: dict) -> dict | None:
    if row.get("lat") is None or row.get("lon") is None:
        return None
    return {"type": "Point", "coordinates": [row["lon"], row["lat"]]}
