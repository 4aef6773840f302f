"""Point-in-polygon assignment of HE providers to LAD 2023 (shapely, no DuckDB extension)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
from shapely import STRtree
from shapely.geometry import Point, shape

from locus.errors import DataFileError


def providers_to_lad(*, rows: list[tuple[str, float | None, float | None]], boundaries: Path) -> pa.Table:
    """Return (ukprn, lad23_code) for providers whose point lies in a LAD polygon."""
    try:
        features = json.loads(boundaries.read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError) as exc:
        raise DataFileError(f"cannot read boundaries ({exc})", path=str(boundaries)) from exc
    shapes, codes = [], []
    for feature in features:
        code = feature.get("properties", {}).get("LAD23CD")
        if not code:
            raise DataFileError("feature without LAD23CD", path=str(boundaries), field="LAD23CD")
        shapes.append(shape(feature["geometry"]))
        codes.append(code)
    tree = STRtree(shapes)
    out_ukprn, out_lad = [], []
    for ukprn, lon, lat in rows:
        if lon is None or lat is None:
            continue
        point = Point(lon, lat)
        hits = [i for i in tree.query(point) if shapes[i].covers(point)]
        if hits:
            out_ukprn.append(ukprn)
            out_lad.append(codes[min(hits)])
    return pa.table({"ukprn": pa.array(out_ukprn, pa.string()), "lad23_code": pa.array(out_lad, pa.string())})
