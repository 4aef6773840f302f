"""Build the atlas database: raw inputs, then every model in order, each followed by its checks."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from locus.errors import PipelineError
from locus.pipeline import geometry
from locus.pipeline.catalogue import INDICATORS
from locus.pipeline.checks import CheckResult, checks_run
from locus.pipeline.models import MODELS, checks_spec
from locus.pipeline.readers import raw_load_all, source_path
from locus.pipeline.sources import MEASURES, defect_rows, source_get

Progress = Callable[[str], None] | None


@dataclass
class BuiltDatabase:
    """An in-memory DuckDB holding every model, with what was checked and how long it took."""

    con: duckdb.DuckDBPyConnection
    raw_rows: dict[str, int]
    model_rows: dict[str, int] = field(default_factory=dict)
    checks: list[CheckResult] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def duckdb_connect(*, threads: int = 1) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that never downloads or autoloads extensions."""
    con = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                             "autoload_known_extensions": False,
                                             "threads": threads})
    con.execute("SET preserve_insertion_order = true; SET enable_progress_bar = false")
    return con


def _register_catalogue(con: duckdb.DuckDBPyConnection) -> None:
    """Measures and indicators computed by the SQL models (``catalogue_*``), and the indicators
    that sources publish per area and the build passes through (``catalogue_given``), and the years
    an indicator's input covers only in part (``catalogue_partial_years``: published, not scored)."""
    measures = [m for m in MEASURES if m.geo_kind != "given"]
    con.register("_m", pa.table({
        "measure_id": [m.id for m in measures],
        "aggregation": [m.aggregation for m in measures],
        "absent_means_zero": [m.absent_means_zero for m in measures],
        "geo_kind": [m.geo_kind for m in measures],
        "min_areas_per_year": [m.min_areas_per_year for m in measures],
        "min_year_share": [m.min_year_share for m in measures],
        "max_year_ratio": pa.array([m.max_year_ratio for m in measures], pa.float64()),
        "apportion_by": [m.apportion_by for m in measures],
    }))
    con.execute("CREATE TABLE catalogue_measures AS SELECT * FROM _m")
    computed = [i for i in INDICATORS if not i.is_given]
    con.register("_i", pa.table({
        "indicator_id": [i.id for i in computed],
        "denominator": pa.array([i.denominator for i in computed], pa.string()),
        "scale": [float(i.scale) for i in computed],
    }))
    con.execute("CREATE TABLE catalogue_indicators AS SELECT * FROM _i")
    terms = [(i.id, m, len(i.numerator)) for i in computed for m in i.numerator]
    con.register("_t", pa.table({"indicator_id": [t[0] for t in terms], "measure_id": [t[1] for t in terms],
                                 "n_terms": [t[2] for t in terms]}))
    con.execute("CREATE TABLE catalogue_indicator_terms AS SELECT * FROM _t")
    partial = [(i.id, year) for i in computed for year in i.partial_years]  # years an input covers in part
    con.register("_p", pa.table({"indicator_id": pa.array([p[0] for p in partial], pa.string()),
                                 "year": pa.array([p[1] for p in partial], pa.int64())}))
    con.execute("CREATE TABLE catalogue_partial_years AS SELECT * FROM _p")
    defects = defect_rows()  # rows of a source known to be wrong: published, flagged, never scored
    con.register("_d", pa.table({"measure_id": pa.array([d[0] for d in defects], pa.string()),
                                 "year": pa.array([d[1] for d in defects], pa.int32()),
                                 "geo_code": pa.array([d[2] for d in defects], pa.string())}))
    con.execute("CREATE TABLE catalogue_source_defects AS SELECT * FROM _d")
    given = [i for i in INDICATORS if i.is_given]
    con.register("_g", pa.table({"indicator_id": [i.id for i in given],
                                 "levels": [",".join(i.levels) for i in given]}))
    con.execute("CREATE TABLE catalogue_given AS SELECT * FROM _g")
    for name in ("_m", "_i", "_t", "_p", "_d", "_g"):
        con.unregister(name)


def _python_model(con: duckdb.DuckDBPyConnection, name: str, data_dir: Path) -> None:
    if name == "py_he_provider_lad":
        rows = con.execute("SELECT ukprn, longitude, latitude FROM stg_he_providers ORDER BY ukprn").fetchall()
        boundaries = source_path(data_dir=data_dir, source=source_get(source_id="geo_lad23_boundaries"))
        table = geometry.providers_to_lad(rows=rows, boundaries=boundaries)
        con.register("_p", table)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM _p")
        con.unregister("_p")
        return
    raise PipelineError(f"unknown python model {name}")


def model_run(*, con: duckdb.DuckDBPyConnection, name: str, data_dir: Path | None = None,
              spec: dict | None = None) -> list[CheckResult]:
    """Build one model into ``con`` and run its checks (tests run models on tiny fixtures)."""
    model = next((m for m in MODELS if m.name == name), None)
    if model is None:
        raise PipelineError(f"unknown model {name}")
    if model.kind == "python":
        _python_model(con, name, data_dir or Path("."))
    else:
        try:
            con.execute(f"CREATE OR REPLACE TABLE {name} AS {model.sql()}")
        except duckdb.Error as exc:
            raise PipelineError(f"model {name} failed: {exc}") from exc
    return checks_run(con=con, model=name, spec=(checks_spec() if spec is None else spec).get(name, {}))


def catalogue_register(con: duckdb.DuckDBPyConnection) -> None:
    """Load the measure and indicator catalogue into ``catalogue_*`` tables."""
    _register_catalogue(con)


def database_build(*, data_dir: Path, progress: Progress = None) -> BuiltDatabase:
    """Load the inputs and run every model with its checks; raise on the first problem."""
    say = progress or (lambda _msg: None)
    con = duckdb_connect()
    started = time.perf_counter()
    raw = raw_load_all(con, data_dir=data_dir)
    built = BuiltDatabase(con=con, raw_rows=raw, timings={"read_inputs": time.perf_counter() - started})
    say(f"read {len(raw)} raw tables ({sum(raw.values())} rows)")
    _register_catalogue(con)
    spec = checks_spec()
    for model in MODELS:
        t0 = time.perf_counter()
        built.checks += model_run(con=con, name=model.name, data_dir=data_dir, spec=spec)
        built.model_rows[model.name] = con.execute(f"SELECT count(*) FROM {model.name}").fetchall()[0][0]
        built.timings[model.name] = time.perf_counter() - t0
        say(f"{model.name}: {built.model_rows[model.name]} rows")
    return built
