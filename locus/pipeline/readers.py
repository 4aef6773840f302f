"""Read the catalogued input files into DuckDB ``raw_*`` tables.

CSV files are read by DuckDB with explicit column types and rejected rows captured, so that a
malformed value stops the build naming the file, line and field. Excel files are read with
python-calamine (no DuckDB extension) and handed to DuckDB as Arrow tables.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pyarrow as pa

from locus.errors import DataFileError
from locus.pipeline import excel
from locus.pipeline.sources import MEASURES, SOURCES, Source

_BEIS_TYPES = {"year": "INTEGER", "nuts_id": "VARCHAR", "nuts_year_spec": "INTEGER", "value": "DOUBLE"}
_BRES_TYPES = {"rowid": "INTEGER", "year": "INTEGER", "geo_type": "VARCHAR", "geo_nm": "VARCHAR",
               "geo_cd": "VARCHAR", "sic4": "VARCHAR", "value": "DOUBLE", "cluster_name": "VARCHAR"}


def source_path(*, data_dir: Path, source: Source) -> Path:
    """Absolute path of a catalogued file (geography files live beside ``data/atlas``)."""
    return (data_dir / source.path).resolve()


def _require_file(path: Path) -> None:
    if not path.is_file():
        raise DataFileError("input file is missing", path=str(path))
    if path.stat().st_size == 0:
        raise DataFileError("input file is empty", path=str(path), line=1)


def _header(path: Path) -> list[str]:
    opener = open
    if path.suffix == ".gz":
        import gzip

        opener = gzip.open  # type: ignore[assignment]
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        row = next(csv.reader(handle), None)
    if not row:
        raise DataFileError("missing header row", path=str(path), line=1)
    return row


def _check_header(path: Path, expected: tuple[str, ...] | list[str]) -> None:
    found = _header(path)
    if len(found) != len(expected):
        raise DataFileError(f"expected {len(expected)} columns {list(expected)}, found {found}",
                            path=str(path), line=1)
    for got, want in zip(found, expected, strict=True):
        if got.strip() != want:
            raise DataFileError(f"expected column {want!r}, found {got!r}", path=str(path), line=1,
                                field=want)


def _read_csv(con: duckdb.DuckDBPyConnection, *, path: Path, types: dict[str, str],
              table: str, select: str, value_field: str = "value") -> None:
    """Create ``table`` from a CSV with fixed types; raise on the first rejected row."""
    cols = ", ".join(f"'{k}': '{v}'" for k, v in types.items())
    con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _csv AS SELECT *, (row_number() OVER ()) + 1 AS line "
        f"FROM read_csv(?, header=true, auto_detect=false, delim=',', quote='\"', "
        f"columns={{{cols}}}, store_rejects=true, rejects_table='reject_errors', "
        f"rejects_scan='reject_scans', null_padding=false)", [str(path)])
    bad = con.execute("SELECT line, column_name, error_type, error_message FROM reject_errors "
                      "ORDER BY line, column_idx LIMIT 1").fetchall()
    if bad:
        line, column, kind, message = bad[0]
        field = value_field if column == "value" else column  # the value column as the file names it
        raise DataFileError(f"{kind.lower()}: {message}", path=str(path), line=int(line), field=field)
    con.execute(f"INSERT INTO {table} {select}")


# Values of the BEIS files are counts and money, never negative, except Nesta's economic complexity index
# (a z-score); only Eurostat's EPO patent file publishes blank values (14 rows: not available). Anything else
# is a broken row, named by file, line and field.
_BEIS_NEGATIVE_ALLOWED = frozenset({"beis_eci"})
_BEIS_BLANKS_PUBLISHED = frozenset({"beis_patents"})


def _load_beis(con: duckdb.DuckDBPyConnection, *, data_dir: Path) -> None:
    con.execute("CREATE TABLE raw_beis (source_id VARCHAR, measure_id VARCHAR, file VARCHAR, "
                "line INTEGER, year INTEGER, nuts_id VARCHAR, nuts_year_spec INTEGER, value DOUBLE)")
    by_source = {m.source_id: m.id for m in MEASURES}
    for source in SOURCES:
        if source.kind != "beis_csv":
            continue
        path = source_path(data_dir=data_dir, source=source)
        _require_file(path)
        header = _header(path)
        if header[:3] != ["year", "nuts_id", "nuts_year_spec"] or len(header) != 4:
            raise DataFileError(f"expected columns year,nuts_id,nuts_year_spec,<value>, found {header}",
                                path=str(path), line=1)
        value_column = Path(source.path).name.split(".")[0]  # each file names its value column after itself
        if header[3].strip() != value_column:
            raise DataFileError(f"expected the value column {value_column!r}, found {header[3]!r} (a different "
                                "file under this name?)", path=str(path), line=1, field=header[3])
        _read_csv(con, path=path, types=_BEIS_TYPES, table="raw_beis",
                  select=f"SELECT '{source.id}', '{by_source[source.id]}', '{source.path}', line, "
                         "year, trim(nuts_id), nuts_year_spec, value FROM _csv", value_field=value_column)
        bad_value = con.execute(
            "SELECT line, CASE WHEN value IS NULL THEN 'no value (blank)' WHEN NOT isfinite(value) THEN "
            "'not a finite number' ELSE 'a negative value' END FROM _csv "
            f"WHERE (value IS NULL AND NOT {source.id in _BEIS_BLANKS_PUBLISHED}) "
            "OR (value IS NOT NULL AND NOT isfinite(value)) "
            f"OR (value < 0 AND NOT {source.id in _BEIS_NEGATIVE_ALLOWED}) ORDER BY line LIMIT 1").fetchall()
        if bad_value:
            raise DataFileError(f"{bad_value[0][1]}, which this file never has", path=str(path),
                                line=int(bad_value[0][0]), field=value_column)
        bad = con.execute("SELECT line, nuts_id, year FROM _csv WHERE NOT regexp_full_match("
                          "trim(nuts_id), '^UK[A-NZ][0-9A-Z]{0,3}$') OR year NOT BETWEEN 1990 AND 2035 "
                          "OR nuts_year_spec NOT IN (2006, 2010, 2013, 2016) ORDER BY line LIMIT 1").fetchall()
        if bad:
            raise DataFileError(f"not a UK NUTS code, a NUTS vintage or a plausible year: {bad[0][1:]}",
                                path=str(path), line=int(bad[0][0]), field="nuts_id")


def _load_geo(con: duckdb.DuckDBPyConnection, *, data_dir: Path) -> None:
    for source in SOURCES:
        if source.kind not in ("geo_csv", "crosswalk"):
            continue
        path = source_path(data_dir=data_dir, source=source)
        _require_file(path)
        table = f"raw_{source.id}"
        if source.columns:
            _check_header(path, source.columns)
            types = {c: "VARCHAR" for c in source.columns}
            column_sql = ", ".join('"' + c + '" VARCHAR' for c in source.columns)
            con.execute(f"CREATE TABLE {table} ({column_sql}, line INTEGER)")
            _read_csv(con, path=path, types=types, table=table, select="SELECT * FROM _csv")
        else:
            header = [h.strip() for h in _header(path)]
            for needed in ("gss-code", "pop-2020", "area", "nice-name", "end-date"):
                if needed not in header:
                    raise DataFileError(f"missing column {needed!r}", path=str(path), line=1, field=needed)
            con.execute(f"CREATE TABLE {table} AS SELECT *, (row_number() OVER ()) + 1 AS line FROM "
                        "read_csv(?, header=true, all_varchar=true, auto_detect=true)", [str(path)])
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        if rows < source.min_rows:
            raise DataFileError(f"only {rows} data rows, expected at least {source.min_rows} "
                                "(truncated file?)", path=str(path), line=rows + 1)


def _load_bres(con: duckdb.DuckDBPyConnection, *, data_dir: Path) -> None:
    source = next(s for s in SOURCES if s.kind == "nomis_bres")
    path = source_path(data_dir=data_dir, source=source)
    _require_file(path)
    _check_header(path, source.columns)
    con.execute("CREATE TABLE raw_nomis_bres (line INTEGER, year INTEGER, geo_cd VARCHAR, "
                "sic4 VARCHAR, value DOUBLE, cluster_name VARCHAR)")
    _read_csv(con, path=path, types=_BRES_TYPES, table="raw_nomis_bres",
              select="SELECT line, year, geo_cd, sic4, value, cluster_name FROM _csv")


def _load_providers(con: duckdb.DuckDBPyConnection, *, data_dir: Path) -> None:
    source = next(s for s in SOURCES if s.kind == "providers")
    path = source_path(data_dir=data_dir, source=source)
    _require_file(path)
    header = [h.strip() for h in _header(path)]
    for needed in ("UKPRN", "PROVIDER_NAME", "LONGITUDE", "LATITUDE", "POSTCODE"):
        if needed not in header:
            raise DataFileError(f"missing column {needed!r}", path=str(path), line=1, field=needed)
    types = {h: "VARCHAR" for h in header}
    con.execute("CREATE TABLE raw_he_providers (ukprn VARCHAR, name VARCHAR, postcode VARCHAR, "
                "longitude DOUBLE, latitude DOUBLE, line INTEGER)")
    _read_csv(con, path=path, types=types, table="raw_he_providers",
              select='SELECT "UKPRN", "PROVIDER_NAME", "POSTCODE", TRY_CAST("LONGITUDE" AS DOUBLE), '
                     'TRY_CAST("LATITUDE" AS DOUBLE), line FROM _csv')


_NETWORK_TYPES = {"area_code": "VARCHAR", "area_level": "VARCHAR", "indicator": "VARCHAR", "value": "DOUBLE",
                  "numerator": "DOUBLE", "denominator": "DOUBLE", "unit": "VARCHAR", "dataset": "VARCHAR",
                  "vintage": "VARCHAR", "source": "VARCHAR"}


def _network_checks(indicators: dict[str, tuple[str, ...]]) -> list[tuple[str, str, str]]:
    """(field, condition a bad row meets, message) for the network indicator file."""
    known = ", ".join(f"'{i}'" for i in sorted(indicators))
    levels = sorted({lv for lvs in indicators.values() for lv in lvs})
    pairs = ", ".join(f"'{i}|{lv}'" for i, lvs in sorted(indicators.items()) for lv in lvs)
    return [
        ("area_code", "area_code IS NULL OR NOT regexp_full_match(trim(area_code), '[A-Z][A-Z0-9]{2,8}')",
         "missing or malformed area code"),
        ("area_level", f"area_level IS NULL OR trim(area_level) NOT IN ({', '.join(repr(v) for v in levels)})",
         f"area level must be one of {', '.join(levels)}"),
        ("indicator", f"indicator IS NULL OR trim(indicator) NOT IN ({known})",
         "indicator not in the atlas catalogue (locus/pipeline/catalogue.py)"),
        ("area_level", f"trim(indicator) || '|' || trim(area_level) NOT IN ({pairs})",
         "indicator not catalogued at this area level"),
        ("value", "value IS NULL OR NOT isfinite(value)", "missing value"),
        ("dataset", "dataset IS NULL OR trim(dataset) = ''", "missing dataset name"),
        ("vintage", "vintage IS NULL OR NOT regexp_full_match(trim(vintage), '(19|20)[0-9]{2}(-(19|20)[0-9]{2})?')",
         "vintage must be a year or a year range such as 2006-2016"),
    ]


def _load_network(con: duckdb.DuckDBPyConnection, *, data_dir: Path) -> None:
    """Indicators that a source publishes per area (the collaboration network export)."""
    from locus.pipeline.catalogue import INDICATORS

    con.execute("CREATE TABLE raw_network_indicators (file VARCHAR, line INTEGER, area_code VARCHAR, "
                "area_level VARCHAR, indicator VARCHAR, value DOUBLE, numerator DOUBLE, denominator DOUBLE, "
                "unit VARCHAR, dataset VARCHAR, vintage VARCHAR, source VARCHAR)")
    given = {i.id: i.levels for i in INDICATORS if i.is_given}
    for source in SOURCES:
        if source.kind != "network_csv":
            continue
        path = source_path(data_dir=data_dir, source=source)
        _require_file(path)
        _check_header(path, source.columns)
        _read_csv(con, path=path, types=_NETWORK_TYPES, table="raw_network_indicators",
                  select=f"SELECT '{source.path}', line, {', '.join(_NETWORK_TYPES)} FROM _csv")
        for field, condition, message in _network_checks(given):
            bad = con.execute(f"SELECT line, {field} FROM _csv WHERE {condition} ORDER BY line LIMIT 1").fetchall()
            if bad:
                raise DataFileError(f"{message} (found {bad[0][1]!r})", path=str(path), line=int(bad[0][0]),
                                    field=field)


def raw_load_all(con: duckdb.DuckDBPyConnection, *, data_dir: Path) -> dict[str, int]:
    """Load every catalogued input into ``raw_*`` tables; return row counts per raw table."""
    _load_geo(con, data_dir=data_dir)
    _load_beis(con, data_dir=data_dir)
    _load_bres(con, data_dir=data_dir)
    _load_providers(con, data_dir=data_dir)
    _load_network(con, data_dir=data_dir)
    for source in SOURCES:
        if source.kind in ("ons_bd", "ons_productivity", "ons_gva"):
            path = source_path(data_dir=data_dir, source=source)
            _require_file(path)
            tables: dict[str, pa.Table] = excel.read_source(kind=source.kind, path=path)
            for name, table in tables.items():
                con.register(f"_arrow_{name}", table)
                con.execute(f"CREATE TABLE raw_{name} AS SELECT * FROM _arrow_{name}")
                con.unregister(f"_arrow_{name}")
    con.execute("DROP TABLE IF EXISTS _csv")
    names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE "
                                       "table_name LIKE 'raw_%' ORDER BY 1").fetchall()]
    return {n: con.execute(f"SELECT count(*) FROM {n}").fetchall()[0][0] for n in names}
