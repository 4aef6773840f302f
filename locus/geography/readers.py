"""Strict readers for the bundled geography files: a bad row names file, line and field."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from locus.errors import DataFileError


def read_csv_rows(path: Path, *, required: tuple[str, ...],
                  may_be_empty: tuple[str, ...] = ()) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) from a CSV file.

    Every ``required`` column must be in the header and, unless listed in ``may_be_empty``,
    have a value on every row.
    """
    if not path.exists():
        raise DataFileError("file is missing", path=str(path))
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:  # pragma: no cover - permissions etc.
        raise DataFileError(f"cannot be read ({exc})", path=str(path)) from exc
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [name for name in required if name not in header]
        if missing:
            raise DataFileError(f"header lacks column(s) {', '.join(missing)}", path=str(path), line=1)
        for row in reader:
            line = reader.line_num
            if None in row or any(value is None for value in row.values()):
                raise DataFileError("row has the wrong number of fields", path=str(path), line=line)
            for name in required:
                if name not in may_be_empty and not row[name].strip():
                    raise DataFileError("value is empty", path=str(path), line=line, field=name)
            yield line, row


def parse_float(value: str, *, path: Path, line: int, field: str, minimum: float = 0.0) -> float:
    try:
        number = float(value)
    except ValueError:
        raise DataFileError(f"{value!r} is not a number", path=str(path), line=line,
                            field=field) from None
    if number < minimum:
        raise DataFileError(f"{number} is below {minimum}", path=str(path), line=line, field=field)
    return number


def read_geojson_features(path: Path, *, code_field: str) -> list[dict[str, Any]]:
    """Read a GeoJSON FeatureCollection; every feature must have a code and a polygon."""
    if not path.exists():
        raise DataFileError("file is missing", path=str(path))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise DataFileError(f"is not valid GeoJSON ({exc})", path=str(path), line=line) from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        raise DataFileError("has no features", path=str(path))
    for index, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        if not props.get(code_field):
            raise DataFileError(f"feature {index} has no code", path=str(path), field=code_field)
        geometry = feature.get("geometry") or {}
        if geometry.get("type") not in {"Polygon", "MultiPolygon"}:
            raise DataFileError(f"feature {index} ({props.get(code_field)}) is not a polygon",
                                path=str(path), field="geometry")
    return features
