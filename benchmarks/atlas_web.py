"""Atlas web figures: atlas load time, area-profile page and map-data endpoint server time
(median, p95), and evidence-pack PDF generation time, on SQLite or PostgreSQL.

    .venv/bin/python benchmarks/atlas_web.py                       # SQLite (throwaway data folder)
    source scripts/pg.sh; pg_createdb locus_bench_atlas
    .venv/bin/python benchmarks/atlas_web.py --database-url $PG_URL_BASE/locus_bench_atlas

With Chromium present it also times the map page from navigation to the map's first full render
in headless Chromium (served in-process, so mostly browser time). Server time is measured in-process with Django's test client (no network). The map-data figure is
given twice: with the per-process cache cleared before every request (the first view of a measure)
and warm (what later visitors get).
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


def _stats(samples: list[float]) -> str:
    ordered = sorted(samples)
    return f"median {statistics.median(ordered):7.1f} ms   p95 {ordered[int(0.95 * (len(ordered) - 1))]:7.1f} ms"


def _setup(database_url: str | None) -> None:
    os.environ["LOCUS_DATA_DIR"] = tempfile.mkdtemp(prefix="locus-bench-atlas-")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["LOCUS_ENV"] = "test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def browser_first_render(runs: int) -> list[float] | None:
    """Seconds from navigation to the map's first full render (MapLibre 'idle') in headless Chromium,
    against an in-process threaded server; None when Chromium or Playwright is missing."""
    import socket
    import threading

    if not Path("/usr/bin/chromium").exists():
        return None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    from socketserver import ThreadingMixIn

    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = Server(("127.0.0.1", port), Quiet)
    server.set_app(WSGIHandler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    times = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            for i in range(runs + 1):
                page = browser.new_page()
                started = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/atlas/?measure=stage:research&level={('itl3', 'lad')[i % 2]}")
                page.wait_for_function("window.atlasMapReady === true", timeout=60000)
                if i:  # the first run warms the server's caches and the browser
                    times.append(time.perf_counter() - started)
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--packs", type=int, default=5)
    parser.add_argument("--browser-runs", type=int, default=6, help="0 to skip the Chromium figure")
    args = parser.parse_args()
    _setup(args.database_url)
    from django.conf import settings
    from django.test import Client

    from locus.atlas import models as m
    from locus.atlas.infrastructure import bundled_sites_load
    from locus.atlas.selectors import cache_clear
    from locus.atlas.services import atlas_load
    from locus.geography.services import geography_load
    from locus.pipeline.runner import atlas_build

    data = Path(settings.LOCUS_BUNDLED_DATA)
    geography_load(data_dir=data / "geography")
    out = Path(settings.LOCUS_DATA_DIR) / "atlas"
    started = time.perf_counter()
    atlas_build(data_dir=data / "atlas", out_dir=out)
    build_s = time.perf_counter() - started
    loads = []
    for _ in range(3):
        started = time.perf_counter()
        build = atlas_load(atlas_dir=out)
        loads.append(time.perf_counter() - started)
    bundled_sites_load(he_file=data / "atlas" / "universities" / "learning-providers-plus.csv",
                       makerspace_file=data / "infrastructure" / "uk_makerspaces_2015.csv", force=True)
    client = Client(HTTP_HOST="localhost")
    codes = list(m.AtlasArea.objects.filter(level__in=("ca", "itl3", "lad")).order_by("code").values_list("code", flat=True))
    client.get(f"/atlas/areas/{codes[0]}/")  # imports and template compilation

    profile = []
    for i in range(args.rounds):
        code = codes[(i * 37) % len(codes)]
        t = time.perf_counter()
        assert client.get(f"/atlas/areas/{code}/").status_code == 200
        profile.append((time.perf_counter() - t) * 1000)

    measures = [f"ind:{i}" for i in m.Indicator.objects.values_list("id", flat=True)] + \
        [f"stage:{s}" for s in ("research", "formation", "productivity")] + ["gap:business_rd_finance"]
    cold, warm = [], []
    for i in range(args.rounds):
        url = f"/atlas/map-data.json?measure={measures[i % len(measures)]}&level={('itl3', 'ca', 'lad')[i % 3]}"
        cache_clear()
        t = time.perf_counter()
        assert client.get(url).status_code == 200
        cold.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        client.get(url)
        warm.append((time.perf_counter() - t) * 1000)

    packs = []
    pack_codes = ["E47000001", "TLD33", "E47000002", "E08000003", "TLE32", "E47000007"][: args.packs]
    client.get(f"/atlas/areas/{pack_codes[0]}/evidence-pack.pdf")  # import WeasyPrint and fonts once
    for code in pack_codes:
        t = time.perf_counter()
        response = client.get(f"/atlas/areas/{code}/evidence-pack.pdf")
        assert response.status_code == 200 and response.content[:4] == b"%PDF"
        packs.append(time.perf_counter() - t)

    first_render = browser_first_render(args.browser_runs) if args.browser_runs else None
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(f"Atlas web benchmark ({engine}; {sum(build.rows.values()):,} rows loaded; {args.rounds} requests each)")
    print(f"  atlas build from the bundled data (pipeline, for reference): {build_s:.1f} s")
    print(f"  atlas load (read, check, replace in one transaction): median {statistics.median(loads):.1f} s "
          f"(of {len(loads)}: {', '.join(f'{x:.1f}' for x in loads)})")
    print(f"  area profile page /atlas/areas/<code>/ ({len(codes)} CAs, ITL3s, LADs): {_stats(profile)}")
    print(f"  map data /atlas/map-data.json, first view (cache cleared): {_stats(cold)}")
    print(f"  map data /atlas/map-data.json, warm:                       {_stats(warm)}")
    print(f"  evidence pack PDF ({len(packs)} areas): median {statistics.median(packs):.1f} s, "
          f"max {max(packs):.1f} s")
    if first_render:
        print(f"  map page to first full render in headless Chromium (ITL3 and LAD maps, {len(first_render)} loads): "
              f"median {statistics.median(first_render):.2f} s, max {max(first_render):.2f} s")


if __name__ == "__main__":
    main()
