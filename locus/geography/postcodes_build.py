"""Build the compact postcode table (``data/geography/postcodes.parquet``).

Django-free. Two source formats, detected per CSV file by its header:

* ``Postcode,lat,long`` (the bundled ONS NSPL May 2025 extract, odileeds/Postcodes2LatLon):
  no LAD and no termination date, so the LAD is assigned by point in polygon
  against the LAD December 2023 boundaries and ``terminated`` is unknown (null);
* a full ONS NSPL CSV (``pcds``, ``doterm``, ``lat``, ``long``, ``laua``, ...):
  ``terminated`` comes from ``doterm`` and the LAD from ``laua`` (lad_method 3).

The output is written to a temporary file and renamed over ``out`` only when
complete, so a failed build leaves any previous table untouched. Nothing
time-dependent is written: two builds from the same inputs give identical bytes.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from locus.errors import DataFileError, PostcodeError
from locus.geography.postcodes import (
    COORD_SCALE,
    LAD_METHODS,
    TABLE_FORMAT,
    normalise_postcode,
    postcode_area,
)

ProgressFn = Callable[[str, int, int], None]

DEFAULT_SOURCE = ("ONS National Statistics Postcode Lookup (NSPL) May 2025, latitude/longitude "
                  "extract by odileeds/Postcodes2LatLon")
DEFAULT_VINTAGE = "NSPL May 2025"
LICENCE = ("Open Government Licence v3.0 (ONS postcode products). ONS excludes Northern Ireland "
           "(BT) postcode data from the OGL: it is free for non-commercial and internal business "
           "use under the ONS Northern Ireland End User Licence; other commercial use needs a "
           "licence from Land & Property Services (NI).")
ATTRIBUTION = ("Contains OS data (c) Crown copyright and database right 2025; contains Royal Mail "
               "data (c) Royal Mail copyright and database right 2025; source: Office for "
               "National Statistics licensed under the Open Government Licence v3.0")
BOUNDARIES_DESCRIPTION = ("ONS Local Authority Districts (December 2023) Boundaries UK BUC "
                          "(ultra generalised, 500 m), OGL v3.0")
METHOD_DESCRIPTION = ("LAD by point in polygon (shapely STRtree, predicate 'within'); points "
                      "outside every polygon get the nearest polygon if it is within {m} m "
                      "(British National Grid distance), else none. Full NSPL input: LAD from "
                      "'laua'.")
COASTAL_DISTANCE_M = 2000.0
ZSTD_LEVEL = 12
CHUNK = 250_000
LAT_RANGE = (49.0, 61.5)  # Scilly and Channel Islands to Shetland
LON_RANGE = (-9.0, 2.5)  # west of Fermanagh to east of Lowestoft
MISSING = np.iinfo(np.int32).min
NSPL_COLUMNS = ("pcds", "doterm", "lat", "long", "laua")
SIMPLE_COLUMNS = ("postcode", "lat", "long")
LEGACY_RE = re.compile(r"NPT[0-9][A-Z]{2}")  # pre-1984 Newport outward code kept in NSPL
DOTERM_RE = re.compile(r"[0-9]{6}")
LAD_CODE_RE = re.compile(r"[EWSN][0-9]{8}")
PSEUDO_LAD_RE = re.compile(r"[A-Z]99999999")  # Channel Islands / Isle of Man pseudo-codes


@dataclass(frozen=True)
class BuildStats:
    """What a build produced. ``none`` includes ``no_location``."""

    out: Path
    rows: int
    files: int
    areas: int
    within: int
    nearest: int
    none: int
    no_location: int
    from_source: int
    terminated: int | None
    skipped_legacy: int
    bytes: int
    seconds: float


@dataclass(frozen=True)
class LadBoundaries:
    codes: list[str]
    names: list[str]
    geoms: np.ndarray  # shapely geometries, WGS84, in code order


@dataclass
class _Rows:
    postcode: list[str] = field(default_factory=list)
    lat: list[int] = field(default_factory=list)
    lon: list[int] = field(default_factory=list)
    terminated: list[int] = field(default_factory=list)  # -1 unknown, 0, 1
    lad: list[str | None] = field(default_factory=list)  # NSPL laua
    nspl: list[bool] = field(default_factory=list)
    file: list[int] = field(default_factory=list)
    line: list[int] = field(default_factory=list)
    skipped_legacy: int = 0

    def add(self, postcode: str, lat: int, lon: int, terminated: int, lad: str | None,
            nspl: bool, file_no: int, line: int) -> None:
        for column, value in ((self.postcode, postcode), (self.lat, lat), (self.lon, lon),
                              (self.terminated, terminated), (self.lad, lad),
                              (self.nspl, nspl), (self.file, file_no), (self.line, line)):
            column.append(value)


def load_lad_boundaries(path: Path) -> LadBoundaries:
    """LAD polygons from a WGS84 GeoJSON with LAD??CD / LAD??NM properties, sorted by code."""
    import shapely

    try:
        features = json.loads(Path(path).read_text(encoding="utf-8"))["features"]
        props = features[0]["properties"]
        code_key = next(k for k in props if re.fullmatch(r"LAD\d\dCD", k))
        name_key = code_key[:-2] + "NM"
    except (OSError, ValueError, KeyError, IndexError, StopIteration) as exc:
        raise DataFileError(f"not a LAD boundary GeoJSON ({exc!r})", path=str(path)) from exc
    features = sorted(features, key=lambda f: f["properties"][code_key])
    geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in features])
    geoms = np.where(shapely.is_valid(geoms), geoms, shapely.make_valid(geoms))
    return LadBoundaries(codes=[f["properties"][code_key] for f in features],
                         names=[f["properties"].get(name_key) or "" for f in features],
                         geoms=geoms)


def assign_lads(*, lon: np.ndarray, lat: np.ndarray, lads: LadBoundaries,
                progress: ProgressFn | None = None) -> tuple[np.ndarray, np.ndarray]:
    """LAD index (int16, -1 none) and lad_method (int8: 0 within, 1 nearest, 2 none) per point.

    NaN coordinates mean no location. A point inside several (overlapping
    generalised) polygons gets the lowest code; ties for nearest likewise.
    """
    import shapely

    n = len(lon)
    lad = np.full(n, -1, dtype=np.int16)
    located = np.flatnonzero(~(np.isnan(lon) | np.isnan(lat)))
    tree = shapely.STRtree(lads.geoms)
    for start in range(0, len(located), CHUNK):
        rows = located[start:start + CHUNK]
        pairs = tree.query(shapely.points(lon[rows], lat[rows]), predicate="within")
        _first_match(lad, rows, pairs)
        if progress:
            progress("assign", min(start + CHUNK, len(located)), len(located))
    method = np.where(lad >= 0, 0, 2).astype(np.int8)
    outside = located[lad[located] < 0]
    if len(outside):
        from pyproj import Transformer

        bng = Transformer.from_crs(4326, 27700, always_xy=True)
        project = lambda xy: np.column_stack(bng.transform(xy[:, 0], xy[:, 1]))  # noqa: E731
        tree_bng = shapely.STRtree(shapely.transform(lads.geoms, project))
        points = shapely.transform(shapely.points(lon[outside], lat[outside]), project)
        pairs = tree_bng.query_nearest(points, max_distance=COASTAL_DISTANCE_M, all_matches=True)
        _first_match(lad, outside, pairs)
        method[outside[lad[outside] >= 0]] = 1
    return lad, method


def _first_match(lad: np.ndarray, rows: np.ndarray, pairs: np.ndarray) -> None:
    """Set lad[rows[i]] to the lowest tree index paired with input i."""
    if pairs.shape[1] == 0:
        return
    order = np.lexsort((pairs[1], pairs[0]))
    inputs, trees = pairs[0][order], pairs[1][order]
    first = np.r_[True, inputs[1:] != inputs[:-1]]
    lad[rows[inputs[first]]] = trees[first]


def _coord(text: str, name: str, bounds: tuple[float, float], where: dict) -> int:
    try:
        value = float(text)
    except ValueError:
        raise DataFileError(f"{text!r} is not a number", field=name, **where) from None
    if not bounds[0] <= value <= bounds[1]:
        raise DataFileError(f"{value} is outside the UK range {bounds[0]} to {bounds[1]}",
                            field=name, **where)
    return round(value * COORD_SCALE)


def _postcode(text: str, name: str, rows: _Rows, where: dict) -> str | None:
    try:
        return normalise_postcode(text)
    except PostcodeError as exc:
        if LEGACY_RE.fullmatch("".join(text.split()).upper()):
            rows.skipped_legacy += 1
            return None
        raise DataFileError(str(exc), field=name, **where) from None


def _simple_row(row: list[str], rows: _Rows, file_no: int, where: dict) -> None:
    if len(row) != 3:
        raise DataFileError(f"expected 3 fields (Postcode,lat,long), found {len(row)}", **where)
    postcode = _postcode(row[0], "Postcode", rows, where)
    if postcode is None:
        return
    lat_text, lon_text = row[1].strip(), row[2].strip()
    if not lat_text:  # the extract marks "no grid reference" as an empty lat and long 0
        if lon_text and _coord(lon_text, "long", LON_RANGE, where) != 0:
            raise DataFileError("longitude given without a latitude", field="lat", **where)
        lat, lon = MISSING, MISSING
    else:
        lat = _coord(lat_text, "lat", LAT_RANGE, where)
        lon = _coord(lon_text, "long", LON_RANGE, where)
    rows.add(postcode, lat, lon, -1, None, False, file_no, where["line"])


def _nspl_row(row: list[str], cols: dict[str, int], width: int, rows: _Rows, file_no: int,
              where: dict) -> None:
    if len(row) != width:
        raise DataFileError(f"expected {width} fields, found {len(row)}", **where)
    postcode = _postcode(row[cols["pcds"]], "pcds", rows, where)
    if postcode is None:
        return
    lat_text, lon_text = row[cols["lat"]].strip(), row[cols["long"]].strip()
    if not lat_text or lat_text.startswith("99.9"):  # NSPL: 99.999999 = no grid reference
        lat, lon = MISSING, MISSING
    else:
        lat = _coord(lat_text, "lat", LAT_RANGE, where)
        lon = _coord(lon_text, "long", LON_RANGE, where)
    doterm = row[cols["doterm"]].strip()
    if doterm and not DOTERM_RE.fullmatch(doterm):
        raise DataFileError(f"{doterm!r} is not a YYYYMM date", field="doterm", **where)
    laua = row[cols["laua"]].strip().upper()
    if laua and not (LAD_CODE_RE.fullmatch(laua) or PSEUDO_LAD_RE.fullmatch(laua)):
        raise DataFileError(f"{laua!r} is not a LAD GSS code", field="laua", **where)
    lad = None if not laua or PSEUDO_LAD_RE.fullmatch(laua) else laua
    rows.add(postcode, lat, lon, 1 if doterm else 0, lad, True, file_no, where["line"])


def _read_file(path: Path, file_no: int, rows: _Rows) -> None:
    import csv

    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            header = [h.strip().lower() for h in next(reader)]
            if set(NSPL_COLUMNS) <= set(header):
                cols = {name: header.index(name) for name in NSPL_COLUMNS}
                for row in reader:
                    _nspl_row(row, cols, len(header), rows, file_no,
                              {"path": str(path), "line": reader.line_num})
            elif tuple(header) == SIMPLE_COLUMNS:
                for row in reader:
                    _simple_row(row, rows, file_no, {"path": str(path), "line": reader.line_num})
            else:
                raise DataFileError("unrecognised header: expected 'Postcode,lat,long' or an "
                                    f"ONS NSPL header with {', '.join(NSPL_COLUMNS)}",
                                    path=str(path), line=1)
        except StopIteration:
            raise DataFileError("empty file: no header row", path=str(path), line=1) from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise DataFileError(f"unreadable CSV ({exc})", path=str(path),
                                line=reader.line_num) from exc


def _source_files(source_dir: Path) -> list[Path]:
    source_dir = Path(source_dir)
    files = [source_dir] if source_dir.is_file() else sorted(source_dir.glob("*.csv"))
    if not files:
        raise DataFileError("no postcode CSV files found", path=str(source_dir))
    return files


def _sorted_columns(rows: _Rows, files: list[Path],
                    exclude: Collection[str]) -> dict[str, np.ndarray]:
    """Columns as arrays sorted by postcode, without excluded areas; duplicates stop the build."""
    keys = np.array(rows.postcode, dtype="S8")
    order = np.argsort(keys, kind="stable")
    if exclude:
        keep = np.array([postcode_area(rows.postcode[i]) not in exclude for i in order], bool)
        order = order[keep]
    keys = keys[order]
    dup = np.flatnonzero(keys[1:] == keys[:-1])
    if len(dup):
        first, again = order[dup[0]], order[dup[0] + 1]
        raise DataFileError(
            f"duplicate postcode {rows.postcode[again]!r} (first at file "
            f"{files[rows.file[first]]} line {rows.line[first]})",
            path=str(files[rows.file[again]]), line=rows.line[again], field="postcode")
    cols = {"postcode": keys, "lat": np.array(rows.lat, dtype=np.int32)[order],
            "lon": np.array(rows.lon, dtype=np.int32)[order],
            "terminated": np.array(rows.terminated, dtype=np.int8)[order],
            "nspl": np.array(rows.nspl, dtype=bool)[order]}
    cols["nspl_lad"] = np.array(rows.lad, dtype=object)[order]
    return cols


def _lad_columns(cols: dict[str, np.ndarray], lads: LadBoundaries,
                 progress: ProgressFn | None) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """(lad index, lad_method, dictionary codes, dictionary names) for the sorted rows."""
    extra = sorted(set(c for c in cols["nspl_lad"][cols["nspl"]] if c) - set(lads.codes))
    codes = sorted(lads.codes + extra)
    name_of = dict(zip(lads.codes, lads.names, strict=True))
    lookup = {code: i for i, code in enumerate(codes)}
    remap = np.array([lookup[c] for c in lads.codes], dtype=np.int16)
    located = cols["lat"] != MISSING
    lon = np.where(located, cols["lon"] / COORD_SCALE, np.nan)
    lat = np.where(located, cols["lat"] / COORD_SCALE, np.nan)
    pip = ~cols["nspl"]
    lad = np.full(len(lat), -1, dtype=np.int16)
    method = np.full(len(lat), 2, dtype=np.int8)
    if pip.any():
        idx, how = assign_lads(lon=lon[pip], lat=lat[pip], lads=lads, progress=progress)
        lad[pip] = np.where(idx >= 0, remap[np.maximum(idx, 0)], -1)
        method[pip] = how
    for row in np.flatnonzero(cols["nspl"]):
        code = cols["nspl_lad"][row]
        if code:
            lad[row], method[row] = lookup[code], 3
    return lad, method, codes, [name_of.get(c, "") for c in codes]


def _area_spans(keys: np.ndarray) -> list[tuple[str, int, int]]:
    areas = [postcode_area(k.decode()) for k in keys]
    spans: list[tuple[str, int, int]] = []
    for i, area in enumerate(areas):
        if not spans or spans[-1][0] != area:
            spans.append((area, i, i + 1))
        else:
            spans[-1] = (area, spans[-1][1], i + 1)
    names = [s[0] for s in spans]
    if names != sorted(set(names)):  # cannot happen for valid postcodes; guards the layout
        raise RuntimeError("postcode areas are not contiguous after sorting")
    return spans


def _write(out: Path, table, spans: list[tuple[str, int, int]],
           progress: ProgressFn | None) -> None:
    """Write one row group per area to a temp file, then atomically replace ``out``."""
    import pyarrow.parquet as pq

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with pq.ParquetWriter(
            tmp, table.schema, compression="zstd", compression_level=ZSTD_LEVEL,
            use_dictionary=["lad", "lad_method", "terminated"],
            column_encoding={"postcode": "DELTA_BYTE_ARRAY", "lat": "DELTA_BINARY_PACKED",
                             "lon": "DELTA_BINARY_PACKED"},
        ) as writer:
            for done, (_, start, stop) in enumerate(spans, start=1):
                writer.write_table(table.slice(start, stop - start), row_group_size=stop - start)
                if progress:
                    progress("write", done, len(spans))
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def _table(cols: dict[str, np.ndarray], lad: np.ndarray, method: np.ndarray, meta: dict):
    import pyarrow as pa

    def masked(values: np.ndarray, missing: int, type_) -> pa.Array:
        return pa.array(values, type=type_, mask=values == missing)

    term = cols["terminated"]
    schema = pa.schema([("postcode", pa.string()), ("lat", pa.int32()), ("lon", pa.int32()),
                        ("lad", pa.int16()), ("lad_method", pa.int8()),
                        ("terminated", pa.bool_())],
                       metadata={k: json.dumps(v) if not isinstance(v, str) else v
                                 for k, v in meta.items()})
    return pa.Table.from_arrays([
        pa.array(cols["postcode"].astype(str), type=pa.string()),
        masked(cols["lat"], MISSING, pa.int32()), masked(cols["lon"], MISSING, pa.int32()),
        masked(lad, -1, pa.int16()), pa.array(method, type=pa.int8()),
        pa.array(term == 1, type=pa.bool_(), mask=term < 0),
    ], schema=schema)


def build_postcode_table(*, source_dir: Path, boundaries: Path, out: Path,
                         progress: ProgressFn | None = None, source: str = DEFAULT_SOURCE,
                         vintage: str = DEFAULT_VINTAGE,
                         exclude_areas: Collection[str] = ()) -> BuildStats:
    """Read every postcode CSV in ``source_dir`` (or one CSV file), assign LADs, write ``out``.

    A malformed row raises DataFileError naming the file, line and field; ``out``
    is then left as it was. ``progress(step, done, total)`` is called with steps
    "read" (files), "assign" (points) and "write" (row groups). ``source`` and
    ``vintage`` describe the input (defaults: the bundled NSPL May 2025 extract);
    ``exclude_areas`` drops whole postcode areas (e.g. ``{"BT"}``, see LICENCE).
    """
    started = time.perf_counter()
    out = Path(out)
    files = _source_files(source_dir)
    rows = _Rows()
    for file_no, path in enumerate(files):
        _read_file(path, file_no, rows)
        if progress:
            progress("read", file_no + 1, len(files))
    cols = _sorted_columns(rows, files, frozenset(exclude_areas))
    lad, method, codes, names = _lad_columns(cols, load_lad_boundaries(boundaries), progress)
    spans = _area_spans(cols["postcode"])
    counts = {LAD_METHODS[m]: int((method == m).sum()) for m in LAD_METHODS}
    no_location = int((cols["lat"] == MISSING).sum())
    terminated = int((cols["terminated"] == 1).sum()) if cols["nspl"].any() else None
    meta = {
        "locus.format": TABLE_FORMAT, "locus.source": source, "locus.vintage": vintage,
        "locus.licence": LICENCE, "locus.attribution": ATTRIBUTION,
        "locus.lad_boundaries": BOUNDARIES_DESCRIPTION,
        "locus.lad_method_description": METHOD_DESCRIPTION.format(m=int(COASTAL_DISTANCE_M)),
        "locus.coord_scale": str(COORD_SCALE),
        "locus.lad_methods": {str(k): v for k, v in LAD_METHODS.items()},
        "locus.areas": {area: i for i, (area, _, _) in enumerate(spans)},
        "locus.lad_codes": codes, "locus.lad_names": names,
        "locus.counts": {"rows": len(method), "no_location": no_location,
                         "terminated": terminated, "skipped_legacy": rows.skipped_legacy,
                         **counts},
    }
    _write(out, _table(cols, lad, method, meta), spans, progress)
    stats = BuildStats(out=out, rows=len(method), files=len(files), areas=len(spans),
                       within=counts["within"], nearest=counts["nearest"], none=counts["none"],
                       no_location=no_location, from_source=counts["source"],
                       terminated=terminated, skipped_legacy=rows.skipped_legacy,
                       bytes=out.stat().st_size, seconds=round(time.perf_counter() - started, 2))
    return stats

