"""Public entry point of the atlas build: ``atlas_build``."""

from __future__ import annotations

import contextlib
import hashlib
import os
import platform
import subprocess
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from locus.pipeline import assemble, scoring
from locus.pipeline.catalogue import INDICATORS
from locus.pipeline.engine import Progress, database_build
from locus.pipeline.export import outputs_write, sha256_file
from locus.pipeline.readers import source_path
from locus.pipeline.sources import SOURCES

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA_DIR = PACKAGE_ROOT.parent / "data" / "atlas"


def default_out_dir() -> Path:
    """Where builds go unless told otherwise: ``<LOCUS_DATA_DIR>/atlas``, the folder the web app loads
    builds from (``var/atlas`` in the repository when LOCUS_DATA_DIR is not set, as for the app)."""
    root = os.environ.get("LOCUS_DATA_DIR")
    return (Path(root) if root else PACKAGE_ROOT.parent / "var").resolve() / "atlas"


DEFAULT_OUT_DIR = default_out_dir()  # as the environment was at import; commands call default_out_dir()


@dataclass(frozen=True)
class BuildManifest:
    """What a build read, produced and checked (also written as manifest.json)."""

    out_dir: Path
    code_version: str
    inputs: list[dict]
    tables: dict[str, dict]
    models: dict[str, int]
    checks_passed: int
    unresolved_rows: int
    timings: dict[str, float]
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"out_dir": str(self.out_dir), "code_version": self.code_version, "inputs": self.inputs,
                "tables": self.tables, "models": self.models, "checks_passed": self.checks_passed,
                "unresolved_rows": self.unresolved_rows, "timings": self.timings, **self.extra}


def code_version() -> str:
    """Package version, git commit (when available) and a hash of the pipeline's own code."""
    digest = hashlib.sha256()
    for folder in ("pipeline", "pathways"):
        for path in sorted((PACKAGE_ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".sql", ".yml"):
                digest.update(path.relative_to(PACKAGE_ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PACKAGE_ROOT, capture_output=True,
                                text=True, timeout=5, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"locus-0.1.0+{commit or 'nogit'}.code-{digest.hexdigest()[:12]}"


def _inputs(data_dir: Path) -> list[dict]:
    out = []
    for source in SOURCES:
        path = source_path(data_dir=data_dir, source=source)
        out.append({"id": source.id, "path": source.path, "sha256": sha256_file(path),
                    "bytes": path.stat().st_size, "title": source.title, "publisher": source.publisher,
                    "licence": source.licence, "vintage": source.vintage, "url": source.url})
    return out


PARTIAL_YEAR_RULE = ("A year an input file covers only in part (its file ends part-way through the year) is "
                     "published in indicator_values with partial_year = true but left out of everything "
                     "scored: the coverage rule, normalisation, stage scores and their trends, weak links, "
                     "opportunities and their evidence, and the statistical neighbours' variables. The latest "
                     "score of a stage is then the last full year's.")


def partial_years_parameter() -> dict:
    """The partial-year rule, the sources it applies to and the indicators it affects (manifest)."""
    return {"rule": PARTIAL_YEAR_RULE,
            "sources": {s.id: {str(y): text for y, text in s.partial_years} for s in SOURCES if s.partial_years},
            "indicators": {i.id: [int(y) for y in i.partial_years] for i in INDICATORS if i.partial_years}}


def _one_blas_thread():
    """Run the pathway maths with one BLAS thread: the matrices are small (at most a few hundred
    rows), so threads only add start-up and contention (an eigendecomposition of 72 x 72 took
    0.19 s with OpenBLAS threads on a busy two-core machine, 0.0004 s with one), and one thread
    keeps floating-point results independent of the machine's core count. threadpoolctl comes with
    scikit-learn; without it the maths runs as before."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - scikit-learn (a dependency) installs it
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def atlas_build(*, data_dir: Path, out_dir: Path, progress: Progress = None,
                neighbour_overrides: dict[str, list[str]] | None = None) -> BuildManifest:
    """Build the atlas from the inputs in ``data_dir`` into ``out_dir`` (Parquet + manifest.json).

    The build runs in memory and writes into a temporary directory that replaces ``out_dir``
    only when everything succeeded: a missing, truncated or malformed input raises
    ``DataFileError`` (file, line, field) and a failed check ``PipelineError``, leaving the
    previous output unchanged. ``neighbour_overrides`` ({area code: [neighbour codes]}) replaces
    the computed statistical neighbours of those areas (recorded in the manifest).
    """
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    built = database_build(data_dir=data_dir, progress=say)
    t0 = time.perf_counter()
    info: dict = {}
    with _one_blas_thread():
        tables: dict[str, pa.Table] = assemble.atlas_tables(con=built.con, neighbour_overrides=neighbour_overrides,
                                                            info=info)
    built.timings["pathways"] = time.perf_counter() - t0
    unresolved = int(sum(tables["unresolved_codes"].column("n_rows").to_pylist()))
    built.con.close()
    say(f"computed {len(tables)} tables")
    inputs = _inputs(data_dir)
    manifest = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "code_version": code_version(),
        "inputs": inputs,
        "models": built.model_rows,
        "raw_rows": built.raw_rows,
        "checks_passed": len(built.checks),
        "unresolved_rows": unresolved,
        "parameters": {"bootstrap_replicates": assemble.N_BOOT, "neighbours_k": assemble.NEIGHBOURS_K,
                       "scored_levels": list(assemble.SCORED_LEVELS), "winsor_k": 2.0,
                       "skew_threshold": 1.0, "carry_forward_years": 2, "top_quintile": 0.8,
                       "neighbour_overrides": {k: list(v) for k, v in sorted((neighbour_overrides or {}).items())},
                       "coverage_rule": {"max_missing_itl1_regions": scoring.COVERAGE_MAX_MISSING_REGIONS},
                       "lad_rule": {"min_native_share": scoring.LAD_MIN_NATIVE_SHARE,
                                    "stages": info["lad_stages"]},
                       "structural_variables": {lv: [v for v, _t in vs] for lv, vs in
                                                sorted(assemble.STRUCTURAL_BY_LEVEL.items())},
                       "partial_years": partial_years_parameter()},
        "score_use": info["score_use"],
        "software": {"python": platform.python_version(), "duckdb": duckdb.__version__,
                     "pyarrow": pa.__version__},
    }
    t0 = time.perf_counter()
    written = outputs_write(tables=tables, manifest=manifest, out_dir=out_dir)
    built.timings["write_outputs"] = time.perf_counter() - t0
    built.timings["total"] = time.perf_counter() - started
    say(f"wrote {out_dir}")
    return BuildManifest(out_dir=out_dir.resolve(), code_version=manifest["code_version"], inputs=inputs,
                         tables=written["tables"], models=built.model_rows, checks_passed=len(built.checks),
                         unresolved_rows=unresolved, timings=dict(built.timings),
                         extra={"created_at": manifest["created_at"]})
