"""Loading a build: all or nothing, and the live build recorded with its manifest."""

from __future__ import annotations

import json
import shutil

import pytest
from django.db import DatabaseError, transaction

from locus.atlas import models as m
from locus.atlas.bundled import build_is_stale
from locus.atlas.selectors import cache_clear, cached
from locus.atlas.services import atlas_bundle_read, atlas_live_checksum, atlas_load
from locus.errors import AtlasError

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in
            (m.Indicator, m.AtlasArea, m.IndicatorValue, m.StageScore, m.Neighbour, m.WeakLink, m.Opportunity)}


def test_the_live_build_is_recorded_with_its_manifest_and_row_counts(atlas_loaded, atlas_dir):
    live = m.AtlasBuild.objects.get(is_live=True)
    manifest = json.loads((atlas_dir / "manifest.json").read_text())
    assert live.manifest["code_version"] == manifest["code_version"]
    assert live.checksum == atlas_live_checksum() == atlas_bundle_read(atlas_dir=atlas_dir).checksum
    for table, meta in manifest["tables"].items():
        if table in live.rows:
            assert live.rows[table] == meta["rows"], table
    assert m.IndicatorValue.objects.count() == manifest["tables"]["indicator_values"]["rows"]
    assert m.AtlasArea.objects.filter(level="ca").count() == 15
    assert m.AtlasArea.objects.filter(level="itl3").count() == 179


def test_a_failure_half_way_through_the_writes_leaves_the_previous_atlas(atlas_loaded, atlas_dir, monkeypatch):
    before, live_before = _counts(), atlas_live_checksum()
    from locus.atlas import services

    real = services._replace

    def failing(rows):
        if rows.model is m.WeakLink:
            raise DatabaseError("disk full (simulated)")
        real(rows)

    monkeypatch.setattr(services, "_replace", failing)
    with pytest.raises(DatabaseError):
        atlas_load(atlas_dir=atlas_dir)
    assert _counts() == before
    assert atlas_live_checksum() == live_before
    assert m.AtlasBuild.objects.filter(is_live=True).count() == 1


@pytest.mark.parametrize("damage", ["truncate", "drop_table", "drop_column", "no_manifest"])
def test_a_broken_build_is_refused_before_anything_is_written(atlas_loaded, atlas_dir, tmp_path, damage):
    broken = tmp_path / "broken"
    shutil.copytree(atlas_dir, broken)
    if damage == "truncate":
        path = broken / "weak_links.parquet"
        path.write_bytes(path.read_bytes()[:500])
    elif damage == "drop_table":
        (broken / "stage_scores.parquet").unlink()
    elif damage == "drop_column":
        import pyarrow.parquet as pq

        from locus.pipeline.export import sha256_file

        table = pq.read_table(broken / "neighbours.parquet").drop(["distance"])
        pq.write_table(table, broken / "neighbours.parquet")
        manifest = json.loads((broken / "manifest.json").read_text())
        manifest["tables"]["neighbours"]["sha256"] = sha256_file(broken / "neighbours.parquet")
        (broken / "manifest.json").write_text(json.dumps(manifest))
    else:
        (broken / "manifest.json").unlink()
    before, live_before = _counts(), atlas_live_checksum()
    with pytest.raises(AtlasError) as info:
        atlas_load(atlas_dir=broken)
    assert str(broken) in str(info.value) or "neighbours" in str(info.value)
    assert _counts() == before and atlas_live_checksum() == live_before


def test_reloading_the_same_build_replaces_rather_than_duplicates(atlas_loaded, atlas_dir):
    before = _counts()
    build = atlas_load(atlas_dir=atlas_dir)
    assert _counts() == before
    assert build.is_live and m.AtlasBuild.objects.filter(is_live=True).get() == build
    assert m.AtlasBuild.objects.filter(is_live=False).exists()  # the previous record is kept, retired


def test_a_build_is_stale_when_an_input_changes(atlas_dir, tmp_path):
    assert build_is_stale(atlas_dir=tmp_path / "nothing", data_dir=tmp_path / "data") == "no build yet"
    manifest = json.loads((atlas_dir / "manifest.json").read_text())
    first = manifest["inputs"][0]
    from tests.atlas.conftest import ATLAS_DATA

    copy = tmp_path / "atlas"
    shutil.copytree(ATLAS_DATA, copy, ignore=shutil.ignore_patterns("*.md"))
    shutil.copytree(ATLAS_DATA.parent / "geography", tmp_path / "geography")
    (tmp_path / "collaboration").mkdir()
    shutil.copy(ATLAS_DATA.parent / "collaboration" / "network_indicators.csv", tmp_path / "collaboration")
    assert build_is_stale(atlas_dir=atlas_dir, data_dir=copy) == ""
    (copy / first["path"]).write_text("changed")
    assert build_is_stale(atlas_dir=atlas_dir, data_dir=copy) == f"input {first['path']} changed"


@pytest.mark.django_db
def test_bad_input_stops_locus_load_naming_file_line_and_field_and_the_served_atlas_stays(atlas_loaded, tmp_path):
    """The path `locus load` takes: a malformed source row stops the build before anything is
    loaded; the live atlas and its rows are untouched."""
    from locus.atlas.bundled import atlas_bundled_load
    from locus.errors import DataFileError
    from tests.atlas.conftest import ATLAS_DATA

    data = tmp_path / "data"
    shutil.copytree(ATLAS_DATA, data / "atlas")
    shutil.copytree(ATLAS_DATA.parent / "geography", data / "geography")
    (data / "collaboration").mkdir()
    shutil.copy(ATLAS_DATA.parent / "collaboration" / "network_indicators.csv", data / "collaboration")
    path = data / "atlas" / "beis" / "hebci" / "ip_revenue.nuts3.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[9] = lines[9].rsplit(",", 1)[0] + ",n/a\n"
    path.write_text("".join(lines), encoding="utf-8")
    live = m.AtlasBuild.objects.get(is_live=True)
    rows = m.IndicatorValue.objects.count()
    with pytest.raises(DataFileError) as err:
        atlas_bundled_load(atlas_dir=tmp_path / "built", data_dir=data / "atlas", force=True)
    assert err.value.path.endswith("ip_revenue.nuts3.csv") and err.value.line == 10 and err.value.field == "ip_revenue"
    assert m.AtlasBuild.objects.get(is_live=True) == live and m.IndicatorValue.objects.count() == rows
    assert not (tmp_path / "built").exists()


def test_reads_cached_for_a_rolled_back_load_are_not_served_for_the_next_load():
    """SQLite gives the id of a rolled-back load to the next one; the memo key held only the id,
    so the next load could be served the rolled-back load's numbers."""
    def live_build(label: str):
        m.AtlasBuild.objects.filter(is_live=True).update(is_live=False)
        return m.AtlasBuild.objects.create(checksum=label, code_version="test", built_at="2026-11-29",
                                           source_dir="/nowhere", manifest={}, is_live=True)

    cache_clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        live_build("first")
        assert cached("probe", compute=lambda: "first load's numbers") == "first load's numbers"
        raise RuntimeError("the load failed")
    live_build("second")
    assert cached("probe", compute=lambda: "second load's numbers") == "second load's numbers"
    cache_clear()
