"""Write and read atlas outputs: Parquet tables, manifest.json, CSV/Parquet/GeoJSON exports."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from locus.errors import PipelineError

MANIFEST = "manifest.json"
TABLE_DOCS: dict[str, str] = {
    "areas": "code, name, level (itl3|itl2|itl1|lad|ca|nation|uk), parent_code, itl1_code, nation_code, "
             "ca_code (CA holding most of the area's population), share_in_ca, population_2020, "
             "land_hectares, n_pieces, pop_estimated",
    "indicators": "the indicator catalogue (one row per indicator)",
    "indicator_values": "indicator_id, area_code, level, year, value, numerator, denominator, "
                        "denominator_year, method (exact|apportioned|structural_zero|weighted_mean), coverage",
    "indicator_scores": "indicator_id, level, area_code, year, value, normalised (0-1, RIS method)",
    "stage_scores": "area_code, level, stage, year, score (0-1), trend (points/year), n_indicators, "
                    "n_stage_indicators, indicators, data_year_min, data_year_max, is_latest",
    "neighbours": "area_code, level, neighbour_code, rank, distance, source (computed|override)",
    "weak_links": "area_code, level, stage, year, expected, actual, gap, lo, hi (95% bootstrap "
                  "interval), is_weak (hi < 0), is_strong (lo > 0), predictors, neighbour_codes",
    "opportunities": "scope (national|national_ca|CA code), rank, area_code, area_name, level, stage, "
                     "priority, reason (plain words), numbers (JSON)",
    "specialisation": "area_code, level, year, source (bres_employment|gva), sector, value, share, lq, "
                      "is_specialised (lq >= 1.25), method",
    "complexity": "area_code, level, year, source, eci (z-score), diversity (sectors with LQ >= 1)",
    "crosswalk_pieces": "piece_id (LAD23:ITL3), names, nation, lad_is_split, pop_2020, pop_method",
    "crosswalk_nuts": "nuts_code, nuts_level, piece_id, lad23_code, itl3_code, weight, piece_fraction, "
                      "relation, is_split",
    "unresolved_codes": "source area codes that could not be placed in 2021/2023 geography (dropped)",
}


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def parquet_write(*, table: pa.Table, path: Path) -> None:
    """Write one table deterministically (same content -> same bytes)."""
    pq.write_table(table, path, compression="zstd", use_dictionary=True, write_statistics=True,
                   row_group_size=1 << 20)


def outputs_write(*, tables: dict[str, pa.Table], manifest: dict, out_dir: Path) -> dict:
    """Write the tables and manifest into a fresh temporary directory beside ``out_dir`` and
    swap it into place; on any failure the previous ``out_dir`` is left unchanged."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.parent / f".{out_dir.name}.tmp-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        table_meta = {}
        for name in sorted(tables):
            path = tmp / f"{name}.parquet"
            parquet_write(table=tables[name], path=path)
            table_meta[name] = {"rows": tables[name].num_rows, "columns": tables[name].column_names,
                                "sha256": sha256_file(path), "doc": TABLE_DOCS.get(name, "")}
        manifest = {**manifest, "tables": table_meta}
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n",
                                    encoding="utf-8")
        _swap(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def _swap(tmp: Path, out_dir: Path) -> None:
    backup = None
    if out_dir.exists():
        backup = out_dir.parent / f".{out_dir.name}.old-{uuid.uuid4().hex[:8]}"
        os.rename(out_dir, backup)
    try:
        os.rename(tmp, out_dir)
    except OSError:
        if backup is not None:
            os.rename(backup, out_dir)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


def manifest_read(*, atlas_dir: Path) -> dict:
    """The manifest of a built atlas."""
    path = atlas_dir / MANIFEST
    if not path.is_file():
        raise PipelineError(f"no atlas built in {atlas_dir} (missing {MANIFEST}); run `locus build`")
    return json.loads(path.read_text(encoding="utf-8"))


def table_read(*, atlas_dir: Path, table: str) -> pa.Table:
    """One output table of a built atlas."""
    path = atlas_dir / f"{table}.parquet"
    if not path.is_file():
        known = sorted(p.stem for p in atlas_dir.glob("*.parquet"))
        if not known:
            raise PipelineError(f"no atlas build in {atlas_dir}: run `locus build` first")
        raise PipelineError(f"unknown table {table!r} in {atlas_dir}; tables: {', '.join(known)}")
    return pq.read_table(path)


METHODOLOGY = "docs/methodology/atlas.md"


def export_provenance(*, atlas_dir: Path, table: str) -> dict:
    """What an exported table is made from, as the build's manifest records it: every input's title,
    publisher, vintage, licence and address, the build's code version and date, the table's columns and
    the methodology. Per indicator, the ``indicators`` table gives each one's own sources and licence."""
    manifest = manifest_read(atlas_dir=atlas_dir)
    return {"table": table, "about": TABLE_DOCS.get(table, ""),
            "build": {"code_version": manifest.get("code_version"), "created_at": manifest.get("created_at")},
            "methodology": METHODOLOGY,
            "per_indicator": "the indicators table (locus atlas export indicators) gives each indicator's own "
                             "sources, publisher, vintage and licence",
            "sources": [{k: i.get(k) for k in ("id", "title", "publisher", "vintage", "licence", "url")}
                        for i in manifest.get("inputs", [])]}


def provenance_path(out: Path) -> Path:
    """The file beside a CSV export that holds its provenance: scores.csv -> scores.csv.provenance.json."""
    return out.with_name(out.name + ".provenance.json")


def table_export(*, atlas_dir: Path, table: str, fmt: str, out: Path) -> int:
    """Export one table to CSV or Parquet with its provenance (sources, vintages, licences): in the
    Parquet file's metadata (key ``locus_provenance``), or for a CSV in a JSON file beside it
    (``provenance_path``). Returns the number of rows written."""
    data = table_read(atlas_dir=atlas_dir, table=table)
    if fmt not in ("csv", "parquet"):
        raise PipelineError(f"unknown format {fmt!r}: use csv, parquet or geojson")
    provenance = json.dumps(export_provenance(atlas_dir=atlas_dir, table=table), indent=2, default=str)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        pacsv.write_csv(data, out)
        provenance_path(out).write_text(provenance + "\n", encoding="utf-8")
    else:
        metadata = {**(data.schema.metadata or {}), b"locus_provenance": provenance.encode("utf-8")}
        parquet_write(table=data.replace_schema_metadata(metadata), path=out)
    return data.num_rows


def geojson_export(*, table: pa.Table, geometry_provider: Callable[[str], dict | None], out: Path,
                   code_column: str = "area_code", provenance: dict | None = None) -> int:
    """Write a GeoJSON FeatureCollection: one feature per row whose code has a geometry
    (``geometry_provider(code)`` returns a GeoJSON geometry dict or None)."""
    features = []
    for row in table.to_pylist():
        geometry = geometry_provider(row[code_column])
        if geometry is None:
            continue
        features.append({"type": "Feature", "geometry": geometry, "properties": row})
    out.parent.mkdir(parents=True, exist_ok=True)
    collection = {"type": "FeatureCollection", "features": features}
    if provenance is not None:  # a foreign member (RFC 7946 section 6.1): readers keep or ignore it
        collection["provenance"] = provenance
    out.write_text(json.dumps(collection, default=str), encoding="utf-8")
    return len(features)
