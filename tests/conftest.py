"""Shared test set-up: test settings, and the bundled geography loaded once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests: no per-example deadline (speed is measured in benchmarks/, not in timed tests, and
# a deadline flakes on a busy machine). CI (.ci/run) sets LOCUS_HYPOTHESIS_PROFILE=ci: the examples
# are derived from each test's name, so a red CI run is a real regression and repeats on re-run;
# `make test` on a workstation draws fresh examples each time to keep looking for new failures.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("LOCUS_HYPOTHESIS_PROFILE", "dev"))

REPO_ROOT = Path(__file__).resolve().parent.parent
GEO_DIR = REPO_ROOT / "data" / "geography"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real bundled geography into the test database once."""
    from locus.geography.services import geography_load

    with django_db_blocker.unblock():
        geography_load(data_dir=GEO_DIR)
    yield


@pytest.fixture
def client():
    from django.test import Client

    return Client(HTTP_HOST="localhost")


DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
               "live_server", "django_db_setup"}  # not django_db_blocker: pytest-django's autouse helpers use it


def uses_database(item: pytest.Item) -> bool:
    """Whether a test can reach a database: a django_db mark, a fixture that opens the test
    database (directly or through other fixtures), or a browser test (whose server runs on
    LOCUS_E2E_DATABASE_URL). pytest-django refuses database access to every other test, so
    the rest run the same code whatever DATABASE_URL says."""
    if item.get_closest_marker("django_db") is not None:
        return True
    if DB_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    return is_browser_test(item)


def is_browser_test(item: pytest.Item) -> bool:
    return Path(str(item.fspath)).is_relative_to(REPO_ROOT / "tests" / "e2e")


def pytest_collection_modifyitems(config, items):
    """The two passes of scripts/test.sh each leave out what the other covers:

    - LOCUS_TESTS_NO_BROWSER=1 (the SQLite pass) leaves out the browser tests, which run once, on
      PostgreSQL, the deployment database: they drive the same server code as on SQLite, and the
      pages and API they use have Django tests that run on both databases.
    - LOCUS_TESTS_DATABASE_ONLY=1 (the PostgreSQL pass) keeps only the tests that can reach a
      database: the others (the Django-free cores, parsers, property tests of the algorithms) ran
      on the SQLite pass and cannot behave differently on PostgreSQL.
    """
    no_browser = os.environ.get("LOCUS_TESTS_NO_BROWSER") == "1"
    database_only = os.environ.get("LOCUS_TESTS_DATABASE_ONLY") == "1"
    if not (no_browser or database_only):
        return
    keep, drop = [], []
    for item in items:
        left_out = (no_browser and is_browser_test(item)) or (database_only and not uses_database(item))
        (drop if left_out else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
