"""Data checks run after every model; a failure stops the build with a clear message.

Each check counts offending rows in DuckDB and, when there are any, raises ``PipelineError``
naming the model, the check, the count and one example row (with its source file and line when
the model carries them).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from locus.errors import PipelineError


@dataclass(frozen=True)
class CheckResult:
    """One check that ran (for the manifest)."""

    model: str
    check: str
    passed: bool
    detail: str = ""


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]


def _example(con: duckdb.DuckDBPyConnection, table: str, where: str) -> str:
    cols = _columns(con, table)
    rows = con.execute(f"SELECT * FROM {table} WHERE {where} LIMIT 1").fetchall()
    if not rows:
        return ""
    row = rows[0]
    record = dict(zip(cols, row, strict=True))
    where_from = ""
    if "file" in record and "line" in record:
        where_from = f" (file {record['file']}, line {record['line']})"
    elif "line" in record:
        where_from = f" (line {record['line']})"
    shown = {k: v for k, v in record.items() if k not in ("file", "line")}
    return f"; e.g. {shown}{where_from}"


def _fail(model: str, check: str, count: int, example: str) -> None:
    raise PipelineError(f"check failed on model {model}: {check}: {count} offending row(s){example}")


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(con.execute(sql).fetchall()[0][0])


def _unique(con, model: str, cols: list[str]) -> None:
    key = ", ".join(cols)
    dup = _count(con, f"SELECT count(*) FROM (SELECT {key} FROM {model} GROUP BY {key} HAVING count(*) > 1)")
    if dup:
        cond = f"({key}) IN (SELECT ({key}) FROM {model} GROUP BY {key} HAVING count(*) > 1)"
        _fail(model, f"unique({key})", dup, _example(con, model, cond))


def _not_null(con, model: str, cols: list[str]) -> None:
    for col in cols:
        cond = f"{col} IS NULL"
        n = _count(con, f"SELECT count(*) FROM {model} WHERE {cond}")
        if n:
            _fail(model, f"not_null({col})", n, _example(con, model, cond))


def _accepted(con, model: str, spec: dict) -> None:
    for col, values in spec.items():
        listed = ", ".join(f"'{v}'" if isinstance(v, str) else str(v) for v in values)
        cond = f"{col} IS NOT NULL AND {col} NOT IN ({listed})"
        n = _count(con, f"SELECT count(*) FROM {model} WHERE {cond}")
        if n:
            _fail(model, f"accepted({col} in [{listed}])", n, _example(con, model, cond))


def _range(con, model: str, spec: dict) -> None:
    for col, (low, high) in spec.items():
        cond = f"{col} IS NOT NULL AND ({col} < {low} OR {col} > {high} OR isnan({col}))"
        n = _count(con, f"SELECT count(*) FROM {model} WHERE {cond}")
        if n:
            _fail(model, f"range({col} in [{low}, {high}])", n, _example(con, model, cond))


def _assert(con, model: str, spec: dict) -> None:
    for name, condition in spec.items():
        cond = f"NOT coalesce(({condition}), false)"
        n = _count(con, f"SELECT count(*) FROM {model} WHERE {cond}")
        if n:
            _fail(model, f"assert {name}: {condition}", n, _example(con, model, cond))


def _weights_sum(con, model: str, key: str) -> None:
    cond = f"{key} IN (SELECT {key} FROM {model} GROUP BY {key} HAVING abs(sum(weight) - 1) > 1e-6)"
    n = _count(con, f"SELECT count(DISTINCT {key}) FROM {model} WHERE {cond}")
    if n:
        _fail(model, f"weights of each {key} sum to 1", n, _example(con, model, cond))


def _coverage(con, model: str) -> None:
    """Every measure reaches its declared number of areas in its best year, every year between its
    first and last has rows, and no year falls below the declared share of the best year's areas
    (a truncated or partial source fails here)."""
    sql = (f"WITH y AS (SELECT measure_id, year, count(DISTINCT geo_code) AS n, min(file) AS file "
           f"FROM {model} GROUP BY ALL), s AS (SELECT y.*, max(n) OVER (PARTITION BY measure_id) AS best, "
           "min(year) OVER (PARTITION BY measure_id) AS y0, max(year) OVER (PARTITION BY measure_id) AS y1, "
           "count(*) OVER (PARTITION BY measure_id) AS n_years FROM y) "
           "SELECT s.measure_id, s.year, s.n, s.best, m.min_areas_per_year, m.min_year_share, s.file, "
           "s.y1 - s.y0 + 1 - s.n_years AS gaps FROM s JOIN catalogue_measures AS m USING (measure_id) "
           "WHERE s.n < m.min_year_share * s.best OR s.best < m.min_areas_per_year "
           "OR s.y1 - s.y0 + 1 <> s.n_years ORDER BY 1, 2")
    rows = con.execute(sql).fetchall()
    if rows:
        measure, year, n, best, needed, share, file, gaps = rows[0]
        if gaps:
            why = f"{gaps} year(s) missing between its first and last year"
        elif best < needed:
            why = f"at most {best} areas in any year, at least {needed} expected"
        else:
            why = f"{n} areas in {year}, below {share:.0%} of its best year ({best})"
        raise PipelineError(f"check failed on model {model}: coverage per year: measure {measure}: "
                            f"{why} (file {file}; truncated or partial source?)")
    missing = con.execute(f"SELECT m.measure_id FROM catalogue_measures AS m ANTI JOIN {model} AS r "
                          "USING (measure_id) ORDER BY 1").fetchall()
    if missing:
        raise PipelineError(f"check failed on model {model}: coverage: no rows at all for measure(s) "
                            f"{[m[0] for m in missing]}")


def _year_on_year(con, model: str, spec: dict) -> None:
    """A stock measure (``max_year_ratio`` in the catalogue: research income, research students) whose
    value in an area moves by more than that factor from one year to the next, where either year's value
    is at least ``min_share`` of the measure's total that year, is a broken row: fail naming the file,
    line, area and both values, unless the row is a declared defect of its source (catalogue_source_defects)."""
    min_share = float(spec.get("min_share", 0.005))
    sql = (f"WITH r AS (SELECT r.measure_id, r.geo_kind, r.geo_code, r.year, r.value, r.file, r.line, "
           f"sum(r.value) OVER (PARTITION BY r.measure_id, r.year) AS total, m.max_year_ratio AS k "
           f"FROM {model} AS r JOIN catalogue_measures AS m USING (measure_id) WHERE m.max_year_ratio IS NOT NULL), "
           "p AS (SELECT r.*, lag(value) OVER w AS prev_value, lag(year) OVER w AS prev_year, "
           "lag(total) OVER w AS prev_total FROM r "
           "WINDOW w AS (PARTITION BY measure_id, geo_kind, geo_code ORDER BY year)) "
           "SELECT measure_id, geo_code, prev_year, prev_value, year, value, file, line FROM p "
           "WHERE prev_year = year - 1 AND prev_value > 0 AND value > 0 "
           "AND (value > k * prev_value OR prev_value > k * value) "
           f"AND (value >= {min_share} * total OR prev_value >= {min_share} * prev_total) "
           "AND NOT EXISTS (SELECT 1 FROM catalogue_source_defects AS d WHERE d.measure_id = p.measure_id "
           "AND d.geo_code = p.geo_code AND d.year IN (p.year, p.prev_year)) ORDER BY file, line")
    rows = con.execute(sql).fetchall()
    if rows:
        measure, code, y0, v0, y1, v1, file, line = rows[0]
        raise PipelineError(
            f"check failed on model {model}: year on year: measure {measure}, area {code}: {v0:,.0f} in {y0}, "
            f"{v1:,.0f} in {y1}, a change larger than its catalogue allows for a stock (file {file}, line "
            f"{line}; {len(rows)} such row(s)). A broken source row? Check it against the source's other "
            "years and measures; if the row is wrong, declare it in locus/pipeline/sources.py (_DEFECTS), "
            "which publishes it flagged and leaves it out of the scores.")


def checks_run(*, con: duckdb.DuckDBPyConnection, model: str, spec: dict) -> list[CheckResult]:
    """Run the checks declared for one model; raise ``PipelineError`` on the first failure."""
    done: list[CheckResult] = []
    if "min_rows" in spec and _count(con, f"SELECT count(*) FROM {model}") < spec["min_rows"]:
        _fail(model, f"min_rows({spec['min_rows']})", 0, "")
    handlers = {
        "unique": lambda v: _unique(con, model, v),
        "not_null": lambda v: _not_null(con, model, v),
        "accepted": lambda v: _accepted(con, model, v),
        "range": lambda v: _range(con, model, v),
        "assert": lambda v: _assert(con, model, v),
        "weights_sum_to_one": lambda v: _weights_sum(con, model, v),
        "coverage": lambda v: _coverage(con, model),
        "year_on_year": lambda v: _year_on_year(con, model, v if isinstance(v, dict) else {}),
    }
    clean = _row_checks_clean(con, model, spec)
    for kind, value in spec.items():
        if kind == "min_rows":
            continue
        if kind not in handlers:
            raise PipelineError(f"unknown check kind {kind!r} for model {model}")
        if kind not in clean:
            handlers[kind](value)
        done.append(CheckResult(model=model, check=kind, passed=True))
    return done


def _row_conditions(kind: str, value) -> list[str]:
    """The per-row failure conditions of a row-wise check (as the handlers above count them)."""
    if kind == "not_null":
        return [f"{col} IS NULL" for col in value]
    if kind == "accepted":
        return [f"{col} IS NOT NULL AND {col} NOT IN ("
                + ", ".join(f"'{v}'" if isinstance(v, str) else str(v) for v in values) + ")"
                for col, values in value.items()]
    if kind == "range":
        return [f"{col} IS NOT NULL AND ({col} < {low} OR {col} > {high} OR isnan({col}))"
                for col, (low, high) in value.items()]
    if kind == "assert":
        return [f"NOT coalesce(({condition}), false)" for condition in value.values()]
    return []


def _row_checks_clean(con: duckdb.DuckDBPyConnection, model: str, spec: dict) -> set[str]:
    """Kinds of row-wise checks that no row fails, counted in one scan of the model; the others
    are rerun by their handlers, which name the failure and an example row."""
    parts = [(kind, cond) for kind, value in spec.items() for cond in _row_conditions(kind, value)]
    if not parts:
        return set()
    counts = con.execute("SELECT " + ", ".join(f"count(*) FILTER (WHERE {c})" for _k, c in parts)
                         + f" FROM {model}").fetchall()[0]
    failed = {kind for (kind, _c), n in zip(parts, counts, strict=True) if n}
    return {kind for kind, _c in parts} - failed
