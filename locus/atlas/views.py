"""Atlas pages: the national map and its table, area profiles, comparisons, evidence packs,
downloads and the methodology. Thin: they parse input, call selectors and render."""

from __future__ import annotations

import json
import time
from functools import lru_cache
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from locus.atlas import selectors as sel
from locus.atlas import selectors_places as sel_places
from locus.atlas.compare import MAX_AREAS, compare_get, compare_picks_check
from locus.atlas.downloads import (
    DOWNLOAD_PARAMS,
    DOWNLOADS,
    SPECIALISATION_INPUT,
    area_geometry_lookup,
    download_get,
    point_geometry,
)
from locus.atlas.errors import AtlasNotFoundError, AtlasQueryError, NoAtlasError
from locus.atlas.exports import FORMATS, bulk_zip_path, download_bytes
from locus.atlas.figures import compare_chart, profile_charts
from locus.atlas.infrastructure import HE_SOURCE, MAKERSPACE_SOURCE
from locus.atlas.mapdata import (
    DEFAULT_MEASURE,
    map_data_get,
    map_json,
    measure_choices,
    measure_parse,
    measures_without_data,
    year_parse,
)
from locus.atlas.packs import GENERATED_MARK, pack_link_label, pack_pdf_cached
from locus.atlas.profile import profile_get
from locus.atlas.text import (
    LEVEL_PLURAL,
    LEVEL_SINGULAR,
    MAP_LEVELS,
    NEIGHBOUR_VARIABLES,
    SITE_COLOURS,
    STAGE_TITLES,
    opportunity_short,
    unit_words,
    value_text,
)
from locus.errors import PostcodeError
from locus.geography.api import repeated_param
from locus.geography.forms import parse_place_query
from locus.geography.names import name_key
from locus.pathways.stages import STAGE_IDS
from locus.web.docs import ATLAS_METHODOLOGY, markdown_html
from locus.web.pdf_budget import RenderRefused, pdf_budget, pdf_refused_page

FIND_LIMIT = 30  # places listed by "Find your area"; the page says how many more matched

SORTS = {"rank": lambda r: (r.rank is None, r.rank or 0, r.name), "name": lambda r: r.name,
         "value": lambda r: (r.value is None, r.value if r.value is not None else 0, r.name)}


def _no_atlas(request: HttpRequest, exc: NoAtlasError) -> HttpResponse:
    return render(request, "atlas/not_loaded.html", {"message": str(exc)}, status=503)


def _map_query_check(*, measure: str, level: str, year: str | None
                     ) -> tuple[list[tuple[str, str, AtlasQueryError]], int | None]:
    """(field, message for the page, error naming the parameter) for each map query parameter whose
    value is not valid, in the order of the fields on the page, and the year asked for (None: the
    default). An unknown level or measure, or a year that is not a year, is the reader's input: a 400,
    not a missing page, and never silently replaced."""
    problems = []
    try:
        measure_parse(measure)
    except AtlasNotFoundError as exc:
        problems.append(("measure", f"Select what to map from the list: \u201c{measure}\u201d is not an "
                         "indicator, stage score or weak-link gap in the atlas", AtlasQueryError("measure", str(exc))))
    try:
        sel.level_check(level=level)
    except AtlasNotFoundError as exc:
        problems.append(("level", f"Select a geography from the list: \u201c{level}\u201d is not one of "
                         f"{', '.join(LEVEL_PLURAL[lv] for lv in MAP_LEVELS[:-1])} or {LEVEL_PLURAL[MAP_LEVELS[-1]]}",
                         AtlasQueryError("level", str(exc))))
    try:
        year_asked = year_parse(year)
    except AtlasQueryError as exc:
        year_asked = None
        problems.append(("year", f"Select a year from the list: \u201c{(year or '').strip()[:20]}\u201d is not a "
                         "year, so the map shows the latest year", exc))
    return problems, year_asked


MAP_PAGE_PARAMS = ("measure", "level", "year", "sort", "order")
ORDERS = ("asc", "desc")
_REPEATED_WORDS = {"measure": ("what to map", "the default measure"), "level": ("a geography", "ITL3 areas"),
                   "year": ("a year", "the latest year"), "sort": ("a column heading to sort the table", "rank order"),
                   "order": ("a column heading to sort the table", "rank order")}


