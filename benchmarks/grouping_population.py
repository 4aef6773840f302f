"""Derive data/grouping/business_population.csv and lad_enterprises.csv from ONS releases.

Inputs (real published data, OGL v3), from the shared data folder:
- ONS UK Business Counts (IDBR) 2018, local units by NUTS2 (2013) x SIC 2007 class, and
  BRES 2018 employment by NUTS2 x SIC class (Nesta beis-indicators copies);
- ONS Business Demography 2024, Tables 3.1d (active enterprises) and 7.3d (active
  enterprises with 10+ employees) by local authority district.

Usage: python benchmarks/grouping_population.py [SHARED_DATA_DIR]
The outputs are committed, so a fresh clone never needs the shared folder.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "grouping"


def _read_counts(path: Path) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = defaultdict(int)
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            sic = row["SIC4"].zfill(4)
            out[("UK", sic)] += int(float(row["value"]))
            out[(row["geo_cd"][:3], sic)] += int(float(row["value"]))
    return out


def derive_population(shared: Path) -> int:
    counts = _read_counts(shared / "business_counts" / "nomis_IDBR_2018_TYPE450.csv")
    jobs = _read_counts(shared / "business_counts" / "nomis_BRES_2018_TYPE450.csv")
    rows = sorted(counts, key=lambda k: (k[0] != "UK", k[0], k[1]))
    with (OUT / "business_population.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["area", "sic4", "division", "local_units", "employment"])
        written = 0
        for area, sic in rows:
            if counts[(area, sic)] > 0:
                w.writerow([area, sic, sic[:2], counts[(area, sic)], jobs.get((area, sic), 0)])
                written += 1
    return written


def _sheet(path: Path, name: str) -> dict[str, tuple[str, float]]:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
    out = {}
    for row in rows:
        code = str(row[0]).strip()
        if len(code) == 9 and code[0] in "EWSN" and code[1:3] in ("06", "07", "08", "09"):
            out[code] = (str(row[1]).strip(), float(row[2]))
        elif len(code) == 9 and code[:3] in ("S12", "N09", "W06"):
            out[code] = (str(row[1]).strip(), float(row[2]))
    return out


def derive_lads(shared: Path) -> int:
    book = shared / "economy" / "businessdemographyexceltables2024.xlsx"
    active, ten = _sheet(book, "Table 3.1d"), _sheet(book, "Table 7.3d")
    with (OUT / "lad_enterprises.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["lad_code", "lad_name", "active_2024", "active_10plus_2024"])
        for code in sorted(active):
            name, value = active[code]
            w.writerow([code, name, int(value), int(ten.get(code, ("", 0))[1])])
    return len(active)


if __name__ == "__main__":
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/data")
    OUT.mkdir(parents=True, exist_ok=True)
    print("business_population.csv rows:", derive_population(shared))
    print("lad_enterprises.csv rows:", derive_lads(shared))
