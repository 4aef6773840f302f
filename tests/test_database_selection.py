"""The PostgreSQL pass keeps every test that can reach a database (tests/conftest.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.conftest import REPO_ROOT, pytest_collection_modifyitems, uses_database


def _item(path: str, *, marked: bool = False, fixtures: tuple[str, ...] = ()) -> SimpleNamespace:
    return SimpleNamespace(fspath=REPO_ROOT / path, fixturenames=["request", "django_db_blocker", *fixtures],
                           get_closest_marker=lambda name: object() if marked and name == "django_db" else None)


@pytest.mark.parametrize(("item", "expected"), [
    (_item("tests/peers/test_x.py", marked=True), True),                 # @pytest.mark.django_db
    (_item("tests/atlas/test_x.py", fixtures=("db",)), True),            # the db fixture, maybe indirectly
    (_item("tests/policy/test_x.py", fixtures=("transactional_db",)), True),
    (_item("tests/web/test_x.py", fixtures=("live_server",)), True),
    (_item("tests/e2e/test_x.py"), True),                                # a browser test's own server
    (_item("tests/pathways/test_x.py"), False),                          # a Django-free core
    (_item("tests/pipeline/test_x.py", fixtures=("tmp_path", "client")), False),  # refused the database
])
def test_uses_database(item, expected):
    assert uses_database(item) is expected


def test_selection_applies_only_when_asked(monkeypatch):
    items = [_item("tests/pathways/test_a.py"), _item("tests/peers/test_b.py", marked=True)]
    deselected = []
    config = SimpleNamespace(hook=SimpleNamespace(pytest_deselected=lambda items: deselected.extend(items)))
    monkeypatch.delenv("LOCUS_TESTS_DATABASE_ONLY", raising=False)
    pytest_collection_modifyitems(config, items)
    assert len(items) == 2 and deselected == []
    monkeypatch.setenv("LOCUS_TESTS_DATABASE_ONLY", "1")
    pytest_collection_modifyitems(config, items)
    assert [str(i.fspath).rsplit("/", 1)[-1] for i in items] == ["test_b.py"]
    assert [str(i.fspath).rsplit("/", 1)[-1] for i in deselected] == ["test_a.py"]
