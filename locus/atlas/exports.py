"""Downloads: any atlas table as CSV, XLSX or GeoJSON (with provenance), and the whole atlas as
one zip with its manifest. Writers are plain functions over a ``Download`` (rows of dicts)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from openpyxl import Workbook

from locus.atlas.errors import AtlasNotFoundError
from locus.file_cache import cached_file
from locus.pipeline.export import MANIFEST, TABLE_DOCS

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "geojson": "application/geo+json"}
PROVENANCE_COLUMNS = ("source", "vintage", "licence")
ATTRIBUTION = ("Contains data from the Office for National Statistics (OGL v3.0), HESA (CC BY 4.0), UKRI and "
               "Innovate UK (OGL v3.0), Eurostat and the European Commission CORDIS (CC BY 4.0), REF 2014, and "
               "mySociety (CC BY 4.0); indicators processed by Nesta (nestauk/beis-indicators, MIT). Boundaries: "
               "ONS, contains OS data (c) Crown copyright and database right. Scores, neighbours, weak links and "
               "opportunities: Locus atlas (MIT).")


@dataclass
class Download:
    """A table to download: its rows (dicts with the same keys), their provenance and geometry kind."""

    name: str
    title: str
    columns: list[str]
    rows: list[dict]
    provenance: dict
    geometry: str = "area"  # area (by area_code) | point (lat/lon) | none
    about: dict = field(default_factory=dict)

    def with_provenance(self) -> tuple[list[str], list[dict]]:
        cols = self.columns + [c for c in PROVENANCE_COLUMNS if c not in self.columns]
        rows = [{**{c: self.provenance.get(c, "") for c in PROVENANCE_COLUMNS}, **r} for r in self.rows]
        return cols, rows


def csv_bytes(download: Download) -> bytes:
    cols, rows = download.with_provenance()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(download: Download) -> bytes:
    cols, rows = download.with_provenance()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(cols)
    for row in rows:
        sheet.append([row.get(c) if not isinstance(row.get(c), (list, dict)) else json.dumps(row.get(c))
                      for c in cols])
    about = book.create_sheet("about")
    for key, value in [("table", download.title), *download.provenance.items(), *download.about.items(),
                       ("attribution", ATTRIBUTION)]:
        if not isinstance(value, (list, dict)):  # an indicator's inputs one by one: "cited" says them in words
            about.append([key, str(value)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def geojson_bytes(download: Download, *, geometry_of) -> bytes:
    """FeatureCollection; ``geometry_of(row)`` returns a GeoJSON geometry dict or None."""
    cols, rows = download.with_provenance()
    features = [{"type": "Feature", "geometry": geometry_of(r), "properties": {c: r.get(c) for c in cols}}
                for r in rows]
    return json.dumps({"type": "FeatureCollection", "name": download.name, "provenance": download.provenance,
                       "attribution": ATTRIBUTION, "features": features}, default=str).encode("utf-8")


def download_bytes(download: Download, fmt: str, *, geometry_of=None) -> bytes:
    if fmt == "csv":
        return csv_bytes(download)
    if fmt == "xlsx":
        return xlsx_bytes(download)
    if fmt == "geojson":
        if download.geometry == "none" or geometry_of is None:
            raise AtlasNotFoundError(f"The {download.title} table has no geography: download CSV or XLSX.")
        return geojson_bytes(download, geometry_of=geometry_of)
    raise AtlasNotFoundError(f"Unknown format {fmt!r}: use csv, xlsx or geojson.")


README = """Locus atlas: bulk download
==========================

Build {checksum} created {created}; code version {code_version}.

Every table of the build is here twice: as Parquet (exact types) and as CSV (UTF-8).
manifest.json records the SHA-256 checksum, licence, vintage and URL of every input file, the
row counts and checks of the build, and its parameters. The methodology is in
docs/methodology/atlas.md of the Locus repository (also at /atlas/methodology/ on the site).

Tables
------
{tables}

Attribution
-----------
{attribution}
"""


def bulk_zip_path(*, snapshot_dir: Path, checksum: str, manifest: dict) -> Path:
    """Write (once: 1-2 s) and return the zip of every table of a build with its manifest, kept beside the
    build's snapshot. Written under a lock to a temporary file renamed into place (``file_cache``), so two
    first requests make one zip and neither reads a half-written one; a damaged zip is made again."""
    target = snapshot_dir / f"locus-atlas-{checksum[:12]}.zip"
    if zip_valid(target):
        return target
    if not (snapshot_dir / MANIFEST).is_file():
        raise AtlasNotFoundError("The files of the live atlas build are missing: reload it with `locus load --force`.")

    def write(out) -> None:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            tables = []
            for path in sorted(snapshot_dir.glob("*.parquet")):
                zf.write(path, f"parquet/{path.name}", compress_type=zipfile.ZIP_STORED)
                buffer = io.BytesIO()
                pacsv.write_csv(pq.read_table(path), buffer)
                zf.writestr(f"csv/{path.stem}.csv", buffer.getvalue())
                tables.append(f"- {path.stem}: {TABLE_DOCS.get(path.stem, '')}")
            zf.write(snapshot_dir / MANIFEST, MANIFEST)
            zf.writestr("README.txt", README.format(checksum=checksum[:12], created=manifest.get("created_at", ""),
                                                    code_version=manifest.get("code_version", ""),
                                                    tables="\n".join(tables), attribution=ATTRIBUTION))

    return cached_file(target, write=write, valid=zip_valid)[0]


def zip_valid(path: Path) -> bool:
    """A zip whose directory at the end can be read (a truncated or emptied file cannot)."""
    try:
        return path.is_file() and zipfile.is_zipfile(path)
    except OSError:
        return False