def _map_page_query(query) -> tuple[dict[str, str | None], list[tuple[str, str]]]:
    """The map page's parameters, each read once, and (field, message) for each one given more than once
    (map-data.json's and the API's rule: one value would be dropped unsaid). A repeated parameter is
    treated as a bad value: its default is shown under the error. Sort and order errors sit at the
    table's first column heading (``sort``), the control that sorts it."""
    values, problems = {}, []
    for key in MAP_PAGE_PARAMS:
        given = query.getlist(key)
        values[key] = given[0] if len(given) == 1 else None
        if len(given) > 1:
            what, shown = _REPEATED_WORDS[key]
            listed = ", ".join(f"\u201c{v[:20]}\u201d" for v in given[:4]) + (", \u2026" if len(given) > 4 else "")
            problems.append(("sort" if key in ("sort", "order") else key,
                             f"Select {what}: the address gives {key} {len(given)} times ({listed}), "
                             f"so the {'table is in' if key in ('sort', 'order') else 'map shows'} {shown}"))
    return values, problems


def _sort_check(*, sort: str | None, order: str | None) -> list[tuple[str, str]]:
    """(field, message) for a sort column or order that the table does not have (a 400, not ignored)."""
    problems = []
    if sort is not None and sort not in SORTS:
        problems.append(("sort", f"Select a column heading to sort the table: \u201c{sort.strip()[:20]}\u201d is not "
                         "a column (rank, name or value), so the table is in rank order"))
    if order is not None and order not in ORDERS:
        problems.append(("sort", f"Select a column heading to sort the table: \u201c{order.strip()[:20]}\u201d is not "
                         "a sort order (asc or desc), so the table is in ascending order"))
    return problems


@require_GET
def atlas_map(request: HttpRequest) -> HttpResponse:
    query, repeated = _map_page_query(request.GET)
    measure = query["measure"] or DEFAULT_MEASURE
    level = query["level"] or "itl3"
    try:
        problems, year = _map_query_check(measure=measure, level=level, year=query["year"])
        page_problems = [(f, msg) for f, msg, _exc in problems] + repeated
        page_problems += _sort_check(sort=query["sort"], order=query["order"])
        page_problems.sort(key=lambda p: MAP_PAGE_PARAMS.index(p[0]))  # the summary in the page's order
        bad = {field for field, _msg in page_problems}
        measure = DEFAULT_MEASURE if "measure" in bad else measure  # show the default map under the error
        level = "itl3" if "level" in bad else level
        data = map_data_get(measure=measure, level=level, year=year)
    except NoAtlasError as exc:
        return _no_atlas(request, exc)
    except AtlasNotFoundError as exc:
        raise Http404(str(exc)) from None
    sort = query["sort"] if query["sort"] in SORTS else "rank"
    descending = query["order"] == "desc"
    rows = sorted(data.rows, key=SORTS[sort], reverse=descending)
    base = {"measure": data.measure, "level": level, **({"year": data.year} if data.year else {})}
    return render(request, "atlas/map.html", {
        "data": data, "rows": rows, "level_label": LEVEL_PLURAL[level][:1].upper() + LEVEL_PLURAL[level][1:], "sort": sort, "descending": descending, "base_query": urlencode(base),
        "measures": measure_choices(current=data.measure), "unmapped": [t for _m, t in measures_without_data()],
        "levels": [(lv, LEVEL_PLURAL[lv]) for lv in MAP_LEVELS],
        "errors": page_problems, "error_title": bool(page_problems),
        "year_note": (f"Weak links are assessed once, on each area\u2019s latest stage scores, so a year does "
                      f"not apply: this map shows the latest assessment, not {year}.")
        if year is not None and data.kind == "gap" else "",
        "field_errors": {field: ". ".join(msg for f, msg in page_problems if f == field) for field in bad},
        "opportunities": sel.opportunities_list(limit=5), "build": sel.build_live_get(), **_find_context(),
        "opportunity_short": opportunity_short, "stage_titles": STAGE_TITLES,
        "site_legend": sel_places.site_legend(), "site_colours": SITE_COLOURS,
        "values_url": "map-data.json?" + urlencode(base), "formats": FORMATS}, status=400 if page_problems else 200)


