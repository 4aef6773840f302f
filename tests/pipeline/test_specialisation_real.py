"""Combined Authorities' employment LQs are against Great Britain, checked against the raw Nomis
BRES file (an independent computation, not the pipeline's SQL)."""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict

import pyarrow.parquet as pq
import pytest

from tests.pipeline.conftest import DATA_DIR


@pytest.fixture(scope="module")
def bres():
    """Employment by NUTS2 2013 region and Nesta sector from the raw file, and GB's sector totals."""
    by_region = defaultdict(lambda: defaultdict(float))
    with gzip.open(DATA_DIR / "nomis" / "nomis_BRES_2018_TYPE450.csv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            by_region[row["geo_cd"]][row["cluster_name"]] += float(row["value"])
    gb = defaultdict(float)
    for sectors in by_region.values():
        for sector, value in sectors.items():
            gb[sector] += value
    return by_region, gb


def _lq(local: dict, gb: dict, sector: str) -> float:
    return (local[sector] / sum(local.values())) / (gb[sector] / sum(gb.values()))


def test_greater_manchester_lqs_are_against_great_britain(built_atlas, bres):
    """Greater Manchester is exactly NUTS2 UKD3: its LQs must be UKD3's against GB's totals (the
    15 Combined Authorities alone gave content services 2.89 against GB's 1.30)."""
    out, _manifest = built_atlas
    by_region, gb = bres
    rows = [r for r in pq.read_table(out / "specialisation.parquet").to_pylist()
            if r["level"] == "ca" and r["area_code"] == "E47000001"]
    assert len(rows) > 50
    for r in rows:
        if r["value"] > 0:
            assert r["lq"] == pytest.approx(_lq(by_region["UKD3"], gb, r["sector"]), rel=1e-9), r["sector"]
            assert r["is_specialised"] == (r["lq"] >= 1.25)
    content = next(r for r in rows if r["sector"] == "services_content")
    assert content["lq"] == pytest.approx(1.30, abs=0.005)


def test_regions_that_tile_great_britain_have_lqs_averaging_to_one(built_atlas):
    """ITL1 and ITL2 regions tile Great Britain: a sector's employment-weighted LQs average to 1 over
    them (their own total is the nation's; the Combined Authorities' is not, hence the reference)."""
    out, _manifest = built_atlas
    table = [r for r in pq.read_table(out / "specialisation.parquet").to_pylist() if r["source"] == "bres_employment"]
    for level in ("itl1", "itl2"):
        rows = [r for r in table if r["level"] == level and r["sector"] == "services_content"]
        total = sum(r["value"] for r in rows)
        region_tot = defaultdict(float)
        for r in table:
            if r["level"] == level:
                region_tot[r["area_code"]] += r["value"]
        weighted = sum(r["lq"] * region_tot[r["area_code"]] for r in rows) / sum(region_tot.values())
        assert total > 0
        assert weighted == pytest.approx(1.0, rel=1e-9)
