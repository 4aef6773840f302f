#!/usr/bin/env bash
# The test suite on SQLite (browser tests aside), then every test that can reach a database,
# browser tests included, on a throwaway PostgreSQL 15 cluster.
# Browser tests use Debian's Chromium; PDF tests read the evidence packs with poppler-utils.
# Installs chromium, postgresql-15 and poppler-utils with apt when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
PGBIN=/usr/lib/postgresql/15/bin

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium fonts-liberation)
[ -x "$PGBIN/initdb" ] || need_apt+=(postgresql-15)
command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null || need_apt+=(poppler-utils)  # PDF checks
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing ${need_apt[*]} with apt-get"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "Please install: sudo apt-get install ${need_apt[*]}" >&2
    exit 1
  fi
fi

# pytest answers 5 when a pass selects no test (scripts/test.sh tests/e2e on the SQLite pass,
# scripts/test.sh tests/pathways on the PostgreSQL one): that pass has nothing to do.
run_pytest() { "$VENV/bin/python" -m pytest -q "$@" || [ $? -eq 5 ]; }

# The two passes run at the same time, one on each core (the whole suite took 28 minutes one after
# the other, too near CI's 30): the SQLite pass in the background with its output kept in a file and
# printed when it ends, the PostgreSQL pass in the foreground. They share nothing: each process has its
# own LOCUS_DATA_DIR and temporary folders (config/test_settings.py), and the SQLite pass writes no
# pytest cache. The script fails if either pass fails.
# The first pass leaves out the browser tests (LOCUS_TESTS_NO_BROWSER, see tests/conftest.py):
# they run once, in the second pass, on PostgreSQL, the deployment database.
sqlite_log="$(mktemp -t locus-sqlite-pass.XXXXXX)"
echo "== Test suite on SQLite (every test but the browser tests), in the background; its output follows the PostgreSQL pass"
( LOCUS_TESTS_NO_BROWSER=1 run_pytest -p no:cacheprovider "$@" >"$sqlite_log" 2>&1 ) &
sqlite_pid=$!

# The second pass keeps only the tests that can reach a database (LOCUS_TESTS_DATABASE_ONLY, see
# tests/conftest.py): the Django-free ones run in the first pass and cannot behave differently here.
echo "== Test suite on PostgreSQL 15 (every test that can reach a database, browser tests included)"
pg_status=0
source scripts/pg.sh
pg_createdb locus
pg_createdb locus_e2e
DATABASE_URL="$PG_URL_BASE/locus" LOCUS_E2E_DATABASE_URL="$PG_URL_BASE/locus_e2e" LOCUS_TESTS_DATABASE_ONLY=1 \
  run_pytest "$@" || pg_status=$?

sqlite_status=0
wait "$sqlite_pid" || sqlite_status=$?
echo "== Test suite on SQLite: output"
cat "$sqlite_log"
rm -f "$sqlite_log"
[ "$sqlite_status" -eq 0 ] || echo "== The SQLite pass failed (exit $sqlite_status)"
[ "$pg_status" -eq 0 ] || echo "== The PostgreSQL pass failed (exit $pg_status)"
[ "$sqlite_status" -eq 0 ] && [ "$pg_status" -eq 0 ]
