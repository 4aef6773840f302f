"""The geography derived from the real ONS and mySociety files."""

from __future__ import annotations

import csv
import shutil
from collections import Counter

import pytest

from locus.errors import DataFileError
from locus.geography.build import derive_geography
from tests.conftest import GEO_DIR


@pytest.fixture(scope="module")
def geo():
    return derive_geography(data_dir=GEO_DIR)


def test_every_level_has_the_published_number_of_areas(geo):
    counts = Counter(a.level for a in geo.areas.values())
    assert counts == {"lad": 361, "itl3": 179, "itl2": 41, "itl1": 12, "ca": 15,
                      "region": 9, "nation": 4}


def test_every_lad_reaches_its_nation_through_itl3_itl2_itl1(geo):
    for lad in (a for a in geo.areas.values() if a.level == "lad"):
        chain, code = [], lad.parent
        while code:
            chain.append(geo.areas[code].level)
            code = geo.areas[code].parent
        assert chain == ["itl3", "itl2", "itl1", "nation"], lad.code
        assert geo.areas[lad.nation].level == "nation"


def test_greater_manchester_has_its_ten_districts(geo):
    members = sorted(m.child for m in geo.memberships if m.parent == "E47000001")
    assert members == [f"E080000{n:02d}" for n in range(1, 11)]


def test_south_yorkshire_recoded_districts_map_to_2023_codes(geo):
    members = {m.child for m in geo.memberships if m.parent == "E47000002"}
    assert {"E08000016", "E08000019"} <= members  # Barnsley, Sheffield (2024 codes in the lookup)


def test_london_is_a_region_with_the_gla_noted(geo):
    london = geo.areas["E12000007"]
    assert london.level == "region" and "Greater London Authority" in london.note
    assert not any(m.parent == "E12000007" for m in geo.memberships if m.relation == "ca")


def test_ca_population_equals_independent_sum_of_members(geo):
    with open(GEO_DIR / "mysociety_local_authorities.csv", encoding="utf-8-sig") as handle:
        pop = {r["gss-code"]: float(r["pop-2020"]) for r in csv.DictReader(handle)
               if r["pop-2020"] and not r["end-date"]}
    with open(GEO_DIR / "lad25_ca_2025.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    names = {a.name: c for c, a in geo.areas.items() if a.level == "lad"}
    for ca in {r["CAUTH25CD"] for r in rows}:
        members = [r["LAD25CD"] if r["LAD25CD"] in pop else names[r["LAD25NM"]]
                   for r in rows if r["CAUTH25CD"] == ca]
        assert geo.areas[ca].population == round(sum(pop[m] for m in members)), ca


def test_nation_totals_equal_the_sum_of_their_lads(geo):
    for nation in (a for a in geo.areas.values() if a.level == "nation"):
        lads = [a for a in geo.areas.values() if a.level == "lad" and a.nation == nation.code]
        assert nation.population == round(sum(a.population for a in lads))
        assert nation.population_estimated is False


def test_split_lads_have_shares_that_sum_to_one(geo):
    shares = Counter()
    for m in geo.memberships:
        if m.relation == "itl3":
            shares[m.child] += m.share
    assert all(abs(total - 1) < 1e-9 for total in shares.values())
    split = {m.child for m in geo.memberships if m.split}
    assert split == {"E06000063", "E06000064", "S12000017", "S12000021", "S12000035"}


def test_cumbria_itl3_boundaries_use_former_districts_not_approximations(geo):
    assert geo.areas["TLD11"].boundary_note == ""
    assert geo.areas["TLM61"].boundary_note.startswith("Approximate boundary")


def test_every_area_has_a_valid_boundary_and_neighbours_are_symmetric(geo):
    for area in geo.areas.values():
        assert area.geometry is not None and area.geometry.is_valid, area.code
    pairs = set(geo.neighbours)
    assert all((b, a) in pairs for a, b in pairs)
    assert ("E08000003", "E08000006") in pairs  # Manchester and Salford


def _corrupt_copy(tmp_path, filename, transform):
    target = tmp_path / "geo"
    shutil.copytree(GEO_DIR, target, ignore=shutil.ignore_patterns("postcodes.parquet"))
    path = target / filename
    path.write_text(transform(path.read_text(encoding="utf-8-sig")), encoding="utf-8")
    return target


def test_a_bad_number_names_file_line_and_field(tmp_path):
    def break_row(text):
        lines = text.splitlines()
        lines[4] = lines[4].replace(lines[4].split(",")[-1], "lots")
        return "\n".join(lines) + "\n"

    data_dir = _corrupt_copy(tmp_path, "sam_lad_2023.csv", break_row)
    with pytest.raises(DataFileError) as excinfo:
        derive_geography(data_dir=data_dir)
    message = str(excinfo.value)
    assert "sam_lad_2023.csv" in message and "line 5" in message and "AREALHECT" in message


def test_a_missing_column_and_a_missing_file_are_named(tmp_path):
    data_dir = _corrupt_copy(tmp_path, "lad25_ca_2025.csv",
                             lambda t: t.replace("CAUTH25CD", "CAUTHCD", 1))
    with pytest.raises(DataFileError, match="lad25_ca_2025.csv, line 1: header lacks column"):
        derive_geography(data_dir=data_dir)
    (data_dir / "lad25_ca_2025.csv").unlink()
    with pytest.raises(DataFileError, match="lad25_ca_2025.csv: file is missing"):
        derive_geography(data_dir=data_dir)


def test_truncated_geojson_is_reported(tmp_path):
    data_dir = _corrupt_copy(tmp_path, "lad_2023_buc.geojson", lambda t: t[: len(t) // 2])
    with pytest.raises(DataFileError, match="lad_2023_buc.geojson.*not valid GeoJSON"):
        derive_geography(data_dir=data_dir)
