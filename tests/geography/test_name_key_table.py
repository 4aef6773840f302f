"""The shared spelling table: the server's normaliser (locus/geography/names.py) gives each key, and
tests/e2e/test_atlas.py checks the browser's copy (locus/static/locus/place-suggest.js) on the same
table, so the suggestions under a place box find what the search behind it finds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from locus.geography.names import name_key

TABLE = json.loads((Path(__file__).parent / "fixtures" / "name_keys.json").read_text())


@pytest.mark.parametrize("typed, key", TABLE)
def test_the_server_spells_each_name_as_the_shared_table_says(typed, key):
    assert name_key(typed) == key
