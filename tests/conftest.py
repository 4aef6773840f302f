"""Shared test set-up: test settings, and the bundled geography loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

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
