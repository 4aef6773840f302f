#!/usr/bin/env bash
# Run the foundation benchmark against a throwaway PostgreSQL 15 cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pg.sh
pg_createdb locus_bench
pg_createdb locus_bench_serve
BENCH_DATABASE_URL="$PG_URL_BASE/locus_bench" BENCH_SERVE_DATABASE_URL="$PG_URL_BASE/locus_bench_serve" \
  .venv/bin/python benchmarks/foundation.py "$@"
