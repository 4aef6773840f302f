"""The two passes of scripts/test.sh: the PostgreSQL pass keeps every test that can reach a database,
the SQLite pass leaves out the browser tests, which run on PostgreSQL (tests/conftest.py)."""

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
    monkeypatch.delenv("LOCUS_TESTS_NO_BROWSER", raising=False)
    pytest_collection_modifyitems(config, items)
    assert len(items) == 2 and deselected == []
    monkeypatch.setenv("LOCUS_TESTS_DATABASE_ONLY", "1")
    pytest_collection_modifyitems(config, items)
    assert [str(i.fspath).rsplit("/", 1)[-1] for i in items] == ["test_b.py"]
    assert [str(i.fspath).rsplit("/", 1)[-1] for i in deselected] == ["test_a.py"]


def test_the_sqlite_pass_leaves_out_only_the_browser_tests(monkeypatch):
    items = [_item("tests/pathways/test_a.py"), _item("tests/peers/test_b.py", marked=True),
             _item("tests/e2e/test_c.py")]
    deselected = []
    config = SimpleNamespace(hook=SimpleNamespace(pytest_deselected=lambda items: deselected.extend(items)))
    monkeypatch.delenv("LOCUS_TESTS_DATABASE_ONLY", raising=False)
    monkeypatch.setenv("LOCUS_TESTS_NO_BROWSER", "1")
    pytest_collection_modifyitems(config, items)
    assert [str(i.fspath).rsplit("/", 1)[-1] for i in items] == ["test_a.py", "test_b.py"]
    assert [str(i.fspath).rsplit("/", 1)[-1] for i in deselected] == ["test_c.py"]


def test_together_the_two_passes_run_every_test_at_least_once(monkeypatch):
    items = [_item("tests/pathways/test_a.py"), _item("tests/peers/test_b.py", marked=True),
             _item("tests/e2e/test_c.py")]
    ran = set()
    for env in ({"LOCUS_TESTS_NO_BROWSER": "1"}, {"LOCUS_TESTS_DATABASE_ONLY": "1"}):
        monkeypatch.delenv("LOCUS_TESTS_NO_BROWSER", raising=False)
        monkeypatch.delenv("LOCUS_TESTS_DATABASE_ONLY", raising=False)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        selected = list(items)
        config = SimpleNamespace(hook=SimpleNamespace(pytest_deselected=lambda items: None))
        pytest_collection_modifyitems(config, selected)
        ran |= {str(i.fspath) for i in selected}
    assert ran == {str(i.fspath) for i in items}
