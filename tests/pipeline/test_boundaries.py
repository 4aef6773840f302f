"""Package boundaries, generated docs, CLI and exports."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from typer.testing import CliRunner

from locus.pipeline.catalogue import INDICATORS, catalogue_markdown
from locus.pipeline.cli import app
from locus.pipeline.export import geojson_export
from locus.pipeline.sources import MEASURES, SOURCES, measure_get, source_get

from .conftest import REPO


def test_pipeline_and_pathways_import_without_django():
    code = ("import sys, locus.pipeline, locus.pipeline.cli, locus.pathways.weak_links, "
            "locus.pathways.opportunities, locus.pathways.specialisation, locus.pathways.scores; "
            "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_indicator_catalogue_is_current():
    page = (REPO / "docs" / "indicators.md").read_text(encoding="utf-8")
    assert page == catalogue_markdown(), "regenerate with: python -m locus.pipeline.catalogue"


def test_catalogue_entries_are_complete_and_consistent():
    ids = [i.id for i in INDICATORS]
    assert len(ids) == len(set(ids))
    source_ids = {s.id for s in SOURCES}
    for ind in INDICATORS:
        for m in (*ind.numerator, *([ind.denominator] if ind.denominator else [])):
            assert measure_get(measure_id=m).source_id in source_ids
        assert ind.title and ind.definition and ind.unit and ind.publisher and ind.licence and ind.vintage
    assert len({m.id for m in MEASURES}) == len(MEASURES)


def test_cli_build_show_opportunities_export(built_atlas, tmp_path):
    out, _ = built_atlas
    runner = CliRunner()
    from locus.cli import app as locus_app

    shown = runner.invoke(locus_app, ["atlas", "show", "TLD33", "--build", str(out)])
    assert shown.exit_code == 0 and "Manchester" in shown.output and "neighbours" in shown.output
    listed = runner.invoke(locus_app, ["atlas", "opportunities", "--build", str(out), "--limit", "3", "--json"])
    assert listed.exit_code == 0 and json.loads(listed.output)[0]["rank"] == 1
    target = tmp_path / "scores.csv"
    exported = runner.invoke(app, ["atlas", "export", "stage_scores", "--format", "csv", "--out", str(target),
                                   "--atlas-dir", str(out)])
    assert exported.exit_code == 0 and target.read_text().startswith('"area_code"')
    bad = runner.invoke(app, ["atlas", "export", "nope", "--format", "csv", "--out", str(target),
                              "--atlas-dir", str(out)])
    assert bad.exit_code == 2 and "unknown table" in bad.output
    missing = runner.invoke(locus_app, ["atlas", "show", "TLD33", "--build", str(tmp_path / "none")])
    assert missing.exit_code == 1 and "locus build" in missing.output


def test_geojson_export_uses_the_geometry_provider(built_atlas, tmp_path):
    out, _ = built_atlas
    table = pq.read_table(out / "weak_links.parquet").slice(0, 5)
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    first = table.column("area_code")[0].as_py()
    n = geojson_export(table=table, geometry_provider=lambda code: square if code == first else None,
                       out=tmp_path / "w.geojson")
    data = json.loads((tmp_path / "w.geojson").read_text())
    assert n == len(data["features"]) >= 1 and data["features"][0]["properties"]["area_code"] == first


def test_parquet_outputs_have_no_nan_scores(built_atlas):
    out, _ = built_atlas
    scores = pq.read_table(Path(out) / "stage_scores.parquet")
    assert pa.compute.all(pa.compute.is_finite(scores["score"])).as_py()


def test_the_ukri_funding_caveat_quotes_the_bundled_series_totals():
    """The definition warns that Nesta's GtR series is far below UKRI's spending; its yearly UK
    totals are computed here from the bundled file, so the caveat cannot drift from the data."""
    totals: dict[str, float] = defaultdict(float)
    path = Path(__file__).resolve().parents[2] / "data/atlas/beis/gtr/total_ukri_funding.nuts3.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            totals[row["year"]] += float(row["total_ukri_funding"])
    low, high = round(min(totals.values()) / 1e6), round(max(totals.values()) / 1e6)
    years = f"{min(totals)}-{max(totals)}"
    definition = next(i for i in INDICATORS if i.id == "ukri_funding_per_head").definition
    assert f"£{low}m-£{high}m a year for the whole UK ({years})" in definition


def test_an_indicator_from_inputs_of_different_vintages_says_which_vintage_is_whose():
    """'2015-2018; 1998-2022' did not say which input each range belonged to."""
    mixed = [i for i in INDICATORS if len({source_get(source_id=s).vintage for s in i.sources}) > 1]
    assert len(mixed) >= 10
    for ind in mixed:
        for source_id in ind.sources:
            source = source_get(source_id=source_id)
            assert f"{source.title}: {source.vintage}" in ind.vintage, ind.id
    single = next(i for i in INDICATORS if len(i.sources) == 1)
    assert single.vintage == source_get(source_id=single.sources[0]).vintage


def test_build_and_export_default_to_the_data_folder_the_app_loads_from(built_atlas, tmp_path, monkeypatch):
    """With LOCUS_DATA_DIR set, `locus build` writes <LOCUS_DATA_DIR>/atlas (where `locus atlas load` and
    the web app read) and `locus atlas export` reads it: they used the repository's var/atlas."""
    import shutil

    from locus.pipeline.runner import default_out_dir

    out, _manifest = built_atlas
    monkeypatch.setenv("LOCUS_DATA_DIR", str(tmp_path / "data"))
    assert default_out_dir() == (tmp_path / "data" / "atlas").resolve()
    shutil.copytree(out, tmp_path / "data" / "atlas")  # as if `locus build` had run (it writes there: below)
    target = tmp_path / "scores.csv"
    exported = CliRunner().invoke(app, ["atlas", "export", "stage_scores", "--format", "csv", "--out", str(target)])
    assert exported.exit_code == 0, exported.output
    assert target.read_text(encoding="utf-8").startswith("\"area_code\"")
    monkeypatch.delenv("LOCUS_DATA_DIR")
    assert default_out_dir() == (REPO / "var" / "atlas").resolve()
    help_text = CliRunner().invoke(app, ["build", "--help"], env={"COLUMNS": "200"}).output
    assert "<LOCUS_DATA_DIR>/atlas" in help_text


