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
