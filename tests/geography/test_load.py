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


def test_reload_keeps_the_records_that_point_at_areas_and_updates_areas_in_place(django_user_model):
    """A geography update (new Welsh names, a corrected boundary) with peer-network firms registered: deleting and
    recreating every area refused to run (firms PROTECT their district) and would have emptied organisations'
    places (SET_NULL). The rows are updated in place and every record keeps its area."""
    from locus.collaboration.models import Organisation
    from locus.peers.demo import demo_peers_create
    from locus.peers.models import Firm

    demo_peers_create(firms=12, late_joiners=0)
    org = Organisation.objects.create(name="Test Org", normalised_name="test org", lad_id="E08000003",
                                      itl3_id="TLD33", combined_authority_id="E47000001")
    from locus.peers.models import Programme

    programme = Programme.objects.get()
    programme.places.set(["E47000001", "E08000003"])  # a programme's places (a many-to-many that cascaded)
    firms_before = dict(Firm.objects.values_list("pk", "lad_id"))
    Area.objects.filter(code="E08000003").update(name="Old name", name_welsh="")
    geography_load(data_dir=GEO_DIR)
    assert Area.objects.get(code="E08000003").name == "Manchester"  # updated in place
    assert Area.objects.get(code="E06000066").parent_id and Area.objects.count() == 621  # links made again
    assert dict(Firm.objects.values_list("pk", "lad_id")) == firms_before and all(firms_before.values())
    org.refresh_from_db()
    assert (org.lad_id, org.itl3_id, org.combined_authority_id) == ("E08000003", "TLD33", "E47000001")
    assert set(programme.places.values_list("code", flat=True)) == {"E47000001", "E08000003"}


def test_an_area_gone_from_the_bundle_but_still_used_stops_the_load_and_keeps_the_old_geography(tmp_path):
    from locus.errors import GeographyError
    from locus.peers.demo import demo_peers_create
    from locus.peers.models import Firm

    demo_peers_create(firms=12, late_joiners=0)
    used = Firm.objects.exclude(lad=None).values_list("lad_id", flat=True).first()
    Area.objects.create(code="E08999999", name="A retired district", level="lad")
    Firm.objects.filter(lad_id=used).update(lad_id="E08999999")
    records = LoadRecord.objects.count()
    with pytest.raises(GeographyError, match=r"1 areas are no longer in the bundled geography \(E08999999\)"):
        geography_load(data_dir=GEO_DIR)
    assert Area.objects.filter(code="E08999999").exists() and LoadRecord.objects.count() == records
