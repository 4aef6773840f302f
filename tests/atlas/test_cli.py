"""``locus atlas export --format geojson``, ``locus atlas load`` and ``locus atlas sites-import``."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from locus.atlas import models as m
from locus.cli import app

runner = CliRunner()


def test_export_a_table_as_geojson_with_the_bundled_boundaries(atlas_dir, tmp_path):
    out = tmp_path / "links.geojson"
    result = runner.invoke(app, ["atlas", "export", "weak_links", "--format", "geojson", "--out", str(out),
                                 "--atlas-dir", str(atlas_dir)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    import pyarrow.parquet as pq

    rows = pq.read_table(atlas_dir / "weak_links.parquet").num_rows
    assert len(data["features"]) == rows
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in data["features"])


def test_export_refuses_geojson_for_a_table_without_areas(atlas_dir, tmp_path):
    result = runner.invoke(app, ["atlas", "export", "indicators", "--format", "geojson", "--out",
                                 str(tmp_path / "x.geojson"), "--atlas-dir", str(atlas_dir)])
    assert result.exit_code == 1 and "no area code column" in result.output


@pytest.mark.django_db
def test_load_of_a_missing_build_fails_and_keeps_the_live_atlas(tmp_path):
    live = m.AtlasBuild.objects.get(is_live=True)
    result = runner.invoke(app, ["atlas", "load", "--atlas-dir", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert m.AtlasBuild.objects.get(is_live=True) == live


@pytest.mark.django_db
def test_sites_import_lists_row_errors_and_imports_nothing(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("name,type,postcode,source,date_checked\nA,incubator,M1 1AE,src,2026-01-01\n"
                    "B,volcano,M1 1AE,src,2026-01-01\n")
    before = m.InfrastructureSite.objects.count()
    result = runner.invoke(app, ["atlas", "sites-import", str(path)])
    assert result.exit_code == 1 and m.InfrastructureSite.objects.count() == before
    result = runner.invoke(app, ["atlas", "sites-import", str(path), "--dry-run"])
    assert result.exit_code == 1
    path.write_text("name,type,postcode,source,date_checked\nA,incubator,M1 1AE,src,2026-01-01\n")
    assert runner.invoke(app, ["atlas", "sites-import", str(path), "--dry-run"]).exit_code == 0
    assert m.InfrastructureSite.objects.count() == before
    assert runner.invoke(app, ["atlas", "sites-import", str(path)]).exit_code == 0
    assert m.InfrastructureSite.objects.count() == before + 1
