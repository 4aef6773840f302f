"""Atlas pipeline (no Django): real open data -> DuckDB models -> Parquet + manifest.

Public API: ``atlas_build(*, data_dir, out_dir, progress=None) -> BuildManifest``.
"""

from locus.pipeline.runner import DEFAULT_DATA_DIR, DEFAULT_OUT_DIR, BuildManifest, atlas_build

__all__ = ["DEFAULT_DATA_DIR", "DEFAULT_OUT_DIR", "BuildManifest", "atlas_build"]
