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
    assert result.exit_code == 2 and "no area code column" in result.output



def test_export_says_build_first_when_there_is_no_build(tmp_path):
    result = runner.invoke(app, ["atlas", "export", "weak_links", "--out", str(tmp_path / "x.csv"),
                                 "--atlas-dir", str(tmp_path)])
    said = " ".join(result.output.split())
    assert result.exit_code == 1 and "no atlas build in" in said and "run `locus build` first" in said


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
    assert result.exit_code == 2 and m.InfrastructureSite.objects.count() == before  # bad input
    result = runner.invoke(app, ["atlas", "sites-import", str(path), "--dry-run"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2 and "Line 3, type" in said and "nothing was imported" in said
    path.write_text("name,type,postcode,source,date_checked\nA,incubator,M1 1AE,src,2026-01-01\n")
    assert runner.invoke(app, ["atlas", "sites-import", str(path), "--dry-run"]).exit_code == 0
    assert m.InfrastructureSite.objects.count() == before
    assert runner.invoke(app, ["atlas", "sites-import", str(path)]).exit_code == 0
    assert m.InfrastructureSite.objects.count() == before + 1


@pytest.mark.django_db
def test_show_reads_the_loaded_atlas_and_names_the_live_build():
    live = m.AtlasBuild.objects.get(is_live=True)
    result = runner.invoke(app, ["atlas", "show", "E47000001"])
    assert result.exit_code == 0, result.output
    assert "Greater Manchester" in result.output and live.checksum[:12] in result.output
    score = m.StageScore.objects.get(area_code="E47000001", level="ca", stage="research", is_latest=True)
    assert f"{score.score:.2f}" in result.output
    first = m.Neighbour.objects.filter(area_code="E47000001", level="ca").order_by("rank").first()
    assert m.AtlasArea.objects.get(code=first.neighbour_code, level="ca").name in result.output
    lines = result.output.splitlines()  # piped output: whole stage names and one row per stage
    for link in m.WeakLink.objects.filter(area_code="E47000001", level="ca"):
        row = next(line for line in lines if f" {link.stage} " in line)
        verdict = "weak link" if link.is_weak else "stronger than expected" if link.is_strong else "as expected"
        assert f"{link.gap:+.2f} ({link.lo:+.2f} to {link.hi:+.2f})" in row and verdict in row, row


@pytest.mark.django_db
def test_show_of_a_district_lists_the_stages_without_a_district_score():
    result = runner.invoke(app, ["atlas", "show", "E08000003"])
    assert result.exit_code == 0, result.output
    assert "Manchester" in result.output and "no data" in result.output
    assert "measured for districts" in " ".join(result.output.split())


@pytest.mark.django_db
def test_show_and_opportunities_say_when_no_atlas_is_loaded():
    from locus.atlas.selectors import cache_clear

    m.AtlasBuild.objects.update(is_live=False)
    cache_clear()
    for args in (["atlas", "show", "TLD33"], ["atlas", "opportunities"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1
        assert "No atlas has been loaded" in result.output and "--build" in result.output


@pytest.mark.django_db
def test_opportunities_read_the_loaded_ranking_nationally_and_per_ca():
    national = list(m.Opportunity.objects.filter(scope="national").order_by("rank")[:3])
    result = runner.invoke(app, ["atlas", "opportunities", "--limit", "3", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["area_code"], r["stage"]) for r in rows] == [(o.area_code, o.stage) for o in national]
    ca = m.Opportunity.objects.exclude(scope__in=["national", "national_ca"]).values_list("scope", flat=True).first()
    rows = json.loads(runner.invoke(app, ["atlas", "opportunities", "--ca", ca, "--json", "--limit", "50"]).output)
    assert rows and {r["scope"] for r in rows} == {ca}
    bad = runner.invoke(app, ["atlas", "opportunities", "--ca", "E99999999"])
    assert bad.exit_code == 2 and "E99999999" in bad.output  # wrong input (ADR 0031)


def test_show_and_opportunities_read_a_parquet_build_with_build(atlas_dir):
    import pyarrow.parquet as pq

    result = runner.invoke(app, ["atlas", "show", "TLD33", "--build", str(atlas_dir)])
    assert result.exit_code == 0, result.output
    assert "Parquet build" in result.output and "neighbours:" in result.output
    national = [r for r in pq.read_table(atlas_dir / "opportunities.parquet").to_pylist() if r["scope"] == "national"]
    rows = json.loads(runner.invoke(app, ["atlas", "opportunities", "--json", "--limit", "2",
                                          "--build", str(atlas_dir)]).output)
    assert [r["area_code"] for r in rows] == [r["area_code"] for r in sorted(national, key=lambda r: r["rank"])[:2]]
    missing = runner.invoke(app, ["atlas", "show", "TLD33", "--build", str(atlas_dir.parent / "nothing")])
    assert missing.exit_code == 1
    unknown = runner.invoke(app, ["atlas", "show", "XX999", "--build", str(atlas_dir)])
    assert unknown.exit_code == 2 and "unknown area code" in unknown.output


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "words"), [
    ("name,type\nA,incubator\n".encode("utf-16"), "the file is UTF-16 text, not UTF-8"),
    ("name,type\nCaf\u00e9,incubator\n".encode("cp1252"), "line 2: byte 0xe9 is not UTF-8"),
])
def test_sites_import_reads_the_file_as_every_command_does(tmp_path, data, words):
    """Locus's one reader (locus.textfile): one line naming the file, exit 2, instead of Python's
    "'utf-8' codec can't decode byte 0xff in position 0" and exit 1."""
    path = tmp_path / "sites.csv"
    path.write_bytes(data)
    for args in ([], ["--dry-run"]):
        result = runner.invoke(app, ["atlas", "sites-import", str(path), *args])
        said = " ".join(result.output.split())
        assert result.exit_code == 2 and said.startswith(f"Error: file {path}") and words in said, said
        assert "codec" not in said and "save it as UTF-8" in said


def _provenance_keys_named(prov: dict) -> None:
    assert set(prov) >= {"source", "publisher", "vintage", "licence", "method"}
    assert all(prov[k] for k in ("source", "publisher", "vintage", "licence", "method"))


@pytest.mark.django_db
def test_opportunities_json_rows_carry_the_apis_provenance(client):
    """`--json` gave bare rows with no source, vintage, licence or method; each row now has the
    provenance /api/v1/opportunities gives, and the list stays a list (consumers read it as before)."""
    result = runner.invoke(app, ["atlas", "opportunities", "--limit", "3", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert isinstance(rows, list) and len(rows) == 3
    api = client.get("/api/v1/opportunities?limit=3").json()
    assert [r["provenance"] for r in rows] == [a["provenance"] for a in api]
    assert [(r["area_code"], r["stage"], r["rank"]) for r in rows] == [(a["area_code"], a["stage"], a["rank"]) for a in api]
    _provenance_keys_named(rows[0]["provenance"])
    live = m.AtlasBuild.objects.get(is_live=True)
    assert live.checksum[:12] in rows[0]["provenance"]["source"]


@pytest.mark.django_db
def test_opportunities_in_words_end_with_their_source_licence_and_method():
    from locus.atlas.selectors import score_provenance

    result = runner.invoke(app, ["atlas", "opportunities", "--limit", "2"])
    assert result.exit_code == 0, result.output
    prov = score_provenance()
    said = " ".join(result.output.split())
    assert f"Source: {prov['source']}" in said and f"Method: {prov['method']}" in said
    assert " ".join(f"Licence: {prov['licence']}".split()) in said


def test_opportunities_json_from_a_parquet_build_carry_its_export_provenance(atlas_dir):
    from locus.pipeline.export import export_provenance

    result = runner.invoke(app, ["atlas", "opportunities", "--json", "--limit", "2", "--build", str(atlas_dir)])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert isinstance(rows, list) and len(rows) == 2
    expected = json.loads(json.dumps(export_provenance(atlas_dir=atlas_dir, table="opportunities"), default=str))
    assert all(r["provenance"] == expected for r in rows)
    sources = expected["sources"]
    assert sources and all(s["publisher"] and s["vintage"] and s["licence"] for s in sources)
    words = runner.invoke(app, ["atlas", "opportunities", "--limit", "2", "--build", str(atlas_dir)])
    said = " ".join(words.output.split())
    assert f"from {len(sources)} published input files" in said and "Method: docs/methodology/atlas.md" in said


@pytest.mark.django_db
def test_show_of_an_unknown_area_in_the_loaded_atlas_is_wrong_input():
    result = runner.invoke(app, ["atlas", "show", "NOPE99"])
    assert result.exit_code == 2 and "NOPE99" in result.output  # ADR 0031 addendum
