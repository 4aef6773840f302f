"""Loading geography into the database: complete, atomic and idempotent."""

from __future__ import annotations

import shutil

import pytest

from locus.errors import DataFileError
from locus.geography.models import Area, AreaMembership, CodeChange, LoadRecord, NutsLad2018
from locus.geography.services import geography_is_loaded, geography_load
from tests.conftest import GEO_DIR

pytestmark = pytest.mark.django_db


def test_loaded_database_holds_every_area_and_crosswalk():
    assert Area.objects.count() == 621
    assert Area.objects.filter(level="ca").count() == 15
    assert AreaMembership.objects.filter(parent_id="E47000001").count() == 10
    assert NutsLad2018.objects.count() == 400
    assert CodeChange.objects.filter(old_code="E07000026", new_code="E06000063").exists()
    assert geography_is_loaded(data_dir=GEO_DIR)


def test_failed_load_leaves_previous_geography_untouched(tmp_path):
    before = Area.objects.count(), LoadRecord.objects.count()
    target = tmp_path / "geo"
    shutil.copytree(GEO_DIR, target, ignore=shutil.ignore_patterns("postcodes.parquet"))
    path = target / "lad23_region_2023.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[10] = "E99999999,Nowhere,E12000001,North East,1"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFileError, match="line 11.*LAD23CD"):
        geography_load(data_dir=target)
    assert (Area.objects.count(), LoadRecord.objects.count()) == before
    assert Area.objects.get(code="E47000001").name == "Greater Manchester"


def test_reload_replaces_rather_than_duplicates():
    geography_load(data_dir=GEO_DIR)
    assert Area.objects.count() == 621
    assert AreaMembership.objects.count() == 769
