"""The full build from the bundled real data: outputs, coverage, an independent check of a
Combined Authority total against the raw files, and reproducibility."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from locus.pathways.stages import STAGE_IDS
from locus.pipeline import atlas_build
from locus.pipeline.export import TABLE_DOCS
from locus.pipeline.sources import SOURCES

from .conftest import DATA_DIR, REPO

GEO = REPO / "data" / "geography"


def _read(out: Path, table: str):
    return pq.read_table(out / f"{table}.parquet")


def test_every_documented_table_is_written_with_a_manifest(built_atlas):
    out, manifest = built_atlas
    written = json.loads((out / "manifest.json").read_text())
    assert set(written["tables"]) == set(TABLE_DOCS)
    assert {i["id"] for i in written["inputs"]} == {s.id for s in SOURCES}
    assert all(len(i["sha256"]) == 64 and i["vintage"] and i["licence"] for i in written["inputs"])
    assert written["code_version"].startswith("locus-")
    assert manifest.checks_passed >= 50
    for name, meta in written["tables"].items():
        assert _read(out, name).num_rows == meta["rows"]
    assert _read(out, "areas").column_names[:3] == ["code", "name", "level"]
    assert set(_read(out, "weak_links").column_names) >= {"area_code", "stage", "expected", "actual", "gap",
                                                          "lo", "hi", "is_weak"}


def test_every_itl3_area_and_ca_is_scored(built_atlas):
    out, _ = built_atlas
    areas = _read(out, "areas")
    assert pc.sum(pc.equal(areas["level"], "itl3")).as_py() == 179
    assert pc.sum(pc.equal(areas["level"], "ca")).as_py() == 15
    latest = _read(out, "stage_scores").filter(pc.field("is_latest")).to_pylist()
    count = {}
    for r in latest:
        count.setdefault((r["level"], r["stage"]), set()).add(r["area_code"])
    for stage in STAGE_IDS:
        assert len(count[("ca", stage)]) == 15
    for stage in ("research", "formation", "business_rd_finance", "productivity"):
        assert len(count[("itl3", stage)]) >= 178
    # knowledge exchange and IP are scored where there is HE research income to convert
    assert len(count[("itl3", "knowledge_exchange")]) >= 80
    neighbours = _read(out, "neighbours")
    assert neighbours.num_rows == 179 * 5 + 15 * 4 + 361 * 5


def test_opportunities_have_reasons_numbers_and_comparison_places(built_atlas):
    out, _ = built_atlas
    opps = _read(out, "opportunities").to_pylist()
    national = [o for o in opps if o["scope"] == "national"]
    assert national and [o["rank"] for o in national] == list(range(1, len(national) + 1))
    for o in national:
        numbers = json.loads(o["numbers"])
        assert numbers["research_percentile"] >= 0.8 and numbers["hi"] < 0
        assert numbers["comparison_places"] and "Comparison places" in o["reason"]
        assert f"{numbers['actual']:.2f}" in o["reason"]
    assert any(o["scope"].startswith("E47") for o in opps)


def _csv(path: Path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_ca_total_equals_an_independent_sum_over_member_areas(built_atlas):
    """Greater Manchester's HE IP income is the sum of its five NUTS3 areas in the raw file;
    the West of England's HE research income (a CA that splits NUTS3 UKK12) is recomputed from
    the raw CSVs in plain Python and shapely: each NUTS3 area's income shared by where its HE
    providers are (the providers file's points in the LAD boundaries), by population where it has none."""
    out, _ = built_atlas
    values = _read(out, "indicator_values")

    def atlas(indicator, ca, year):
        rows = values.filter(pc.and_(pc.equal(values["indicator_id"], indicator),
                                     pc.and_(pc.equal(values["area_code"], ca), pc.equal(values["year"], year))))
        return rows.to_pylist()[0]

    ca_lads = {}
    for row in _csv(GEO / "lad25_ca_2025.csv"):
        ca_lads.setdefault(row["CAUTH25CD"], set()).add(row["LAD25CD"])
    nuts_of = {r["LAD18CD"]: r["NUTS318CD"] for r in _csv(GEO / "lad18_nuts_2018.csv")}

    ip = {r["nuts_id"]: float(r["ip_revenue"]) for r in _csv(DATA_DIR / "beis/hebci/ip_revenue.nuts3.csv")
          if r["year"] == "2018"}
    gm_nuts = {nuts_of[lad] for lad in ca_lads["E47000001"]}
    assert gm_nuts == {"UKD33", "UKD34", "UKD35", "UKD36", "UKD37"}
    got = atlas("ip_revenue_total", "E47000001", 2018)
    assert got["value"] == pytest.approx(sum(ip.get(n, 0.0) for n in gm_nuts)) and got["method"] == "exact"

    income = {r["nuts_id"]: float(r["gbp_research_income"])
              for r in _csv(DATA_DIR / "beis/hesa/gbp_research_income.nuts3.csv") if r["year"] == "2018"}
    pop = {r["gss-code"]: float(r["pop-2020"]) for r in _csv(GEO / "mysociety_local_authorities.csv") if r["pop-2020"]}
    providers = _providers_by_lad()
    members = ca_lads["E47000009"]
    expected = 0.0
    for nuts in {nuts_of[lad] for lad in members}:
        lads = [lad for lad, n in nuts_of.items() if n == nuts]
        if any(providers.get(lad) for lad in lads):  # by where the universities are
            share = sum(providers.get(lad, 0) for lad in lads if lad in members) / sum(providers.get(lad, 0) for lad in lads)
        else:
            share = sum(pop[lad] for lad in lads if lad in members) / sum(pop[lad] for lad in lads)
        expected += income.get(nuts, 0.0) * share
    assert expected == pytest.approx(income["UKK11"] + income["UKK12"])  # Bath, Bath Spa and UWE are all inside
    got = atlas("research_income_total", "E47000009", 2018)
    assert got["value"] == pytest.approx(expected, rel=1e-9) and got["method"] == "apportioned"


def _providers_by_lad() -> dict[str, int]:
    """HE providers per LAD from the raw providers file and the LAD boundaries (shapely, not the pipeline)."""
    from shapely.geometry import Point, shape

    lads = [(f["properties"]["LAD23CD"], shape(f["geometry"]))
            for f in json.loads((GEO / "lad_2023_buc.geojson").read_text(encoding="utf-8"))["features"]]
    out: dict[str, int] = {}
    for row in _csv(DATA_DIR / "universities" / "learning-providers-plus.csv"):
        if row["LONGITUDE"] and row["LATITUDE"]:
            point = Point(float(row["LONGITUDE"]), float(row["LATITUDE"]))
            code = next((c for c, g in lads if g.contains(point)), None)
            if code:
                out[code] = out.get(code, 0) + 1
    return out


def test_two_builds_from_the_same_inputs_are_identical(built_atlas, tmp_path):
    out, first = built_atlas
    second = atlas_build(data_dir=DATA_DIR, out_dir=tmp_path / "again")
    assert {n: t["sha256"] for n, t in first.tables.items()} == {n: t["sha256"] for n, t in second.tables.items()}


def test_neighbour_overrides_replace_the_computed_list(tmp_path):
    manifest = atlas_build(data_dir=DATA_DIR, out_dir=tmp_path / "custom",
                           neighbour_overrides={"TLD33": ["TLE42", "TLG31", "TLK11"]})
    neighbours = _read(tmp_path / "custom", "neighbours")
    mine = [r for r in neighbours.to_pylist() if r["area_code"] == "TLD33" and r["level"] == "itl3"]
    assert [r["neighbour_code"] for r in mine] == ["TLE42", "TLG31", "TLK11"]
    assert {r["source"] for r in mine} == {"override"} and all(r["distance"] > 0 for r in mine)
    links = [r for r in _read(tmp_path / "custom", "weak_links").to_pylist()
             if r["area_code"] == "TLD33" and r["level"] == "itl3"]
    assert links and all(r["neighbour_codes"].startswith("TLE42") for r in links if r["neighbour_codes"])
    written = json.loads((tmp_path / "custom" / "manifest.json").read_text())
    assert written["parameters"]["neighbour_overrides"] == {"TLD33": ["TLE42", "TLG31", "TLK11"]}
    assert manifest.checks_passed >= 50


def test_district_scores_use_only_indicators_measured_for_districts(built_atlas):
    """ADR 0010: at LAD level only native indicators enter a score; stages without enough of them
    have no score, no weak link and no opportunity."""
    out, _ = built_atlas
    manifest = json.loads((out / "manifest.json").read_text())
    lad_rule = manifest["parameters"]["lad_rule"]["stages"]
    native = {i for stage in lad_rule.values() for i in stage["native"]}
    assert native == {"enterprise_birth_rate", "high_growth_rate", "survival_3y_rate", "gva_per_hour"}
    scores = [r for r in _read(out, "stage_scores").to_pylist() if r["level"] == "lad"]
    assert {r["stage"] for r in scores} == {"formation", "productivity"}
    assert all(set(r["indicators"].split(",")) <= native for r in scores)
    assert len({r["area_code"] for r in scores if r["is_latest"]}) == 361
    # a district's score is the mean of its normalised native indicators (known answer from the build)
    norm = {(r["indicator_id"], r["area_code"], r["year"]): r["normalised"]
            for r in _read(out, "indicator_scores").to_pylist() if r["level"] == "lad"}
    assert {k[0] for k in norm} <= native
    row = next(r for r in scores if r["area_code"] == "E08000003" and r["stage"] == "productivity" and r["is_latest"])
    assert row["score"] == pytest.approx(norm[("gva_per_hour", "E08000003", row["year"])])
    links = [r for r in _read(out, "weak_links").to_pylist() if r["level"] == "lad"]
    assert {r["stage"] for r in links} == {"formation", "productivity"}
    assert all(r["lo"] <= r["gap"] <= r["hi"] for r in links)
    neighbours = [r for r in _read(out, "neighbours").to_pylist() if r["level"] == "lad"]
    lads = {r["code"] for r in _read(out, "areas").to_pylist() if r["level"] == "lad"}
    assert {r["neighbour_code"] for r in neighbours} <= lads and len(neighbours) == 5 * 361
    assert manifest["parameters"]["structural_variables"]["lad"] == ["population_2020", "density", "gva_per_hour",
                                                                     "he_providers"]
    assert not [o for o in _read(out, "opportunities").to_pylist() if o["level"] == "lad"]


def test_partial_coverage_indicators_are_published_but_not_scored(built_atlas):
    out, _ = built_atlas
    manifest = json.loads((out / "manifest.json").read_text())
    values = [r for r in _read(out, "indicator_values").to_pylist() if r["indicator_id"] == "collab_links"]
    assert {r["level"] for r in values} == {"lad", "itl3"}
    assert len([r for r in values if r["level"] == "lad"]) == 22 and all(r["area_code"].startswith("W06") for r in
                                                                          values if r["level"] == "lad")
    use = manifest["score_use"]
    share = use["collab_university_business_share"]
    assert not share["itl3"]["used"] and share["itl3"]["reason"].startswith("coverage rule: values in 1 of the 12")
    assert use["collab_research_share"]["itl3"]["used"]  # half the areas, but every region: scored
    scored_ids = {i for r in _read(out, "stage_scores").to_pylist() for i in r["indicators"].split(",")}
    assert not any(i.startswith("collab_") and i != "collab_research_share" for i in scored_ids)
    assert {i["id"] for i in manifest["inputs"]} >= {"collab_network_indicators"}