@require_GET
def go(request: HttpRequest) -> HttpResponse:
    """The "find your area" form: one match opens its profile; several are listed; none says so."""
    text = (request.GET.get("area") or "").strip()
    try:
        matched = sel_places.places_match(text=text)
    except NoAtlasError as exc:
        return _no_atlas(request, exc)
    found, postcode, error = matched[:FIND_LIMIT], "", ""
    if len(found) == 1:
        return redirect("atlas:area", found[0][0])
    if not found and text:
        query = parse_place_query(text)
        if query.kind == "code" and (other := sel_places.place_by_code(code=query.text)):
            return redirect("atlas:area", other[0])  # the UK, a nation, an ITL1 or ITL2 region
        if query.kind == "code":
            error = _code_outside_atlas(query.text)
        elif query.kind == "postcode":
            try:
                postcode, found = sel_places.places_at_postcode(text=query.text)
            except PostcodeError as exc:
                error = str(exc)
    if not found and not error:
        error = ("Enter the name, code or postcode of a Combined Authority, ITL3 area or local authority district"
                 if not text else f"No area's name or code matches \u201c{text}\u201d: check the spelling, try "
                 "part of the name, type a postcode, or choose from the list of Combined Authorities")
    return render(request, "atlas/find.html", {
        "query": text, "found": [(c, n, LEVEL_SINGULAR.get(lv, lv)) for c, n, lv in found], "error": error,
        "error_title": bool(error), "n_matched": len(matched) or len(found), "postcode": postcode,
        **_find_context()}, status=400 if error else 200)


def _code_outside_atlas(code: str) -> str:
    """The finder's message for a code the atlas has no profile for."""
    other = sel_places.place_outside_atlas(code=code)
    if other is None:
        return f"No place has the code \u201c{code}\u201d: check the code, or type the place's name or a postcode"
    name, level = other
    kind = "an English region" if level == "region" else "a kind of place"
    return (f"{name} ({code}) is {kind} the atlas has no profile for: type a Combined Authority, ITL3 area or "
            "local authority district in it, or a postcode")


def _unknown_area(request: HttpRequest, code: str) -> HttpResponse:
    """404 for an unknown code in a URL: say so, list names that contain it, and offer the finder."""
    matched = sel_places.places_match(text=code)
    return render(request, "atlas/find.html", {
        "query": code, "found": [(c, n, LEVEL_SINGULAR.get(lv, lv)) for c, n, lv in matched[:FIND_LIMIT]],
        "n_matched": len(matched),
        "not_found": f"No area in the atlas has the code \u201c{code}\u201d.", **_find_context()}, status=404)


def _place_choices(places: list[tuple[str, str, str]]) -> list[tuple[str, str, str, str]]:
    """(code, name, level label, search key) for the place boxes' suggestions: the key is the name
    spelled the search's way (``name_key``), so the browser suggests what the server would find."""
    return [(c, n, LEVEL_SINGULAR.get(lv, lv), name_key(n)) for c, n, lv in places]


def _find_context() -> dict:
    """The place picker shared by the map page and the search results."""
    return {"places": _place_choices(sel_places.place_options()),
            "cas": sel.areas_at(level="ca")}


@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    if repeated := repeated_param(request.GET):  # the API's rule: one of the values would be dropped unsaid
        return JsonResponse({"detail": repeated}, status=400)
    measure, level = request.GET.get("measure") or DEFAULT_MEASURE, request.GET.get("level") or "itl3"
    try:
        problems, year = _map_query_check(measure=measure, level=level, year=request.GET.get("year"))
        if problems:
            return JsonResponse({"detail": " ".join(str(exc) for _f, _m, exc in problems)}, status=400)
        data = map_data_get(measure=measure, level=level, year=year)
    except NoAtlasError as exc:
        return JsonResponse({"detail": str(exc)}, status=503)
    except AtlasNotFoundError as exc:
        return JsonResponse({"detail": str(exc)}, status=404)
    return JsonResponse(map_json(data))


@lru_cache(maxsize=8)
def _boundaries(level: str, stamp: int) -> bytes:
    from locus.geography.models import Area

    features = [{"type": "Feature", "id": i, "properties": {"code": code, "name": name},
                 "geometry": json.loads(boundary)}
                for i, (code, name, boundary) in enumerate(Area.objects.filter(level=level).exclude(boundary="")
                                                           .order_by("code").values_list("code", "name", "boundary"))]
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()


@lru_cache(maxsize=2)
def _outline(stamp: int) -> bytes:
    """The UK's four nations, simplified to about 1 km and without islets under about 10 km², drawn grey beneath a
    map of areas that do not cover the country (Combined Authorities) so that they are seen in place (~64 KB)."""
    import shapely
    from shapely.geometry import MultiPolygon, mapping, shape

    from locus.geography.models import Area

    features = []
    for code, name, boundary in (Area.objects.filter(level="nation").exclude(boundary="").order_by("code")
                                 .values_list("code", "name", "boundary")):
        geom = shape(json.loads(boundary))
        parts = [p for p in getattr(geom, "geoms", [geom]) if p.area >= 0.002]
        simple = shapely.set_precision(MultiPolygon(parts).simplify(0.01, preserve_topology=True), 0.001)
        features.append({"type": "Feature", "properties": {"code": code, "name": name}, "geometry": mapping(simple)})
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()


