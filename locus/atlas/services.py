"""Load a built atlas into the database: all or nothing.

``atlas_load`` reads and checks every table of a build (files present, SHA-256 and row counts as
the manifest says, required columns) before touching the database, copies the Parquet files to a
snapshot folder kept for downloads, then replaces every atlas table and marks the build live in
one transaction. A failure at any step leaves the previous atlas served.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
from django.conf import settings
from django.db import connection, transaction

from locus.atlas import models as m
from locus.atlas.packs import pack_cache_prune
from locus.errors import AtlasError, LocusError
from locus.pipeline.export import MANIFEST, manifest_read, sha256_file, table_read

log = logging.getLogger(__name__)
Say = Callable[[str], None]

REQUIRED: dict[str, tuple[str, ...]] = {
    "areas": ("code", "name", "level", "parent_code", "itl1_code", "nation_code", "ca_code",
              "share_in_ca", "population_2020", "land_hectares", "pop_estimated"),
    "indicators": ("indicator_id", "title", "definition", "unit", "numerator", "denominator", "scale",
                   "direction", "stage", "source", "publisher", "licence", "vintage",
                   "native_geography", "levels"),
    "indicator_values": ("indicator_id", "area_code", "level", "year", "value", "numerator",
                         "denominator", "denominator_year", "method", "coverage"),
    "indicator_scores": ("indicator_id", "level", "area_code", "year", "normalised"),
    "stage_scores": ("area_code", "level", "stage", "year", "score", "trend", "n_indicators",
                     "n_stage_indicators", "indicators", "data_year_min", "data_year_max", "is_latest"),
    "neighbours": ("area_code", "level", "neighbour_code", "rank", "distance", "source"),
    "weak_links": ("area_code", "level", "stage", "year", "expected", "actual", "gap", "lo", "hi",
                   "is_weak", "is_strong", "predictors", "neighbour_codes"),
    "opportunities": ("scope", "rank", "area_code", "area_name", "level", "stage", "priority",
                      "reason", "numbers"),
    "specialisation": ("area_code", "level", "year", "source", "sector", "value", "share", "lq",
                       "is_specialised", "method"),
    "complexity": ("area_code", "level", "year", "source", "eci", "diversity"),
}

# the build's flags on indicator values that are published but never scored (optional: older builds lack them)
FLAGS = ("partial_year", "source_defect")


@dataclass(frozen=True)
class AtlasBundle:
    """A build read from disk and checked: its manifest, checksum and tables."""

    atlas_dir: Path
    manifest: dict
    checksum: str
    tables: dict[str, pa.Table]


def atlas_bundle_read(*, atlas_dir: Path) -> AtlasBundle:
    """Read and check every table of a build; raise AtlasError naming what is wrong."""
    atlas_dir = Path(atlas_dir)
    try:
        manifest = manifest_read(atlas_dir=atlas_dir)
    except (LocusError, ValueError) as exc:
        raise AtlasError(f"cannot load the atlas from {atlas_dir}: {exc}") from exc
    listed = manifest.get("tables") or {}
    tables = {}
    for name, columns in REQUIRED.items():
        meta = listed.get(name)
        path = atlas_dir / f"{name}.parquet"
        if meta is None or not path.is_file():
            raise AtlasError(f"the build in {atlas_dir} has no table {name!r}; rebuild with `locus build`")
        if meta.get("sha256") and sha256_file(path) != meta["sha256"]:
            raise AtlasError(f"{path} does not match its checksum in {MANIFEST} (changed or truncated)")
        try:
            table = table_read(atlas_dir=atlas_dir, table=name)
        except (LocusError, OSError, pa.ArrowException) as exc:
            raise AtlasError(f"cannot read {path}: {exc}") from exc
        missing = [c for c in columns if c not in table.column_names]
        if missing:
            raise AtlasError(f"{path} lacks column(s) {', '.join(missing)}")
        if "rows" in meta and meta["rows"] != table.num_rows:
            raise AtlasError(f"{path} has {table.num_rows} rows; the manifest says {meta['rows']}")
        tables[name] = table
    checksum = hashlib.sha256((atlas_dir / MANIFEST).read_bytes()).hexdigest()
    return AtlasBundle(atlas_dir, manifest, checksum, tables)


def _column(table: pa.Table, name: str) -> list:
    """One column as Python values: NaN becomes None, and a missing text ''."""
    values = table.column(name).to_pylist()
    kind = table.schema.field(name).type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return ["" if v is None else v for v in values]
    if pa.types.is_floating(kind):
        return [None if v is None or not math.isfinite(v) else v for v in values]
    return values


@dataclass(frozen=True)
class TableRows:
    """Rows ready to insert into one model's table: target columns and one tuple per row."""

    model: type
    columns: tuple[str, ...]
    rows: list[tuple]


PLAIN = {  # table -> model (same column names)
    "stage_scores": m.StageScore, "neighbours": m.Neighbour, "weak_links": m.WeakLink,
    "specialisation": m.Specialisation, "complexity": m.Complexity,
}


def _plain(table: pa.Table, model: type, columns: tuple[str, ...], rename: dict | None = None) -> TableRows:
    rename = rename or {}
    cols = [_column(table, c) for c in columns]
    return TableRows(model, tuple(rename.get(c, c) for c in columns), list(zip(*cols, strict=True)))


