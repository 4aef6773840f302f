"""Migration 0002 carries a frozen copy of the spelling rule (standard Django practice: a migration
must not change when live code does). The copy must agree with the live rule today, on the table the
server and the browser already share; when the live rule changes, ``locus load`` respells the stored
search text (``geography_is_loaded`` is false while any is spelled otherwise, so the geography is
loaded again)."""

from __future__ import annotations

import ast
import importlib
import json
from pathlib import Path

import pytest

from locus import loading
from locus.geography import names
from locus.geography.models import Area
from locus.geography.services import area_search_text_stale, geography_is_loaded
from tests.conftest import GEO_DIR

MIGRATION = importlib.import_module("locus.geography.migrations.0002_search_text_spelled_one_way")
TABLE = json.loads((Path(__file__).parent / "fixtures" / "name_keys.json").read_text())


def test_the_migration_imports_nothing_from_the_project():
    tree = ast.parse(Path(MIGRATION.__file__).read_text())
    imported = [n.module if isinstance(n, ast.ImportFrom) else a.name
                for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)
                for a in (n.names if isinstance(n, ast.Import) else [n])]
    assert imported and not [m for m in imported if m and m.startswith("locus")], imported


@pytest.mark.parametrize("typed, key", TABLE)
def test_the_frozen_rule_agrees_with_the_live_rule_on_the_shared_table(typed, key):
    """If this fails after a change to locus/geography/names.py, leave the migration alone: the new
    rule reaches existing databases through ``locus load`` (geography_is_loaded, area_search_text_stale)."""
    assert MIGRATION.name_key(typed) == names.name_key(typed) == key
    assert MIGRATION.search_text(typed, "E06000023") == names.search_text(typed, "E06000023")


@pytest.mark.django_db
def test_the_migration_writes_what_the_live_rule_writes_for_every_bundled_area():
    from django.apps import apps

    Area.objects.update(search_text="")
    MIGRATION.recompute(apps, None)
    assert all(text == names.search_text(name, code)
               for code, name, text in Area.objects.values_list("code", "name", "search_text"))


@pytest.mark.django_db
def test_locus_load_reloads_the_geography_when_search_text_is_spelled_by_an_older_rule():
    """The geography load is skipped while the bundled files are unchanged, unless the stored search
    text is not what the live rule writes."""
    assert geography_is_loaded(data_dir=GEO_DIR)
    Area.objects.filter(code="E08000013").update(search_text=" st. helens e08000013 ")  # an older rule
    assert area_search_text_stale() == ["E08000013"] and not geography_is_loaded(data_dir=GEO_DIR)
    summary = loading._geography(force=False, say=lambda step: None)
    assert summary["geography"]["areas"] == 621
    assert Area.objects.get(code="E08000013").search_text == " st helens e08000013 "
    assert area_search_text_stale() == [] and geography_is_loaded(data_dir=GEO_DIR)
