"""Places: search by name, code or postcode, and one page per area."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from locus.errors import GeographyError, PostcodeError
from locus.geography import selectors
from locus.geography.forms import parse_place_query
from locus.geography.geocoding import postcode_place_get
from locus.geography.models import Area, Level
from locus.geography.profile_sections import sections_for
from locus.geography.sources import geo_source
from locus.geography.svg import outline_svg
from locus.web.format import in_sentence

LEVEL_TITLES = {"nation": "Nations", "region": "English regions", "itl1": "ITL1 regions", "itl2": "ITL2 regions",
                "itl3": "ITL3 areas", "ca": "Combined Authorities", "lad": "Local authority districts"}


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = parse_place_query(request.GET.get("q"))
    level = request.GET.get("level") or None
    context: dict = {"query": query.text, "level": level, "levels": Level.choices, "results": None,
                     "error": None, "postcode": None}
    if level and level not in Level.values:  # said at "Browse by level", not silently dropped; every level is searched
        context["level_error"] = _level_error(level)
        context["level"] = level = None
    if query.kind == "code" and context.get("level_error"):
        _results(context, selectors.area_search(query=query.text, level=None, limit=None))
    elif query.kind == "code":
        if Area.objects.filter(code=query.text).exists():
            return redirect("geography:area", code=query.text)
        context["error"] = f"No area has the code {query.text}. Check the code, or search by name."
    elif query.kind == "postcode":
        try:
            context["postcode"] = postcode_place_get(text=query.text)
        except PostcodeError as exc:
            context["error"] = str(exc)
    elif query.kind == "name":
        _results(context, selectors.area_search(query=query.text, level=level, limit=None))
    else:
        _results(context, selectors.area_search(level=level or Level.CA, limit=None))
        context["browse"] = LEVEL_TITLES[level or Level.CA]
    # bad input re-renders with its error, a 400 like the atlas's finder
    return render(request, "geography/search.html", context,
                  status=400 if context["error"] or context.get("level_error") else 200)


def _level_error(level: str) -> str:
    """The message for a ``level`` that is not one, naming the values it takes."""
    values = list(Level.values)
    return (f"\u201c{level[:30]}\u201d is not a level: choose one under \u201cBrowse by level\u201d (in a web "
            f"address, level is one of {', '.join(values[:-1])} or {values[-1]})")


def _results(context: dict, found: list[Area]) -> None:
    """The first SEARCH_LIMIT places, and how many matched in all (the page says when it shows fewer)."""
    context["results"], context["n_matched"] = found[:selectors.SEARCH_LIMIT], len(found)


def _area_or_404(code: str) -> Area:
    try:
        return selectors.area_get(code=code)
    except GeographyError as exc:
        raise Http404(str(exc)) from None


@require_GET
def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = _area_or_404(code)
    members = selectors.area_members(area=area)
    member_geoms = [(m.area.boundary, "member") for m in members if len(members) <= 60]
    context = {
        "area": area,
        "ancestors": selectors.area_ancestors(area=area),
        "memberships": selectors.area_memberships(area=area),
        "members": members,
        "children": selectors.area_children(area=area),
        "neighbours": selectors.area_neighbours(area=area),
        "outline": outline_svg(layers=[(area.boundary, "area"), *member_geoms],
                               title=f"Outline of {area.name}"),
        "pop_source": geo_source("mysociety"),
        "area_source": geo_source("sam"),
        "boundary_source": geo_source("lad_boundaries"),
        "profile_sections": sections_for(area),
        "level_plural": in_sentence(LEVEL_TITLES.get(area.level, area.get_level_display())),
    }
    return render(request, "geography/area.html", context)


@require_GET
def area_boundary(request: HttpRequest, code: str) -> HttpResponse:
    """GeoJSON FeatureCollection: the area, then its member LADs (if any)."""
    area = _area_or_404(code)
    return HttpResponse(json.dumps(boundary_collection(area=area)), content_type="application/geo+json")


def boundary_collection(*, area: Area, with_members: bool = True) -> dict:
    features = [_feature(area, role="area")]
    if with_members:
        features += [_feature(m.area, role="member") for m in selectors.area_members(area=area)]
    return {"type": "FeatureCollection", "features": features,
            "bbox": area.bbox, "attribution": geo_source("lad_boundaries").attribution}


def _feature(area: Area, *, role: str) -> dict:
    return {"type": "Feature", "id": area.code,
            "properties": {"code": area.code, "name": area.name, "level": area.level, "role": role},
            "geometry": json.loads(area.boundary) if area.boundary else None}
