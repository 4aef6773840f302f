"""Benchmark the mandate simulator on 100,000 generated participant rows, and GtR import throughput.

Run: .venv/bin/python benchmarks/simulator.py

1. Core: every rule set over an in-memory portfolio of 100,000 participants (goal: <= 5 s).
2. End to end: the same rows stored in a throwaway SQLite database, read back with the selector
   the page uses, then simulated (what an analyst waits for).
3. Gateway to Research: fetch (JSON v7 pages, organisations, funds through the client, from an
   in-memory transport) and import into the registry, in projects per second.
The rows are generated (seeded): the figures measure speed, not policy.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["LOCUS_ENV"] = "test"
os.environ["LOCUS_DATA_DIR"] = tempfile.mkdtemp(prefix="locus-bench-sim-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
os.environ.pop("DATABASE_URL", None)

SEED = 20261127
ROWS = 100_000
TYPES = ["business"] * 6 + ["university"] * 2 + ["rto", "public", "charity", "research"]
SIZES = ["micro", "small", "medium", "large", ""]
console = Console()


def generate(n_rows: int, seed: int = SEED) -> dict[str, list]:
    rng = random.Random(seed)
    cols = {k: [] for k in ("project", "funder", "year", "org", "org_type", "size", "country",
                            "is_lead", "costs", "grant", "lad", "itl3", "ca")}
    project = 0
    while len(cols["project"]) < n_rows:
        size = rng.choice([1, 1, 2, 2, 3, 3, 3, 4, 5, 6, 8, 12])
        funder, year = rng.choice(["Innovate UK", "EPSRC", "AHRC", "ESRC"]), rng.randint(2010, 2024)
        lad = f"E0800{rng.randint(1, 40):04d}"
        for j in range(size):
            kind = rng.choice(TYPES)
            costs = float(rng.randint(5, 2000) * 1000)
            cols["project"].append(project)
            cols["funder"].append(funder)
            cols["year"].append(year)
            cols["org"].append(rng.randint(0, 30_000))
            cols["org_type"].append(kind)
            cols["size"].append(rng.choice(SIZES) if kind == "business" else "")
            cols["country"].append("GB")
            cols["is_lead"].append(j == 0)
            cols["costs"].append(costs)
            cols["grant"].append(costs * rng.choice([0.25, 0.45, 0.5, 0.7, 1.0]))
            cols["lad"].append(lad)
            cols["itl3"].append(f"TLC{lad[-2:]}")
            cols["ca"].append("")
        project += 1
    return {k: v[:n_rows] for k, v in cols.items()}


def core(cols: dict[str, list]) -> list[tuple[str, float, float]]:
    from locus.collaboration.rules.model import rule_set_list
    from locus.collaboration.simulation import Portfolio, simulate

    portfolio = Portfolio(**{k: v for k, v in cols.items() if k != "org"})
    out = []
    for rs in rule_set_list():
        started = time.perf_counter()
        result = simulate(portfolio, rule_set_id=rs.id)
        out.append((rs.id, time.perf_counter() - started, result.project_share or 0.0))
    return out


def store(cols: dict[str, list]) -> None:
    from locus.collaboration.models import Dataset, Organisation, Participation, Project

    dataset = Dataset.objects.create(key="bench", title="Generated", covers="generated",
                                     kind="imported", publisher="bench", licence="none",
                                     vintage="bench", participant_level=True)
    orgs = {i: Organisation(name=f"Org {i}", normalised_name=f"org {i}") for i in set(cols["org"])}
    Organisation.objects.bulk_create(orgs.values(), batch_size=5000)
    orgs = {int(o.name[4:]): o.pk for o in Organisation.objects.filter(name__startswith="Org ")}
    first = {}
    for i, p in enumerate(cols["project"]):
        first.setdefault(p, i)
    Project.objects.bulk_create([Project(dataset=dataset, reference=str(p), title=f"P{p}",
                                         funder=cols["funder"][i], year=cols["year"][i])
                                 for p, i in first.items()], batch_size=5000)
    ids = dict(Project.objects.filter(dataset=dataset).values_list("reference", "pk"))
    types = {}
    seen = set()
    parts = []
    for i, p in enumerate(cols["project"]):
        key = (p, cols["org"][i])
        if key in seen:
            continue
        seen.add(key)
        types[cols["org"][i]] = (cols["org_type"][i], cols["size"][i])
        parts.append(Participation(project_id=ids[str(p)], organisation_id=orgs[cols["org"][i]],
                                   is_lead=cols["is_lead"][i], eligible_costs=cols["costs"][i],
                                   grant=cols["grant"][i]))
    Participation.objects.bulk_create(parts, batch_size=5000)
    for kind in {t for t in types.values()}:
        Organisation.objects.filter(pk__in=[orgs[o] for o, t in types.items() if t == kind]).update(
            org_type=kind[0], size=kind[1])


def end_to_end() -> tuple[int, float, float]:
    from locus.collaboration.selectors import portfolio_get
    from locus.collaboration.simulation import simulate

    started = time.perf_counter()
    portfolio = portfolio_get(dataset_keys=["bench"])
    read = time.perf_counter() - started
    simulate(portfolio, rule_set_id="ukri-collaboration-mandate")
    return len(portfolio), read, time.perf_counter() - started


def gtr_throughput(n_projects: int = 2000) -> tuple[int, float, float]:
    from locus.collaboration.connectors.gtr import GtrClient, Response
    from locus.collaboration.connectors.gtr_records import gtr_fetch
    from locus.collaboration.gtr_import import gtr_import

    host = "https://gtr.ukri.org:443/gtr/api/"
    orgs = [f"ORG-{i:05d}" for i in range(400)]
    rng = random.Random(SEED)
    projects = [{"id": f"P-{i:06d}", "title": f"Project {i}", "leadFunder": "Innovate UK",
                 "identifiers": {"identifier": [{"value": str(100000 + i), "type": "RCUK"}]},
                 "links": {"link": [{"href": f"{host}organisations/{o}", "rel": rel}
                                    for o, rel in zip(rng.sample(orgs, 3),
                                                      ["LEAD_ORG", "PARTICIPANT_ORG",
                                                       "PARTICIPANT_ORG"], strict=True)]}}
                for i in range(n_projects)]
    pages = [projects[i:i + 100] for i in range(0, n_projects, 100)]

    def transport(url, headers):
        if "/organisations/" in url:
            oid = url.rsplit("/", 1)[1]
            body = {"id": oid, "name": f"Company {oid} Ltd", "addresses": {"address": [
                {"postCode": "M1 1AA", "country": "United Kingdom", "type": "MAIN_ADDRESS"}]}}
        else:
            page = int(url.split("p=")[1].split("&")[0])
            body = {"page": page, "size": 100, "totalPages": len(pages),
                    "totalSize": n_projects, "project": pages[page - 1]}
        return Response(200, {}, json.dumps(body).encode())

    started = time.perf_counter()
    result = gtr_fetch(GtrClient(transport=transport, delay=0.0), page_size=100)
    fetched = time.perf_counter() - started
    gtr_import(result=result, funder="bench", since=None)
    return n_projects, fetched, time.perf_counter() - started


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    cols = generate(ROWS)
    console.print(f"Generated {ROWS:,} participant rows in {time.perf_counter() - started:.1f} s "
                  f"({len(set(cols['project'])):,} projects)")
    table = Table("Rule set", "Seconds (core, 100k rows)", "Projects complying")
    for rs_id, seconds, share in core(cols):
        table.add_row(rs_id, f"{seconds:.2f}", f"{share:.1%}")
    console.print(table)
    n, fetched, total = gtr_throughput()
    console.print(f"GtR fetch + import of {n:,} projects: fetch {fetched:.2f} s, "
                  f"fetch + import {total:.2f} s = {n / total:,.0f} projects/s (in-memory "
                  "transport; the real API is limited by the polite delay).")
    store(cols)
    rows, read, total_sim = end_to_end()
    console.print(f"End to end from SQLite: {rows:,} participations read in {read:.2f} s, "
                  f"read + simulate {total_sim:.2f} s (goal <= 5 s).")


if __name__ == "__main__":
    main()
