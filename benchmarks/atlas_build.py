"""Atlas build figures: wall time, peak memory, and the ratio to merely reading the inputs.

    python benchmarks/atlas_build.py [--scale 10] [--repeat 3]

1. Full build from the bundled data (``data/atlas``, ``data/geography`` and the network indicators
   of ``data/collaboration``), each run in a fresh
   process: in-process wall time of ``atlas_build`` and the process's peak resident memory.
2. Read baseline in the same run: the time DuckDB (and python-calamine, for the workbooks) takes
   merely to load the same input files into tables (``readers.raw_load_all``, the build's own read
   step with its validation), plus parsing the LAD boundary GeoJSON that the build also reads.
   Both workers load their libraries before the clock starts (``_warm``): importing pyarrow's
   pandas shim alone costs about 0.2 s, which earlier figures counted on both sides and so
   flattered the ratio.
3. Scale run: the same on generated inputs with ``--scale`` times the rows, made by cloning the
   whole geography (LADs, LAU1, NUTS and ITL codes, Combined Authorities) ``scale`` times with new
   codes and copying every source row to each clone (see ``scaled_inputs``).

Prints a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
B36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LETTERS = "CDEFGHIJKLMN"


def _warm() -> None:
    """Load the libraries both timings use before either clock starts: importing them is process
    start-up, not reading or building (pyarrow imports pandas, ~0.2 s, on its first conversion of
    Python values; threadpoolctl and shapely load on first use)."""
    import pyarrow as pa
    import shapely  # noqa: F401
    import threadpoolctl  # noqa: F401

    import locus.pipeline  # noqa: F401  (the whole pipeline package, readers included)

    pa.array([0.0])


def _read_baseline(data_dir: Path) -> int:
    """Merely read every input the build reads: the CSV and workbook loaders of the build, and
    the LAD boundary GeoJSON parsed as JSON (the build reads it in Python for the provider
    point-in-polygon step). Returns the rows read."""
    from locus.pipeline.engine import duckdb_connect
    from locus.pipeline.readers import raw_load_all, source_path
    from locus.pipeline.sources import source_get

    rows = raw_load_all(duckdb_connect(), data_dir=data_dir)
    boundaries = source_path(data_dir=data_dir, source=source_get(source_id="geo_lad23_boundaries"))
    features = json.loads(boundaries.read_text(encoding="utf-8"))["features"]
    return sum(rows.values()) + len(features)


def _worker(mode: str, data_dir: str, out_dir: str) -> None:
    sys.path.insert(0, str(REPO))
    _warm()
    if mode == "read":
        t0 = time.perf_counter()
        rows = _read_baseline(Path(data_dir))
        print(json.dumps({"seconds": time.perf_counter() - t0, "rows": rows}))
    else:
        from locus.pipeline import atlas_build

        t0 = time.perf_counter()
        manifest = atlas_build(data_dir=Path(data_dir), out_dir=Path(out_dir))
        print(json.dumps({"seconds": time.perf_counter() - t0, "rows": sum(manifest.models.values()),
                          "timings": manifest.timings}))


def _run(mode: str, data_dir: Path, out_dir: Path) -> dict:
    proc = subprocess.Popen([sys.executable, __file__, "--worker", mode, str(data_dir), str(out_dir)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _pid, status, usage = os.wait4(proc.pid, 0)
    out, err = proc.stdout.read(), proc.stderr.read()
    if status != 0:
        raise SystemExit(f"{mode} failed:\n{err}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024  # Linux: kilobytes
    return result


def _measure(data_dir: Path, repeat: int) -> dict:
    out = Path(tempfile.mkdtemp(prefix="atlas-bench-")) / "atlas"
    reads, builds = [], []
    for _ in range(repeat):  # interleaved, so that a busy spell on the machine hits both alike
        reads.append(_run("read", data_dir, out))
        builds.append(_run("build", data_dir, out))
    shutil.rmtree(out.parent, ignore_errors=True)
    read_s = statistics.median(r["seconds"] for r in reads)
    build_s = statistics.median(b["seconds"] for b in builds)
    return {"read_s": read_s, "build_s": build_s, "ratio": build_s / read_s, "raw_rows": reads[0]["rows"],
            "peak_mb": max(b["peak_mb"] for b in builds), "timings": builds[0]["timings"]}


# ---------------------------------------------------------------- scaled inputs
def _gss(code: str, k: int) -> str:
    code = code.strip()
    if len(code) == 9 and code[0] in "EWSNK" and code[1:].isdigit():
        return code[:3] + str(k) + code[4:]
    return code


def _read_csv(path: Path) -> tuple[list[str], list[dict]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def _code_maps(geo: Path, scale: int) -> tuple[dict, dict]:
    """(ITL map, NUTS map): (original code, clone) -> clone code, for levels 1-3."""
    maps = []
    for file, prefix, cols in (("lad23_lau1_itl_2021.csv", "TL", ("ITL321CD", "ITL221CD")),
                               ("lad18_nuts_2018.csv", "UK", ("NUTS318CD", "NUTS218CD"))):
        _h, rows = _read_csv(geo / file)
        level2 = sorted({r[cols[1]] for r in rows})
        children = defaultdict(set)
        for r in rows:
            children[r[cols[1]]].add(r[cols[0]])
        mapping = {}
        for k in range(scale):
            for i, code2 in enumerate(level2):
                n = k * len(level2) + i
                new2 = prefix + LETTERS[n // 36] + B36[n % 36]
                mapping[(code2, k)] = new2
                for j, code3 in enumerate(sorted(children[code2])):
                    mapping[(code3, k)] = new2 + B36[j]
        maps.append(mapping)
    return maps[0], maps[1]


def _scale_geography(src: Path, dst: Path, scale: int, itl: dict, nuts: dict) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copy(src / "lad_2023_buc.geojson", dst / "lad_2023_buc.geojson")
    header, rows = _read_csv(src / "lad23_lau1_itl_2021.csv")
    out = []
    for k in range(scale):
        for r in rows:
            out.append({**r, "LAD23CD": _gss(r["LAD23CD"], k), "LAU121CD": _gss(r["LAU121CD"], k),
                        "ITL321CD": itl[(r["ITL321CD"], k)], "ITL221CD": itl[(r["ITL221CD"], k)],
                        "ITL121CD": itl[(r["ITL221CD"], k)][:3]})
    _write_csv(dst / "lad23_lau1_itl_2021.csv", header, out)
    header, rows = _read_csv(src / "lad18_nuts_2018.csv")
    out = [{**r, "LAD18CD": _gss(r["LAD18CD"], k), "LAU118CD": _gss(r["LAU118CD"], k),
            "NUTS318CD": nuts[(r["NUTS318CD"], k)], "NUTS218CD": nuts[(r["NUTS218CD"], k)],
            "NUTS118CD": nuts[(r["NUTS218CD"], k)][:3]} for k in range(scale) for r in rows]
    _write_csv(dst / "lad18_nuts_2018.csv", header, out)
    for file, cols in (("lad_changes.csv", ("oldcd", "newcd")), ("lad25_ca_2025.csv", ("LAD25CD", "CAUTH25CD")),
                       ("mysociety_local_authorities.csv", ("gss-code",)), ("sam_lad_2023.csv", ("LAD23CD",))):
        header, rows = _read_csv(src / file)
        _write_csv(dst / file, header, [{**r, **{c: _gss(r[c], k) for c in cols}} for k in range(scale) for r in rows])


def _scale_beis(src: Path, dst: Path, scale: int, nuts: dict, geo: Path) -> None:
    sys.path.insert(0, str(REPO))
    from locus.pipeline.sources import MEASURES, SOURCES

    agg = {m.source_id: m.aggregation for m in MEASURES}
    _h, lookup = _read_csv(geo / "lad18_nuts_2018.csv")
    valid = {r["NUTS318CD"] for r in lookup} | {r["NUTS218CD"] for r in lookup}
    _h, changes = _read_csv(src / "crosswalk/nuts3_code_changes.csv")
    to16 = defaultdict(list)
    for c in changes:
        if c["nuts3_2016_code"]:
            to16[c["nuts3_code"]].append(c["nuts3_2016_code"])
    for source in SOURCES:
        if source.kind != "beis_csv":
            continue
        header, rows = _read_csv(src / source.path)
        value_col = header[3]
        total = defaultdict(float)
        for r in rows:
            code = r["nuts_id"]
            if not r[value_col].strip():
                continue
            targets = [code] if code in valid else to16.get(code, [])
            for t in targets:
                share = 1.0 if agg[source.id] == "mean" else 1.0 / len(targets)
                total[(int(r["year"]), t)] += float(r[value_col]) * share
        # a declared defect of the source (sources.Source.defects) would fail the build's year-on-year
        # check under the clones' new codes, which are not declared: the clones get its previous year
        for year, code, _text in source.defects:
            if (year, code) in total and (year - 1, code) in total:
                total[(year, code)] = total[(year - 1, code)]
        out = [{"year": y, "nuts_id": nuts[(c, k)],
                "nuts_year_spec": 2016, value_col: repr(v)} for k in range(scale) for (y, c), v in sorted(total.items())]
        _write_csv(dst / source.path, header, out)
    header, rows = _read_csv(src / "nomis/nomis_BRES_2018_TYPE450.csv.gz")
    _write_csv(dst / "nomis/nomis_BRES_2018_TYPE450.csv.gz", header,
               [{**r, "geo_cd": nuts[(r["geo_cd"], k)]} for k in range(scale) for r in rows if r["geo_cd"] in valid])


def _scale_workbook(src: Path, dst: Path, scale: int, code_col: int, header_row: int, mapper) -> None:
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    from locus.pipeline import excel

    wanted = {*excel.BD_SURVIVAL_SHEETS, *[s for v in excel.BD_SHEETS.values() for s in v],
              *excel.PRODUCTIVITY_SHEETS.values(), *excel.GVA_SHEETS.values(), excel.GVA_INDUSTRY_SHEET}
    book = CalamineWorkbook.from_path(str(src))
    out = Workbook(write_only=True)
    for name in book.sheet_names:
        if name not in wanted:
            continue
        rows = book.get_sheet_by_name(name).to_python()
        sheet = out.create_sheet(name)
        for row in rows[: header_row + 1]:
            sheet.append(row)
        for k in range(scale):
            for row in rows[header_row + 1:]:
                new = mapper(str(row[code_col]).strip(), k)
                if new is not None:
                    sheet.append([*row[:code_col], new, *row[code_col + 1:]])
    dst.parent.mkdir(parents=True, exist_ok=True)
    out.save(dst)


def scaled_inputs(*, scale: int, target: Path) -> Path:
    """Write a data folder with ``scale`` times the rows of the bundled inputs; return data/atlas."""
    sys.path.insert(0, str(REPO))
    from locus.pipeline import excel

    src_atlas, src_geo = REPO / "data" / "atlas", REPO / "data" / "geography"
    dst_atlas, dst_geo = target / "data" / "atlas", target / "data" / "geography"
    itl, nuts = _code_maps(src_geo, scale)
    _scale_geography(src_geo, dst_geo, scale, itl, nuts)
    _scale_beis(src_atlas, dst_atlas, scale, nuts, src_geo)
    for folder in ("crosswalk", "universities"):
        shutil.copytree(src_atlas / folder, dst_atlas / folder, dirs_exist_ok=True)
    header, rows = _read_csv(src_atlas / "crosswalk/split_weights.csv")
    _write_csv(dst_atlas / "crosswalk/split_weights.csv", header,
               [{**r, "lau1_code": _gss(r["lau1_code"], k), "piece_lad23_code": _gss(r["piece_lad23_code"], k)}
                for k in range(scale) for r in rows])

    def lad(code, k):
        return _gss(code, k) if (len(code) == 9 and code[1:].isdigit()) else (code if k == 0 else None)

    def itl_code(code, k):
        if len(code) in (4, 5) and (code, k) in itl:
            return itl[(code, k)]
        return code if k == 0 else None

    header, rows = _read_csv(REPO / "data" / "collaboration" / "network_indicators.csv")
    _write_csv(target / "data" / "collaboration" / "network_indicators.csv", header,
               [{**r, "area_code": _gss(r["area_code"], k) if r["area_level"] == "lad" else itl[(r["area_code"], k)]}
                for k in range(scale) for r in rows])

    ons = src_atlas / "ons"
    _scale_workbook(ons / "businessdemographyexceltables2024.xlsx", dst_atlas / "ons/businessdemographyexceltables2024.xlsx",
                    scale, 0, excel.BD_HEADER_ROW, lad)
    _scale_workbook(ons / "labourproductivitylocalauthorities.xls", dst_atlas / "ons/labourproductivitylocalauthorities.xls",
                    scale, 0, excel.PRODUCTIVITY_HEADER_ROW, lad)
    _scale_workbook(ons / "regionalgrossvalueaddedbalancedperheadandincomecomponents-2.xlsx",
                    dst_atlas / "ons/regionalgrossvalueaddedbalancedperheadandincomecomponents-2.xlsx",
                    scale, 1, excel.GVA_HEADER_ROW, itl_code)
    return dst_atlas


def _bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worker", nargs=3, metavar=("MODE", "DATA", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(*args.worker)
        return
    if not 1 <= args.scale <= 10:
        raise SystemExit("--scale must be between 1 and 10 (one digit of the cloned codes)")
    real = _measure(REPO / "data" / "atlas", args.repeat)
    with tempfile.TemporaryDirectory(prefix="atlas-scale-") as tmp:
        t0 = time.perf_counter()
        data = scaled_inputs(scale=args.scale, target=Path(tmp))
        gen_s = time.perf_counter() - t0
        scaled = _measure(data, args.repeat)
        scaled_bytes = _bytes(data.parent)
    real_bytes = (_bytes(REPO / "data" / "atlas") + _bytes(REPO / "data" / "geography")
                  + (REPO / "data" / "collaboration" / "network_indicators.csv").stat().st_size)
    print("| inputs | raw rows | input MB | read (s) | build (s) | build / read | peak memory (MB) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, m, size in (("bundled data", real, real_bytes), (f"generated, {args.scale}x rows", scaled, scaled_bytes)):
        print(f"| {label} | {m['raw_rows']:,} | {size / 1e6:.1f} | {m['read_s']:.2f} | {m['build_s']:.2f} | "
              f"{m['ratio']:.2f} | {m['peak_mb']:.0f} |")
    print(f"\nmedian of {args.repeat} runs each, fresh process per run; scaled inputs generated in {gen_s:.1f} s; "
          f"build time grew {scaled['build_s'] / real['build_s']:.1f}x for {scaled['raw_rows'] / real['raw_rows']:.1f}x rows")
    print("build stages (bundled data, s): " + ", ".join(
        f"{k} {v:.2f}" for k, v in sorted(real["timings"].items(), key=lambda kv: -kv[1])[:8]))


if __name__ == "__main__":
    main()
