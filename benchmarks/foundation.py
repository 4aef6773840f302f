"""Foundation figures: time from an empty database to serving, and server time of the area page
and the area API (median and p95), on SQLite and (with --database-url) PostgreSQL.

    .venv/bin/python benchmarks/foundation.py                       # SQLite
    scripts/bench-postgres.sh                                       # the same on PostgreSQL 15
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def first_serve_seconds(database_url: str | None) -> float:
    """Start `locus serve` on an empty database; seconds until /healthz answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "LOCUS_DATA_DIR": tempfile.mkdtemp(prefix="locus-bench-")}
    if database_url:
        env["DATABASE_URL"] = database_url
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "locus.cli", "serve", "--port", str(port)],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                return time.perf_counter() - started
            except OSError:
                if proc.poll() is not None or time.perf_counter() - started > 300:
                    raise RuntimeError("locus serve did not start") from None
                time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def server_times(database_url: str | None, rounds: int) -> dict[str, tuple[float, float]]:
    """In-process request timing (Django test client: server time without the network)."""
    os.environ.setdefault("LOCUS_DATA_DIR", tempfile.mkdtemp(prefix="locus-bench-"))
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["LOCUS_ENV"] = "test"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from locus.loading import bundled_data_load

    call_command("migrate", verbosity=0)
    bundled_data_load()
    from locus.geography.models import Area

    codes = list(Area.objects.order_by("code").values_list("code", flat=True))
    client = Client(HTTP_HOST="localhost")
    results = {}
    for label, template in (("area page /places/{code}/", "/places/{code}/"),
                            ("API /api/v1/areas/{code}", "/api/v1/areas/{code}")):
        samples = []
        for i in range(rounds):
            path = template.format(code=codes[(i * 37) % len(codes)])
            start = time.perf_counter()
            response = client.get(path)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        results[label] = _percentiles(samples)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--serve-database-url", default=os.environ.get("BENCH_SERVE_DATABASE_URL"))
    parser.add_argument("--rounds", type=int, default=400)
    args = parser.parse_args()
    engine = "PostgreSQL" if args.database_url else "SQLite"
    serve = first_serve_seconds(args.serve_database_url if args.database_url else None)
    tracemalloc.start()
    times = server_times(args.database_url, args.rounds)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    print(f"Foundation benchmark ({engine}, {args.rounds} requests per endpoint, 621 areas)")
    print(f"  empty database -> serving (migrate, load, collectstatic, gunicorn): {serve:.1f} s")
    for label, (median, p95) in times.items():
        print(f"  {label:<28} median {median:6.1f} ms   p95 {p95:6.1f} ms")
    print(f"  peak Python memory while loading and serving in-process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
