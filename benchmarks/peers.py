"""Peer-networks figures: server time (median and p95) of the dashboard and group pages for a
2,000-firm programme, and the time to form groups from the web for 300 firms.

    .venv/bin/python benchmarks/peers.py                                    # SQLite
    source scripts/pg.sh; pg_createdb locus_bench_peers
    .venv/bin/python benchmarks/peers.py --database-url $PG_URL_BASE/locus_bench_peers

Server time is measured in-process with Django's test client (no network), signed in as the
programme manager, as in benchmarks/foundation.py. The programme is `locus demo peers` with
2,000 made-up firms on real Greater Manchester postcodes (six months of meetings, attendance,
surveys and costs). Forming groups from the web runs as a background job (ADR 0012): the figure
is the request time and the time until the groups are ready.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def _setup(database_url: str | None) -> None:
    os.environ.setdefault("LOCUS_DATA_DIR", tempfile.mkdtemp(prefix="locus-bench-peers-"))
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["LOCUS_ENV"] = "test"
    import django

    django.setup()
    from django.core.management import call_command

    from locus.loading import bundled_data_load

    call_command("migrate", verbosity=0)
    bundled_data_load()


def _time(client, paths: list[str], rounds: int) -> tuple[float, float]:
    samples = []
    for i in range(rounds):
        path = paths[i % len(paths)]
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return _percentiles(samples)


def page_times(firms: int, rounds: int) -> dict:
    from django.test import Client

    from locus.peers.demo import demo_peers_create

    started = time.perf_counter()
    made = demo_peers_create(firms=firms, seed=3, password="bench-password-123",
                             time_limit=10.0)
    build = time.perf_counter() - started
    programme = made["programme"]
    client = Client(HTTP_HOST="localhost")
    client.force_login(programme.managers.get())
    groups = list(programme.groups.values_list("pk", flat=True))
    slug = programme.slug
    client.get(f"/peers/{slug}/")  # warm up
    return {
        "build": build, "groups": len(groups), "meetings": made["meetings"],
        "dashboard /peers/<programme>/": _time(client, [f"/peers/{slug}/"], rounds),
        "groups list /peers/<programme>/groups/": _time(client, [f"/peers/{slug}/groups/"],
                                                        rounds),
        "group page /peers/groups/<id>/": _time(
            client, [f"/peers/groups/{g}/" for g in groups], rounds),
        "API programme /api/v1/peers/programmes/<slug>": _time(
            client, [f"/api/v1/peers/programmes/{slug}"], rounds),
    }


def formation_time(firms: int, time_limit: float) -> dict:
    """Form groups from the web: the POST only records a job and starts the worker process
    (ADR 0012); the groups are ready when the job is done. Times the request, the whole job
    (what a synchronous request would have held) and the engine inside it."""
    from django.test import Client

    from locus.peers.demo import demo_peers_create
    from locus.peers.models import Firm, FormationJob

    made = demo_peers_create(ca_code="E47000003", firms=firms, seed=4, stage="registered",
                             late_joiners=0, password="bench-password-123")
    programme = made["programme"]
    client = Client(HTTP_HOST="localhost")
    client.force_login(programme.managers.get())
    eligible = Firm.objects.filter(programme=programme, eligible=True).count()
    started = time.perf_counter()
    response = client.post(f"/peers/{programme.slug}/groups/", {
        "min_size": "8", "max_size": "10", "max_km": "40", "competitor_km": "25",
        "sector_cap": "2", "time_limit": str(time_limit)})
    request = time.perf_counter() - started
    assert response.status_code == 302 and "/groups/jobs/" in response["Location"], \
        response.content[:500]
    job = FormationJob.objects.filter(programme=programme).get()
    deadline = time.monotonic() + 30 * time_limit + 300
    while job.active and time.monotonic() < deadline:
        time.sleep(0.1)
        job.refresh_from_db()
    ready = time.perf_counter() - started
    assert job.status == "done", (job.status, job.error)
    status_page = client.get(response["Location"])
    assert status_page.status_code == 200
    run = job.run
    return {"eligible": eligible, "request": request, "ready": ready,
            "job": (job.finished_at - job.started_at).total_seconds(), "groups": run.n_groups,
            "unplaced": len(run.unplaced), "gap": run.gap, "engine_seconds": run.seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--firms", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--form-firms", type=int, default=300)
    parser.add_argument("--time-limit", type=float, default=5.0)
    args = parser.parse_args()
    engine = "PostgreSQL" if args.database_url else "SQLite"
    _setup(args.database_url)
    pages = page_times(args.firms, args.rounds)
    form = formation_time(args.form_firms, args.time_limit)
    print(f"Peer networks benchmark ({engine}; {args.firms:,} firms, {pages['groups']} groups, "
          f"{pages['meetings']:,} meetings; {args.rounds} requests per page)")
    print(f"  building the demo programme: {pages['build']:.0f} s")
    for label, value in pages.items():
        if isinstance(value, tuple):
            print(f"  {label:<48} median {value[0]:6.1f} ms   p95 {value[1]:6.1f} ms")
    print(f"  form groups from the web, {form['eligible']} eligible of {args.form_firms} firms, "
          f"time limit {args.time_limit:g} s: the request returns in "
          f"{form['request'] * 1000:.0f} ms; the groups are ready after {form['ready']:.1f} s "
          f"(background job {form['job']:.1f} s, engine {form['engine_seconds']:.1f} s); "
          f"{form['groups']} groups, {form['unplaced']} unplaced, gap to bound {form['gap']:.1%}")

if __name__ == "__main__":
    main()