@require_GET
def outline(request: HttpRequest) -> HttpResponse:
    from locus.geography.models import LoadRecord

    stamp = LoadRecord.objects.filter(dataset="geography").values_list("id", flat=True).first() or 0
    response = HttpResponse(_outline(stamp), content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def boundaries(request: HttpRequest, level: str) -> HttpResponse:
    if level not in MAP_LEVELS:
        raise Http404(f"No boundaries for level {level!r}.")
    from locus.geography.models import LoadRecord

    stamp = LoadRecord.objects.filter(dataset="geography").values_list("id", flat=True).first() or 0
    response = HttpResponse(_boundaries(level, stamp), content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _profile_context(profile, **extra) -> dict:
    level = profile.area.level
    singular = LEVEL_SINGULAR.get(level, level)
    return {"p": profile, "level_singular": singular, "level_title": singular[:1].upper() + singular[1:],
            "level_plural": LEVEL_PLURAL.get(level, level), "stage_titles": STAGE_TITLES,
            "value_text": value_text, "unit_words": unit_words, "method_words": sel.method_words, "formats": FORMATS,
            "neighbour_words": NEIGHBOUR_VARIABLES.get(level, NEIGHBOUR_VARIABLES[""]),
            "site_sources": {"university": HE_SOURCE, "makerspace": MAKERSPACE_SOURCE},
            "specialisation_source": sel.source_citation(sel.input_sources(ids=SPECIALISATION_INPUT)),
            "specialisation_caution": sel.source_caution(source_id=SPECIALISATION_INPUT), **extra}


@require_GET
def area_profile(request: HttpRequest, code: str) -> HttpResponse:
    try:
        profile = profile_get(code=code)
    except NoAtlasError as exc:
        return _no_atlas(request, exc)
    except AtlasNotFoundError:
        return _unknown_area(request, code)
    return render(request, "atlas/area.html", _profile_context(
        profile, charts=profile_charts(profile, narrow=True), pdf=False,
        pack_label=pack_link_label(code=profile.area.code, build=profile.build)))


@require_GET
def evidence_pack(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    try:
        profile = profile_get(code=code)
    except NoAtlasError as exc:
        return _no_atlas(request, exc)
    except AtlasNotFoundError as exc:
        raise Http404(str(exc)) from None
    # the page also carries the phone drawings (shown below the tablet breakpoint); the PDF only the wide ones
    charts = profile_charts(profile, with_maps=True, narrow=fmt == "html")
    today = time.strftime("%-d %B %Y")
    context = _profile_context(profile, charts=charts, pdf=fmt == "pdf", pack=True,
                               generated=today if fmt == "html" else GENERATED_MARK)
    if fmt == "html":
        return render(request, "atlas/pack.html", context)
    html = render(request, "atlas/pack.html", context).content.decode("utf-8")
    try:
        pdf, _hit = pack_pdf_cached(code=profile.area.code, build=profile.build, html=html,
                                    base_url=request.build_absolute_uri("/"), generated=today,
                                    budget=pdf_budget(request, kind="atlas-pack"))
    except RenderRefused as exc:
        return pdf_refused_page(request, exc, what="evidence pack",
                                online_url=reverse("atlas:pack", args=[profile.area.code, "html"]))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="locus-evidence-pack-{profile.area.code}.pdf"'
    return response


PICK_SLOTS = 4


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    raw = request.GET.getlist("areas")
    try:
        choices = sel.area_choices()
        places = sel_places.place_options()
    except NoAtlasError as exc:
        return _no_atlas(request, exc)
    ca_codes = {c for c, label in choices if label.endswith("(CA)")}
    context = {"ca_choices": [(c, label.replace(" (CA)", "")) for c, label in choices if label.endswith("(CA)")],
               "selected": [], "errors": [], "cmp": None, "max_areas": MAX_AREAS, "value_text": value_text,
               "stages": [(s, STAGE_TITLES[s]) for s in STAGE_IDS], "level_plural": LEVEL_PLURAL,
               "places": _place_choices(places), "picks": [""] * PICK_SLOTS, "field_errors": {}}
    if "areas" in request.GET:  # the form was submitted (even empty)
        codes, errors = compare_picks_check(values=raw)
        context["selected"] = codes
        if errors:
            boxes = [i for i, v in enumerate(raw) if v.strip() and v not in ca_codes]  # refilled in order
            # a typed place's error is at its box (pick-N), the others at the tick boxes; the summary in page order
            slot = [0 if i is None else boxes.index(i) + 1 for i, _e in errors]
            ordered = sorted(((n, f"pick-{n}" if n else "areas", e) for n, (_i, e) in zip(slot, errors, strict=True)),
                             key=lambda t: t[0])
            field_errors: dict[str, list[str]] = {}
            for _n, name, message in ordered:
                field_errors.setdefault(name, []).append(message)
            # GOV.UK: a summary link about tick boxes goes to the first tick box, which takes the focus
            first_tick = f"area-{context['ca_choices'][0][0]}" if context["ca_choices"] else "pick-1"
            context.update(errors=[(first_tick if name == "areas" else name, e) for _n, name, e in ordered],
                           field_errors=field_errors,
                           error_title=True, picks=_slots([raw[i] for i in boxes]))
            return render(request, "atlas/compare.html", context, status=400)
        labels = {c: f"{n} ({LEVEL_SINGULAR.get(lv, lv)}, {c})" for c, n, lv in places}
        cmp = compare_get(codes=codes)
        context.update(cmp=cmp, cited={ind.id: sel.indicator_provenance(ind) for ind, _y, _c in cmp.rows},
                       area_names=cmp.labels, chart=compare_chart(cmp), stages=[(s, STAGE_TITLES[s]) for s in cmp.stage_ids],
                       share_query=urlencode({"areas": ",".join(codes)}),
                       picks=_slots([labels.get(c, c) for c in codes if c not in ca_codes]))
    return render(request, "atlas/compare.html", context)


def _slots(values: list[str]) -> list[str]:
    return values + [""] * max(PICK_SLOTS - len(values), 0)


def _download_refused(request: HttpRequest, error: AtlasQueryError) -> HttpResponse:
    """400 for a download whose query parameter is not valid, the message starting with its name as
    in the API: a page for a browser, JSON ``detail`` (as ``map-data.json`` answers) for anything else."""
    if "text/html" in request.headers.get("Accept", ""):
        return render(request, "atlas/download_error.html", {"param": error.param, "message": str(error)},
                      status=400)
    return JsonResponse({"detail": str(error)}, status=400)


@require_GET
def download(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    if repeated := repeated_param(request.GET, hints={"areas": "give one comma-separated list of area codes"}):
        param, _, message = repeated.partition(": ")
        return _download_refused(request, AtlasQueryError(param, message))
    try:
        dl = download_get(table=table, params=request.GET.dict())
        geometry = point_geometry if dl.geometry == "point" else (
            area_geometry_lookup({r.get("area_code") for r in dl.rows}) if dl.geometry == "area" else None)
        body = download_bytes(dl, fmt, geometry_of=geometry)
    except NoAtlasError as exc:
        return _no_atlas(request, exc)
    except AtlasQueryError as exc:
        return _download_refused(request, exc)
    except AtlasNotFoundError as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="locus-{dl.name}.{fmt}"'
    return response


@require_GET
def bulk(request: HttpRequest) -> HttpResponse:
    try:
        build = sel.build_live_get()
        path = bulk_zip_path(snapshot_dir=Path(build.snapshot_dir), checksum=build.checksum, manifest=build.manifest)
    except NoAtlasError as exc:
        return _no_atlas(request, exc)
    except AtlasNotFoundError as exc:
        raise Http404(str(exc)) from None
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name, content_type="application/zip")


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    try:
        build = sel.build_live_get()
    except NoAtlasError as exc:
        return JsonResponse({"detail": str(exc)}, status=503)
    return JsonResponse({"live_build": {"checksum": build.checksum, "loaded_at": build.loaded_at.isoformat(),
                                        "rows": build.rows}, "manifest": build.manifest})


@require_GET
def downloads_index(request: HttpRequest) -> HttpResponse:
    try:
        build = sel.build_live_get()
    except NoAtlasError as exc:
        return _no_atlas(request, exc)
    return render(request, "atlas/downloads.html", {"build": build, "tables": DOWNLOADS, "params": DOWNLOAD_PARAMS,
                                                    "formats": FORMATS,
                                                    "cas": sel.areas_at(level="ca")})


@require_GET
def methodology(request: HttpRequest) -> HttpResponse:
    html, toc = markdown_html(ATLAS_METHODOLOGY)
    return render(request, "atlas/methodology.html", {"body": html, "toc": toc})


__all__ = ["atlas_map", "map_data", "boundaries", "area_profile", "evidence_pack", "compare", "download", "bulk",
           "manifest", "downloads_index", "methodology"]
