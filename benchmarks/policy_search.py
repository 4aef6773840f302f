"""Policy learning figures: search p95 over the whole library and strategy-pack generation time.

The library is the real bundled content (38 local cases, 6,672 STIP Compass 2021 initiatives)
topped up to 20,000 records with SYNTHETIC ones made here only: slugs ``synthetic-N``, titles
starting "Synthetic record", words and facet values drawn (seeded) from the real library. They
exist only in the throwaway benchmark database; nothing synthetic is ever bundled or shown.

    .venv/bin/python benchmarks/policy_search.py                       # SQLite (FTS5)
    source scripts/pg.sh; pg_createdb locus_bench_policy
    .venv/bin/python benchmarks/policy_search.py --database-url "$PG_URL_BASE/locus_bench_policy"
    .venv/bin/python benchmarks/policy_search.py --atlas-dir <LOCUS_DATA_DIR>/atlas  # packs with the atlas

With ``--atlas-dir`` (an atlas build, as ``locus serve`` or ``locus atlas build`` writes it) the
atlas is loaded first, so each pack holds its atlas section (weak links and opportunities), the
rated cases for the weakest stages and peers with pathway stage scores; without it the packs
say the atlas has not been built.

Search is timed twice: the selector (ranked page + facet counts, what every search does) and
the whole page through Django's test client (server time without the network).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

QUERIES = [
    ("knowledge transfer partnerships", {}), ("peer networks", {}), ("innovation vouchers", {}),
    ("university spin-outs", {}), ("digital adoption", {"layer": ["local"]}),
    ("research infrastructure", {"country": ["Germany"]}), ("start-up accelerator", {}),
    ("clusters", {"stage": ["knowledge_exchange"]}), ("tax credit", {"layer": ["stip"]}),
    ("management", {"stage": ["productivity"]}), ("science parks", {}),
    ("peer learning", {"min_rating": 3}), ("green hydrogen", {}), ("artificial intelligence", {}),
    ("skills", {"level": ["nation"]}), ("", {"stage": ["formation"]}), ("", {"rating": ["5"]}),
    ("", {}), ("", {"theme": ["TH42"], "country": ["United Kingdom"]}), ("peer learnng", {}),
]


def _setup(database_url: str | None, atlas_dir: Path | None = None) -> None:
    os.environ["LOCUS_DATA_DIR"] = tempfile.mkdtemp(prefix="locus-bench-policy-")
    os.environ["LOCUS_ENV"] = "test"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from locus.geography.services import geography_load
    from locus.policy.loaders import policy_bundled_load

    geography_load(data_dir=REPO / "data" / "geography")
    policy_bundled_load(data_dir=REPO / "data" / "policy")
    if atlas_dir:
        from locus.atlas.services import atlas_load

        atlas_load(atlas_dir=atlas_dir)


def _top_up(target: int, seed: int = 8) -> int:
    """Add synthetic records until the library holds ``target`` records."""
    from django.db import transaction

    from locus.policy.models import Case, CaseTag, Layer, Origin, Status
    from locus.policy.search import backend, terms_parse

    rng = random.Random(seed)
    real = list(Case.objects.values_list("summary", "country", "geography_level"))
    words = [w for s, _, _ in real for w in terms_parse(s).words]
    tags = list(CaseTag.objects.values_list("kind", "code", "inferred"))
    missing = target - Case.objects.count()
    if missing <= 0:
        return 0
    with transaction.atomic():
        cases = []
        for i in range(missing):
            _, country, level = rng.choice(real)
            title = "Synthetic record " + " ".join(rng.choices(words, k=4))
            cases.append(Case(
                slug=f"synthetic-{i}", layer=Layer.STIP, origin=Origin.IMPORTED,
                status=Status.PUBLISHED, title=title, summary=" ".join(rng.choices(words, k=35)),
                place=country, country=country, geography_level=level, edition=2021,
                search_keywords=" ".join(rng.choices(words, k=8)),
                search_body=" ".join(rng.choices(words, k=60))))
        cases = Case.objects.bulk_create(cases, batch_size=1000)
        rows = []
        for case in cases:
            for kind, code, inferred in {rng.choice(tags) for _ in range(8)}:
                rows.append(CaseTag(case=case, kind=kind, code=code, inferred=inferred))
        CaseTag.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
        backend().index_rebuild()
    return missing


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def _time_search(rounds: int, detail: bool = False) -> dict[str, tuple[float, float]]:
    from urllib.parse import urlencode

    from django.test import Client

    from locus.policy.searching import SearchFilters, case_search

    client = Client(HTTP_HOST="localhost")
    selector, page = [], []
    per_query: dict[str, list[float]] = {}
    for q, f in QUERIES:  # warm up caches once
        case_search(text=q, filters=SearchFilters(**f))
    for _ in range(rounds):
        for q, f in QUERIES:
            started = time.perf_counter()
            case_search(text=q, filters=SearchFilters(**f))
            selector.append((time.perf_counter() - started) * 1000)
            per_query.setdefault(f"{q!r} {f}", []).append(selector[-1])
            params = [("q", q)] + [(k, v) for k, vs in f.items()
                                   for v in (vs if isinstance(vs, list) else [vs])]
            started = time.perf_counter()
            response = client.get("/policy/cases/?" + urlencode(params))
            page.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    if detail:
        for label, samples in per_query.items():
            median, p95 = _percentiles(samples)
            print(f"    {label:60s} median {median:7.1f} ms  p95 {p95:7.1f} ms")
    return {"search selector (ranked page + facets)": _percentiles(selector),
            "search page /policy/cases/": _percentiles(page)}


def _time_packs(rounds: int) -> dict[str, tuple[float, float]]:
    from django.test import Client

    from locus.geography.models import Area
    from locus.policy.packs import strategy_pack_build

    client = Client(HTTP_HOST="localhost")
    cas = list(Area.objects.filter(level="ca").order_by("code"))
    client.get(f"/policy/packs/{cas[0].code}/pack.pdf")  # load WeasyPrint and fonts once
    build, html, pdf = [], [], []
    for _ in range(rounds):
        for area in cas[:5]:
            started = time.perf_counter()
            strategy_pack_build(area=area)
            build.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            assert client.get(f"/policy/packs/{area.code}/").status_code == 200
            html.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            assert client.get(f"/policy/packs/{area.code}/pack.pdf").status_code == 200
            pdf.append((time.perf_counter() - started) * 1000)
    return {"strategy pack: assemble": _percentiles(build),
            "strategy pack: HTML page": _percentiles(html),
            "strategy pack: PDF (WeasyPrint)": _percentiles(pdf)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--target", type=int, default=20_000, help="records in the library")
    parser.add_argument("--rounds", type=int, default=10, help="rounds of the query mix")
    parser.add_argument("--pack-rounds", type=int, default=2)
    parser.add_argument("--detail", action="store_true", help="per-query times as well")
    parser.add_argument("--atlas-dir", type=Path, default=None,
                        help="an atlas build to load first, so the packs hold the atlas section")
    args = parser.parse_args()
    started = time.perf_counter()
    _setup(args.database_url, args.atlas_dir)
    from django.db import connection

    from locus.geography.models import Area
    from locus.policy.models import Case

    real = Case.objects.count()
    added = _top_up(args.target)
    print(f"Database: {connection.vendor}; library: {real:,} real records + {added:,} synthetic "
          f"= {Case.objects.count():,} (set-up {time.perf_counter() - started:.1f} s)")
    from locus.policy.hooks import weak_links_for

    atlas = "with the atlas" if weak_links_for(Area.objects.get(code="E47000001")) else "without the atlas"
    print(f"Strategy packs: {atlas}; {args.pack_rounds} rounds x 5 Combined Authorities")
    print(f"Query mix: {len(QUERIES)} searches x {args.rounds} rounds "
          "(words, facets, no words, a typo with suggestions)")
    for label, (median, p95) in {**_time_search(args.rounds, args.detail),
                                    **_time_packs(args.pack_rounds)}.items():
        print(f"  {label:45s} median {median:8.1f} ms   p95 {p95:8.1f} ms")


if __name__ == "__main__":
    main()
