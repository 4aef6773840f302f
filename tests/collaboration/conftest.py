"""Collaboration tests: the real bundled collaboration data, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
COLLAB_DIR = REPO_ROOT / "data" / "collaboration"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The shared geography (parent fixture) plus the bundled collaboration data."""
    from locus.collaboration.bundled import collaboration_bundled_load

    with django_db_blocker.unblock():
        collaboration_bundled_load(data_dir=COLLAB_DIR)
    yield
