"""Benchmark the postcode geocoder on the bundled table.

Run: .venv/bin/python benchmarks/geocoder.py [path/to/postcodes.parquet]

Measures the cold first lookup in each postcode area (one row group read and
decoded), warm lookups of 100,000 real postcodes sampled with a fixed seed
(one at a time and with lookup_many), the memory the cache takes, and the
table's size.
"""

from __future__ import annotations

import gc
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
from rich.console import Console
from rich.table import Table

from locus.geography.postcodes import PostcodeIndex, default_table_path, postcode_area

SEED = 20250501
SAMPLE = 100_000


def sample_postcodes(path: Path) -> tuple[list[str], dict[str, str]]:
    """100k postcodes sampled with a fixed seed, and the first postcode of each area."""
    names = pq.read_table(path, columns=["postcode"]).column(0).to_pylist()
    rng = np.random.default_rng(SEED)
    picks = rng.choice(len(names), size=min(SAMPLE, len(names)), replace=False)
    first: dict[str, str] = {}
    for name in names:
        first.setdefault(postcode_area(name), name)
    return [names[i] for i in picks], first


def cold(path: Path, first: dict[str, str]) -> tuple[list[float], float]:
    """Seconds for the first lookup in each area on a fresh index, and the index open time."""
    started = time.perf_counter()
    index = PostcodeIndex(path)
    opened = time.perf_counter() - started
    times = []
    for postcode in first.values():
        started = time.perf_counter()
        index.lookup(postcode)
        times.append(time.perf_counter() - started)
    return times, opened


def warm(path: Path, sample: list[str]) -> tuple[float, float]:
    """Lookups per second, one at a time and in bulk, with every area already cached."""
    index = PostcodeIndex(path)
    index.lookup_many(sample)  # warm the cache
    started = time.perf_counter()
    for postcode in sample:
        index.lookup(postcode)
    single = len(sample) / (time.perf_counter() - started)
    started = time.perf_counter()
    index.lookup_many(sample)
    bulk = len(sample) / (time.perf_counter() - started)
    return single, bulk


def rss_mb() -> float:
    """Current resident set size (Linux /proc), else the peak so far."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * resource.getpagesize() / 1e6
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory(path: Path, areas: list[str]) -> dict[str, float]:
    """MB: cached arrays, RSS growth, tracemalloc peak (Python + numpy only, not Arrow's pool)."""
    first = {area: f"{area}1 1AA" for area in areas}  # any key: the lookup loads the area
    PostcodeIndex(path).lookup_many(["M1 1AA"])  # load Arrow's libraries before measuring
    gc.collect()
    before = rss_mb()
    tracemalloc.start()
    index = PostcodeIndex(path)
    index.lookup_many(first.values(), on_error="none")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    cached = sum(arr.nbytes for area in index._cache.values()
                 for arr in (area.keys, area.lat, area.lon, area.lad, area.method,
                             area.terminated))
    return {"cached": cached / 1e6, "rss_growth": rss_mb() - before, "peak": peak / 1e6,
            "rss_before": before, "rss": rss_mb()}


def main(argv: list[str]) -> None:
    path = Path(argv[1]) if len(argv) > 1 else default_table_path()
    meta = pq.ParquetFile(path).metadata
    mem = memory(path, PostcodeIndex(path).areas)  # first, in a process that has read nothing
    sample, first = sample_postcodes(path)
    cold_times, opened = cold(path, first)
    single, bulk = warm(path, sample)

    table = Table(title=f"Postcode geocoder: {path.name}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("table size", f"{path.stat().st_size / 1e6:.1f} MB")
    table.add_row("rows / row groups (areas)", f"{meta.num_rows:,} / {meta.num_row_groups}")
    table.add_row("open index", f"{opened * 1e3:.1f} ms")
    table.add_row("cold first lookup per area (median)",
                  f"{statistics.median(cold_times) * 1e3:.2f} ms")
    table.add_row("cold first lookup per area (max)", f"{max(cold_times) * 1e3:.2f} ms")
    table.add_row("all areas loaded (sum of cold lookups)", f"{sum(cold_times):.2f} s")
    table.add_row(f"warm lookup() x {len(sample):,}", f"{single:,.0f} /s")
    table.add_row(f"warm lookup_many() x {len(sample):,}", f"{bulk:,.0f} /s")
    table.add_row("cached arrays, every area loaded", f"{mem['cached']:.1f} MB")
    table.add_row("RSS growth loading every area", f"{mem['rss_growth']:.1f} MB")
    table.add_row("tracemalloc peak loading every area", f"{mem['peak']:.1f} MB")
    table.add_row("process RSS before / after loading every area",
                  f"{mem['rss_before']:.0f} / {mem['rss']:.0f} MB")
    Console().print(table)


if __name__ == "__main__":
    main(sys.argv)
