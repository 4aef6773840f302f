"""The atlas built once from the bundled data and loaded into the test database for this package.

The build (about 5 s) goes to a temporary folder; the load happens once per test package and is
removed afterwards, so other rooms' tests see no atlas. Tests use ``@pytest.mark.django_db`` and
may load other builds inside their transaction: that is rolled back.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ATLAS_DATA = REPO_ROOT / "data" / "atlas"
HE_FILE = ATLAS_DATA / "universities" / "learning-providers-plus.csv"
MAKERSPACES = REPO_ROOT / "data" / "infrastructure" / "uk_makerspaces_2015.csv"


def pytest_collection_modifyitems(items):
    """Every test in this package runs with the atlas loaded (``atlas_loaded``), so it needs the test
    database even when it reads none itself: pytest-django creates databases only for tests marked
    ``django_db``, and a run of the chart tests alone would otherwise meet an empty database."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents and item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="session")
def atlas_dir(tmp_path_factory) -> Path:
    from locus.pipeline.runner import atlas_build

    out = tmp_path_factory.mktemp("atlas-build") / "atlas"
    atlas_build(data_dir=ATLAS_DATA, out_dir=out)
    return out


@pytest.fixture(scope="package", autouse=True)
def atlas_loaded(django_db_setup, django_db_blocker, atlas_dir):
    from locus.atlas import models as m
    from locus.atlas.infrastructure import bundled_sites_load
    from locus.atlas.selectors import cache_clear
    from locus.atlas.services import ORDER, atlas_load
    from locus.geography.models import LoadRecord
    from tests.atlas_tables import atlas_tables_clear

    with django_db_blocker.unblock():
        build = atlas_load(atlas_dir=atlas_dir)
        bundled_sites_load(he_file=HE_FILE, makerspace_file=MAKERSPACES, force=True)
    cache_clear()
    yield build
    with django_db_blocker.unblock():
        atlas_tables_clear(extra=(m.InfrastructureSite,))
        LoadRecord.objects.filter(dataset="atlas-infrastructure").delete()
    assert ORDER


@pytest.fixture(autouse=True)
def _fresh_caches():
    from locus.atlas.selectors import cache_clear

    cache_clear()
    yield
    cache_clear()


@pytest.fixture
def user_with_role(db):
    from locus.accounts.services import user_create

    def make(role: str, username: str | None = None):
        return user_create(username=username or role.replace(" ", "_"), email=f"{role[:3]}@example.org",
                           password="a long test password 123", role=role)

    return make