def atlas_rows(*, bundle: AtlasBundle) -> dict[str, TableRows]:
    """Rows for every atlas table, checked for consistency (nothing is written)."""
    t = bundle.tables
    out: dict[str, TableRows] = {}
    ind = t["indicators"].append_column("order", pa.array(range(t["indicators"].num_rows), pa.int32()))
    out["indicators"] = _plain(ind, m.Indicator, REQUIRED["indicators"] + ("order",), {"indicator_id": "id"})
    known = set(out["indicators"].rows[i][0] for i in range(len(out["indicators"].rows)))
    unknown = set(t["indicator_values"].column("indicator_id").unique().to_pylist()) - known
    if unknown:
        raise AtlasError(f"indicator_values names indicators not in the catalogue: {sorted(unknown)}")
    out["areas"] = _plain(t["areas"], m.AtlasArea, REQUIRED["areas"],
                          {"population_2020": "population"})
    keys = ["indicator_id", "level", "area_code", "year"]
    values = t["indicator_values"].join(t["indicator_scores"].select(keys + ["normalised"]), keys=keys,
                                        join_type="left outer")
    for flag in FLAGS:  # a build made before a flag existed has none of its values flagged
        if flag not in values.column_names:
            values = values.append_column(flag, pa.array([False] * values.num_rows, pa.bool_()))
    out["indicator_values"] = _plain(values, m.IndicatorValue,
                                     REQUIRED["indicator_values"] + ("normalised", *FLAGS))
    for name, model in PLAIN.items():
        out[name] = _plain(t[name], model, REQUIRED[name])
    opp = _plain(t["opportunities"], m.Opportunity, REQUIRED["opportunities"])
    at = opp.columns.index("numbers")
    out["opportunities"] = TableRows(m.Opportunity, opp.columns, [
        row[:at] + (json.dumps(json.loads(row[at] or "{}")),) + row[at + 1:] for row in opp.rows])
    return out


ORDER = ("indicators", "areas", "indicator_values", "stage_scores", "neighbours", "weak_links",
         "opportunities", "specialisation", "complexity")


def _replace(rows: TableRows) -> None:
    """Delete every row of the model's table and insert the new rows (inside the caller's
    transaction): COPY on PostgreSQL, executemany elsewhere."""
    table = rows.model._meta.db_table
    fields = [rows.model._meta.get_field("indicator" if c == "indicator_id" else c).column
              for c in rows.columns]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {qn(table)}")
        if not rows.rows:
            return
        cols = ", ".join(qn(f) for f in fields)
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {qn(table)} ({cols}) FROM STDIN") as copy:
                for row in rows.rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {qn(table)} ({cols}) VALUES ({marks})", rows.rows)


def _snapshot(bundle: AtlasBundle, root: Path) -> Path:
    """Copy the build's files to ``root/<checksum>`` (kept for the bulk download)."""
    target = root / bundle.checksum[:16]
    if (target / MANIFEST).is_file():
        return target
    tmp = root / f".{bundle.checksum[:16]}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for path in sorted(bundle.atlas_dir.glob("*.parquet")) + [bundle.atlas_dir / MANIFEST]:
        shutil.copy2(path, tmp / path.name)
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    return target


def snapshot_root() -> Path:
    return Path(settings.LOCUS_DATA_DIR) / "atlas-loaded"


def atlas_load(*, atlas_dir: Path, say: Say = lambda _m: None) -> m.AtlasBuild:
    """Load the build in ``atlas_dir`` and make it the live atlas (all or nothing)."""
    started = time.perf_counter()
    say(f"Reading and checking the atlas build in {atlas_dir}")
    bundle = atlas_bundle_read(atlas_dir=atlas_dir)
    tables = atlas_rows(bundle=bundle)
    snapshot = _snapshot(bundle, snapshot_root())
    say("Writing the atlas tables")
    try:
        with transaction.atomic():
            for name in ORDER:
                _replace(tables[name])
            m.AtlasBuild.objects.filter(is_live=True).update(is_live=False)
            build = m.AtlasBuild.objects.create(
                checksum=bundle.checksum, code_version=str(bundle.manifest.get("code_version", "")),
                built_at=str(bundle.manifest.get("created_at", "")), source_dir=str(bundle.atlas_dir),
                snapshot_dir=str(snapshot), manifest=bundle.manifest,
                rows={name: len(tables[name].rows) for name in ORDER},
                load_seconds=round(time.perf_counter() - started, 3), is_live=True)
            transaction.on_commit(_caches_clear)
            transaction.on_commit(lambda: pack_cache_prune(build=build))  # the earlier builds' evidence packs
    except BaseException:
        if not m.AtlasBuild.objects.filter(snapshot_dir=str(snapshot)).exists():
            shutil.rmtree(snapshot, ignore_errors=True)
        raise
    log.info("Loaded atlas build %s in %.1f s", bundle.checksum[:12], build.load_seconds)
    return build


def _caches_clear() -> None:
    from locus.atlas.selectors import cache_clear

    cache_clear()


def atlas_live_checksum() -> str | None:
    return m.AtlasBuild.objects.filter(is_live=True).values_list("checksum", flat=True).first()
