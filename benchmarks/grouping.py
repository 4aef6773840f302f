"""Group-formation benchmark: time, objective, bound, gap, and ratios against baselines.

Instances (generator: locus/grouping/synthetic.py, documented in docs/methodology/grouping.md):
firms on real postcodes (data/geography/postcodes.parquet, NSPL May 2025) of chosen local
authorities, weighted by ONS active enterprises with 10+ employees (2024); SIC classes drawn
from ONS UK Business Counts 2018 shares (data/grouping/business_population.csv).

    python benchmarks/grouping.py             # 50, 300, 1,000 and 5,000 firms
    python benchmarks/grouping.py --only 300  # one size
    python benchmarks/grouping.py --long      # also the 300-firm instance with 10 minutes
    python benchmarks/grouping.py --json out.json

Ratios are objective / baseline objective (the objective is a cost: below 1 is better).
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from locus.grouping.greedy import construct  # noqa: E402
from locus.grouping.instance import instance_build  # noqa: E402
from locus.grouping.objective import layout_score  # noqa: E402
from locus.grouping.problem import Settings  # noqa: E402
from locus.grouping.solve import groups_form  # noqa: E402
from locus.grouping.synthetic import Locality, population_load, synthetic_problem  # noqa: E402

DATA = ROOT / "data"
LANCASHIRE = ["E06000008", "E06000009", "E07000117", "E07000118", "E07000119", "E07000120",
              "E07000121", "E07000122", "E07000123", "E07000124", "E07000125", "E07000126",
              "E07000127", "E07000128"]
GREATER_MANCHESTER = [f"E080000{i:02d}" for i in range(1, 11)]
INSTANCES = {  # firms: (area description, LAD codes or a region code, time limit in s)
    50: ("Preston", ["E07000123"], 10.0),
    300: ("Lancashire (14 districts)", LANCASHIRE, 10.0),
    1000: ("Greater Manchester (10 boroughs)", GREATER_MANCHESTER, 30.0),
    5000: ("North West England (35 districts)", "E12000002", 50.0),
}


def _region_lads(region: str) -> list[str]:
    with (DATA / "geography" / "lad23_region_2023.csv").open(encoding="utf-8-sig") as fh:
        return [r["LAD23CD"] for r in csv.DictReader(fh) if r["RGN23CD"] == region]


def localities(lads: list[str]) -> list[Locality]:
    """Postcodes with coordinates in each LAD, weighted by active enterprises with 10+ staff."""
    path = DATA / "geography" / "postcodes.parquet"
    meta = pq.read_schema(path).metadata
    codes = json.loads(meta[b"locus.lad_codes"])
    names = json.loads(meta[b"locus.lad_names"])
    scale = float(meta[b"locus.coord_scale"])
    table = pq.read_table(path, columns=["postcode", "lat", "lon", "lad"])
    lad = table["lad"].to_numpy(zero_copy_only=False)
    lat = table["lat"].to_numpy(zero_copy_only=False)
    with (DATA / "grouping" / "lad_enterprises.csv").open(encoding="utf-8") as fh:
        weight = {r["lad_code"]: float(r["active_10plus_2024"]) for r in csv.DictReader(fh)}
    out = []
    for code in lads:
        k = codes.index(code)
        rows = np.flatnonzero((lad == k) & ~np.isnan(lat.astype(float)))
        sub = table.take(rows)
        out.append(Locality(name=names[k], postcodes=tuple(sub["postcode"].to_pylist()),
                            lat=sub["lat"].to_numpy().astype(float) / scale,
                            lon=sub["lon"].to_numpy().astype(float) / scale,
                            weight=weight[code]))
    return out


def _baseline(inst, policy: str, seed: int) -> tuple[float, int]:
    layout = construct(inst=inst, rng=np.random.default_rng(seed), policy=policy)
    score = layout_score(inst=inst, layout=layout)
    return score.value, score.unplaced


def run(n: int, *, time_limit: float | None = None, seed: int = 1) -> dict:
    area, lads, limit = INSTANCES[n]
    lads = _region_lads(lads) if isinstance(lads, str) else lads
    t = time.monotonic()
    locs = localities(lads)
    population = population_load(path=DATA / "grouping" / "business_population.csv")
    problem = synthetic_problem(n=n, localities=locs, population=population, seed=seed)
    generate = time.monotonic() - t
    settings = Settings(time_limit=time_limit or limit, seed=seed)
    t = time.monotonic()
    solution = groups_form(problem=problem, settings=settings)
    seconds = time.monotonic() - t
    inst = instance_build(problem=problem, settings=settings)
    greedy, greedy_out = _baseline(inst, "greedy", seed)
    rand, rand_out = _baseline(inst, "random", seed)
    return {"firms": n, "area": area, "localities": len(lads), "time_limit": settings.time_limit,
            "seconds": round(seconds, 2), "generate_seconds": round(generate, 2),
            "objective": solution.objective, "bound": solution.bound, "gap": solution.gap,
            "status": solution.status, "groups": len(solution.groups),
            "unplaced": len(solution.unplaced), "greedy": round(greedy, 3),
            "greedy_unplaced": greedy_out, "random": round(rand, 3), "random_unplaced": rand_out,
            "vs_greedy": round(solution.objective / greedy, 4),
            "vs_random": round(solution.objective / rand, 4), "phases": solution.phases,
            "stats": {k: v for k, v in solution.stats.items() if k != "cpsat_bound"}}


def _table(results: list[dict]) -> str:
    head = ("| firms | area | limit s | time s | objective | bound | gap | vs greedy | "
            "vs random | vs 10 min |\n|---|---|---|---|---|---|---|---|---|---|")
    rows = []
    for r in results:
        long = r.get("vs_long")
        rows.append(
            f"| {r['firms']:,} | {r['area']} | {r['time_limit']:g} | {r['seconds']:.1f} | "
            f"{r['objective']:.1f} | {r['bound']:.1f} | {100 * r['gap']:.0f}% | "
            f"{r['vs_greedy']:.3f} ({100 * (1 - r['vs_greedy']):.0f}% better) | "
            f"{r['vs_random']:.3f} | {'-' if long is None else f'{long:.3f}'} |")
    return "\n".join([head, *rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", type=int, choices=sorted(INSTANCES))
    parser.add_argument("--long", action="store_true", help="also run 300 firms for 600 s")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    sizes = [args.only] if args.only else sorted(INSTANCES)
    results = []
    for n in sizes:
        r = run(n, seed=args.seed)
        if args.long and n == 300:
            long = run(300, time_limit=600.0, seed=args.seed)
            r["long_objective"], r["long_seconds"] = long["objective"], long["seconds"]
            r["vs_long"] = round(r["objective"] / long["objective"], 4)
        results.append(r)
        print(json.dumps(r), file=sys.stderr, flush=True)
    print(f"Machine: {platform.processor() or platform.machine()}, Python "
          f"{platform.python_version()}, 2 CP-SAT workers, seed {args.seed}\n")
    print(_table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
