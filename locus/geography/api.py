"""Geography endpoints: areas, their boundaries and the postcode geocoder."""

from __future__ import annotations

import functools
import json
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from pydantic import WithJsonSchema

from locus.geography import selectors
from locus.geography.geocoding import postcode_place_get
from locus.geography.models import Area, Level
from locus.geography.sources import geo_source

router = Router(tags=["geography"])

ERRORS = ("Errors: 400 when a query parameter's value is not valid or a parameter is given twice (the "
          "`detail` starts with the parameter's name and `errors` names it in `field`); 404 when the path "
          "names an area that does not exist.")


def repeated_param(query, *, hints: dict[str, str] | None = None, keys=None) -> str:
    """'' or the 400 message for the first query parameter given more than once: only one of the
    values would be read, so the others would be dropped without a word. ``keys`` limits the check
    to the single-valued parameters where others may be lists. Every API's repeated-parameter
    rule (geography, atlas, peers, policy) is this one, so the messages read alike."""
    for key in (query if keys is None else keys):
        if (n := len(query.getlist(key))) > 1:
            return f"{key}: given {n} times; {(hints or {}).get(key, f'give {key} once')}."
    return ""


class ParameterProblem(Schema):
    field: str  # the query or path parameter, as the request names it
    message: str


class ParameterErrorOut(Schema):
    """A refused parameter, in the shape of the body validation errors: ``detail`` starts with the
    parameter's name and ``errors`` names it in ``field`` (a 400 from the API's validation carries
    pydantic's own keys in each error as well)."""
    detail: str
    errors: list[ParameterProblem]


def param_error(field: str, message: str) -> dict:
    """The 400 body for a query or path parameter that is refused: ``detail`` is "field: message" (what
    clients read before ``errors`` existed) and ``errors`` holds one {"field", "message"}, as the API's
    validation errors do. Every room's parameter refusals (geography, atlas, policy) use it."""
    return {"detail": f"{field}: {message}", "errors": [{"field": field, "message": message.rstrip(".")}]}


def repeated_param_error(query, *, hints: dict[str, str] | None = None, keys=None) -> dict | None:
    """None, or ``param_error`` for the first parameter given more than once (see ``repeated_param``)."""
    if detail := repeated_param(query, hints=hints, keys=keys):
        field, _, message = detail.partition(": ")
        return param_error(field, message)
    return None


def _single_valued(view):
    """A repeated query parameter is a 400 (see ``repeated_param``)."""
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if error := repeated_param_error(request.GET):
            return Status(400, error)
        return view(request, *args, **kwargs)
    wrapper.__doc__ = f"{(view.__doc__ or '').rstrip()}\n\n{ERRORS}"  # the OpenAPI description
    return wrapper


class GeoProvenance(Schema):
    source: str
    publisher: str
    vintage: str
    licence: str


class AreaRef(Schema):
    code: str
    name: str
    level: str


class AreaSummary(AreaRef):
    population: int | None
    land_km2: float | None


class AreaListItem(AreaSummary):
    provenance: dict[str, GeoProvenance] = Field(
        description="Where `population` and `land_km2` come from: `population` and `land_area`, each with "
                    "its source, publisher, vintage and licence (as on /areas/{code})")


class MemberOut(AreaRef):
    share: float
    split: bool


class AreaDetail(AreaSummary):
    population_estimated: bool
    density_per_km2: float | None
    parents: list[AreaRef]
    combined_authority: AreaRef | None
    region: AreaRef | None
    children: list[AreaRef]
    members: list[MemberOut]
    neighbours: list[AreaRef]
    bbox: list[float] | None
    boundary_note: str
    note: str
    provenance: dict[str, GeoProvenance]


class GeocodeOut(Schema):
    postcode: str
    lat: float
    lon: float
    lad: AreaRef | None
    itl3: AreaRef | None
    combined_authority: AreaRef | None
    region: AreaRef | None
    nation: AreaRef | None
    lad_method: str
    terminated: bool | None
    provenance: GeoProvenance


class ErrorOut(Schema):
    detail: str


class PostcodeErrorOut(ErrorOut):
    postcode: str
    reason: str  # malformed | unknown | no_location | not_bundled


class PostcodeRefusalOut(ParameterErrorOut):
    """A 400: a malformed postcode (with ``postcode`` and ``reason`` "malformed") or a parameter given twice."""
    postcode: str | None = None
    reason: str | None = None


def _ref(area: Area | None) -> dict | None:
    return None if area is None else {"code": area.code, "name": area.name, "level": area.level}


def _prov(key: str) -> dict:
    s = geo_source(key)
    return {"source": s.title, "publisher": s.publisher, "vintage": s.vintage, "licence": s.licence}


# The lookup that names each level's member districts: a boundary is the members' LAD polygons dissolved,
# so its vintage is the polygons' and the lookup's (an LAD is its own polygon).
MEMBERSHIP_SOURCE = {"ca": "ca_lookup", "region": "region_lookup", "itl1": "itl_lookup", "itl2": "itl_lookup",
                     "itl3": "itl_lookup"}


def _figure_provenance() -> dict:
    return {"population": _prov("mysociety"), "land_area": _prov("sam")}


def _boundary_provenance(area: Area) -> dict:
    out = {"boundary": _prov("lad_boundaries")}
    if key := MEMBERSHIP_SOURCE.get(area.level):
        out["membership"] = _prov(key)
    return out


def _summary(area: Area) -> dict:
    return {**_ref(area), "population": area.population,
            "land_km2": round(area.land_hectares / 100, 2) if area.land_hectares else None}