def test_every_cli_export_carries_its_sources_vintages_and_licences(built_atlas, tmp_path):
    out, manifest = built_atlas
    runner = CliRunner()
    inputs = {i["id"]: i for i in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"]}

    def check(provenance: dict, table: str) -> None:
        assert provenance["table"] == table and provenance["methodology"] == "docs/methodology/atlas.md"
        assert {s["id"] for s in provenance["sources"]} == set(inputs)
        for s in provenance["sources"]:
            assert {k: s[k] for k in ("title", "publisher", "vintage", "licence")} == \
                {k: inputs[s["id"]][k] for k in ("title", "publisher", "vintage", "licence")}

    csv_out = tmp_path / "values.csv"
    done = runner.invoke(app, ["atlas", "export", "indicator_values", "--format", "csv", "--out", str(csv_out),
                               "--atlas-dir", str(out)])
    assert done.exit_code == 0 and "values.csv.provenance.json" in done.output.replace("\n", "")
    check(json.loads((tmp_path / "values.csv.provenance.json").read_text(encoding="utf-8")), "indicator_values")
    pq_out = tmp_path / "scores.parquet"
    assert runner.invoke(app, ["atlas", "export", "stage_scores", "--format", "parquet", "--out", str(pq_out),
                               "--atlas-dir", str(out)]).exit_code == 0
    check(json.loads(pq.read_schema(pq_out).metadata[b"locus_provenance"]), "stage_scores")
    assert pq.read_table(pq_out).num_rows == pq.read_table(out / "stage_scores.parquet").num_rows
    geo_out = tmp_path / "links.geojson"
    assert runner.invoke(app, ["atlas", "export", "weak_links", "--format", "geojson", "--out", str(geo_out),
                               "--atlas-dir", str(out)]).exit_code == 0
    check(json.loads(geo_out.read_text(encoding="utf-8"))["provenance"], "weak_links")
    areas_out = tmp_path / "areas.geojson"
    said = runner.invoke(app, ["atlas", "export", "areas", "--format", "geojson", "--out", str(areas_out),
                               "--atlas-dir", str(out)], env={"COLUMNS": "300"})
    features = len(json.loads(areas_out.read_text(encoding="utf-8"))["features"])
    total = pq.read_table(out / "areas.parquet").num_rows
    assert features < total and f"left out {total - features} rows whose area has no boundary" in said.output
