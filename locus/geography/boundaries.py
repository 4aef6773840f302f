"""Dissolve LAD polygons into every other level, and find neighbouring areas."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import shapely
from pyproj import Transformer
from shapely import STRtree, make_valid, union_all
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from locus.geography.build import AreaRecord, GeographyBuild
from locus.geography.readers import read_geojson_features

NEIGHBOUR_BUFFER_DEGREES = 0.002  # about 150-200 m: closes slivers between generalised outlines
APPROXIMATE_NOTE = (
    "Approximate boundary: ITL3 divides {lads} along LAU1 lines and no LAU1 boundaries are "
    "bundled, so the whole council area is drawn. Figures use the LAU1 shares."
)


def _lau_geometries(data_dir: Path) -> dict[str, BaseGeometry]:
    """2021 LAD polygons (British National Grid) reprojected to WGS84, by code."""
    to_wgs84 = Transformer.from_crs(27700, 4326, always_xy=True)
    features = read_geojson_features(data_dir / "lad_2021_buc_bng.geojson", code_field="LAD21CD")
    result = {}
    for feature in features:
        geom = make_valid(shape(feature["geometry"]))
        result[feature["properties"]["LAD21CD"]] = shapely.transform(
            geom, lambda xy: _project(to_wgs84, xy))
    return result


def _project(transformer: Transformer, coords):
    import numpy as np

    x, y = transformer.transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def _itl3_geometries(build: GeographyBuild, lads: dict[str, AreaRecord],
                     data_dir: Path) -> dict[str, BaseGeometry]:
    pieces: dict[str, list[BaseGeometry]] = defaultdict(list)
    approximate: dict[str, list[str]] = defaultdict(list)
    lau = None
    for lad_code, by_itl3 in build.itl3_parts.items():
        if len(by_itl3) == 1:
            pieces[next(iter(by_itl3))].append(lads[lad_code].geometry)
            continue
        lau = lau if lau is not None else _lau_geometries(data_dir)
        for itl3, units in by_itl3.items():
            if all(unit in lau for unit in units):
                pieces[itl3].extend(lau[unit] for unit in units)
            else:
                pieces[itl3].append(lads[lad_code].geometry)
                approximate[itl3].append(lads[lad_code].name)
    for itl3, names in approximate.items():
        build.areas[itl3].boundary_note = APPROXIMATE_NOTE.format(lads=" and ".join(sorted(names)))
    return {code: union_all(geoms) for code, geoms in pieces.items()}


def dissolve_boundaries(build: GeographyBuild, lads: dict[str, AreaRecord], data_dir: Path) -> None:
    """Give every area a polygon dissolved from its LADs (ITL3 via LAU1 where it splits a LAD)."""
    members: dict[str, list[BaseGeometry]] = defaultdict(list)
    for lad in lads.values():
        members[lad.nation].append(lad.geometry)
        for parent in (lad.region, lad.ca):
            if parent:
                members[parent].append(lad.geometry)
    for code, geoms in members.items():
        build.areas[code].geometry = union_all(geoms)
    itl3 = _itl3_geometries(build, lads, data_dir)
    for code, geom in itl3.items():
        build.areas[code].geometry = geom
    for level, child_level in (("itl2", "itl3"), ("itl1", "itl2")):
        children: dict[str, list[BaseGeometry]] = defaultdict(list)
        for area in build.areas.values():
            if area.level == child_level:
                children[area.parent].append(area.geometry)
        for code, geoms in children.items():
            build.areas[code].geometry = union_all(geoms)
        for area in build.areas.values():
            if area.level == level and area.population_estimated and any(
                build.areas[c].boundary_note for c, a in build.areas.items()
                if a.level == child_level and a.parent == area.code
            ):
                area.boundary_note = "Approximate boundary: see the ITL3 areas within it."


def add_neighbours(build: GeographyBuild) -> None:
    """Areas of the same level whose outlines touch (within a small tolerance)."""
    by_level: dict[str, list[AreaRecord]] = defaultdict(list)
    for area in build.areas.values():
        if area.geometry is not None:
            by_level[area.level].append(area)
    pairs: set[tuple[str, str]] = set()
    for areas in by_level.values():
        geoms = [area.geometry for area in areas]
        tree = STRtree(geoms)
        for index, area in enumerate(areas):
            for other in tree.query(area.geometry.buffer(NEIGHBOUR_BUFFER_DEGREES),
                                    predicate="intersects"):
                if other != index:
                    pairs.add((area.code, areas[int(other)].code))
    build.neighbours = sorted(pairs)


def _round(coords, digits: int):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], digits), round(coords[1], digits)]
    return [_round(c, digits) for c in coords]


def geometry_to_geojson(geom: BaseGeometry, *, digits: int = 5) -> str:
    """Compact GeoJSON geometry text with coordinates rounded (5 decimals is about 1 m)."""
    data = mapping(geom)
    return json.dumps({"type": data["type"], "coordinates": _round(data["coordinates"], digits)},
                      separators=(",", ":"))