@router.get("/areas", response={200: list[AreaListItem], 400: ParameterErrorOut}, summary="Search or list areas")
@_single_valued
def areas_list(request: HttpRequest, level: Level | None = None, q: str = "", limit: int = Query(50, ge=1, le=500),
               offset: int = Query(0, ge=0, le=10_000)):
    """Areas by level (lad, itl3, itl2, itl1, ca, region, nation) and/or a name or code: every word of
    ``q`` must appear in the name or code, however the name is punctuated ("St Helens" finds
    "St. Helens", "City of Bristol" finds "Bristol, City of"). Without ``q``, by level and name. At most
    ``limit`` (1-500) areas after skipping ``offset`` (0-10,000), so all 621 areas come in two pages.
    Each area's ``provenance`` names the source, vintage and licence of its population and land area. An
    unknown ``level``, a ``limit`` outside 1-500 or an ``offset`` outside 0-10,000 is a 400 naming the
    parameter."""
    found = selectors.area_search(query=q, level=level, limit=offset + limit)[offset:]
    provenance = _figure_provenance()
    return [{**_summary(a), "provenance": provenance} for a in found]


@router.get("/areas/{code}", response={200: AreaDetail, 400: ParameterErrorOut, 404: ErrorOut}, summary="One area")
@_single_valued
def area_detail(request: HttpRequest, code: str):
    """An area with its parents, children, member districts and neighbours; an unknown code is a 404."""
    area = selectors.area_get(code=code)
    return {
        **_summary(area),
        "population_estimated": area.population_estimated,
        "density_per_km2": round(area.density_per_km2, 1) if area.density_per_km2 else None,
        "parents": [_ref(a) for a in selectors.area_ancestors(area=area)],
        "combined_authority": _ref(area.combined_authority),
        "region": _ref(area.region),
        "children": [_ref(a) for a in selectors.area_children(area=area)],
        "members": [{**_ref(m.area), "share": round(m.share, 4), "split": m.split}
                    for m in selectors.area_members(area=area)],
        "neighbours": [_ref(a) for a in selectors.area_neighbours(area=area)],
        "bbox": area.bbox, "boundary_note": area.boundary_note, "note": area.note,
        "provenance": {**_figure_provenance(), **_boundary_provenance(area)},
    }


GEOJSON_FEATURE = {"type": "object", "required": ["type", "id", "bbox", "properties", "geometry"],
                   "properties": {"type": {"const": "Feature"}, "id": {"type": "string"},
                                  "bbox": {"anyOf": [{"type": "array", "items": {"type": "number"}},
                                                     {"type": "null"}]},
                                  "properties": {"type": "object"},
                                  "geometry": {"anyOf": [{"type": "object"}, {"type": "null"}]}}}


@router.get("/areas/{code}/boundary", summary="Boundary as GeoJSON",
            response={200: None, 400: ParameterErrorOut, 404: ErrorOut},
            # the 200 is GeoJSON (RFC 7946's media type), not application/json
            openapi_extra={"responses": {200: {"description": "A GeoJSON Feature", "content": {
                "application/geo+json": {"schema": GEOJSON_FEATURE}}}}})
@_single_valued
def area_boundary(request: HttpRequest, code: str):
    """A GeoJSON Feature (WGS84) of the area's boundary, dissolved from ONS LAD polygons. Its properties
    give the polygons' ``vintage`` and ``provenance``: ``boundary`` (the LAD polygons) and, for a level made
    of member districts (ca, region, itl1-3), ``membership`` (the lookup that names them), each with its
    source, publisher, vintage and licence."""
    area = selectors.area_get(code=code)
    feature = {"type": "Feature", "id": area.code, "bbox": area.bbox,
               "properties": {**_ref(area), "boundary_note": area.boundary_note,
                              "attribution": geo_source("lad_boundaries").attribution,
                              "vintage": geo_source("lad_boundaries").vintage,
                              "provenance": _boundary_provenance(area)},
               "geometry": json.loads(area.boundary) if area.boundary else None}
    return HttpResponse(json.dumps(feature), content_type="application/geo+json")


# The postcodes normalise_postcode reads, as a JSON Schema pattern: the BS 7666 forms in either case, with
# spaces anywhere (it drops them); what else is sent is a 400 with reason "malformed".
POSTCODE_PATTERN = (r"^\s*(?:[Gg]\s*[Ii]\s*[Rr]\s*0\s*[Aa]\s*[Aa]|[A-Za-z]\s*(?:[A-Ha-hJ-Yj-y]\s*)?[0-9]\s*"
                    r"(?:[A-Za-z0-9]\s*)?[0-9]\s*[A-Za-z]\s*[A-Za-z])\s*$")
PostcodeText = Annotated[str, WithJsonSchema({"type": "string", "pattern": POSTCODE_PATTERN})]


@router.get("/geocode", response={200: GeocodeOut, 400: PostcodeRefusalOut, 404: PostcodeErrorOut, 422: PostcodeErrorOut},
            summary="Postcode to place")
@_single_valued
def geocode(request: HttpRequest, postcode: PostcodeText):
    """Normalise a UK postcode and return its location, district, ITL3, Combined Authority and region.
    A malformed ``postcode`` is a 400; a well-formed one that is not in the bundled table is a 404 (the
    postcode is what this address looks up), with ``reason`` saying which; a Northern Ireland postcode,
    which Locus does not bundle (a separate licence), is a 422 with ``reason`` ``not_bundled``."""
    place = postcode_place_get(text=postcode)
    loc = place.location
    return {"postcode": loc.postcode, "lat": loc.lat, "lon": loc.lon, "lad": _ref(place.lad),
            "itl3": _ref(place.itl3), "combined_authority": _ref(place.combined_authority),
            "region": _ref(place.region), "nation": _ref(place.nation),
            "lad_method": loc.lad_method, "terminated": loc.terminated,
            "provenance": _prov("postcodes")}
