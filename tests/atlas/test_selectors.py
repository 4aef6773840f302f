"""Reads of the live atlas: map data, profiles, comparison, headline and provenance."""

from __future__ import annotations

import statistics

import pytest

from locus.atlas import models as m
from locus.atlas import selectors as sel
from locus.atlas.compare import compare_codes_parse, compare_get
from locus.atlas.errors import AtlasNotFoundError
from locus.atlas.mapdata import map_data_get, map_json, quantile_breaks
from locus.atlas.profile import profile_get

pytestmark = pytest.mark.django_db


def test_map_data_for_an_indicator_matches_the_values_and_ranks_highest_first():
    data = map_data_get(measure="ind:gva_per_hour", level="itl3", year=2022)
    stored = dict(m.IndicatorValue.objects.filter(indicator_id="gva_per_hour", level="itl3", year=2022)
                  .values_list("area_code", "value"))
    assert {r.code: r.value for r in data.with_data} == stored
    assert len(data.rows) == 179
    best = min(data.with_data, key=lambda r: r.rank)
    assert best.value == max(stored.values())
    assert sum(c.count for c in data.classes) == len(data.with_data)
    classes = [r.cls for r in sorted(data.with_data, key=lambda r: r.value)]
    assert classes == sorted(classes)  # classes never go down as values go up


def test_a_level_without_stage_scores_says_no_data_rather_than_zero():
    data = map_data_get(measure="stage:research", level="lad")
    assert data.with_data == [] and len(data.no_data) == 361 and "not scored for local authority districts" in data.message
    payload = map_json(data)
    assert all(v["value"] is None and v["class"] is None for v in payload["values"].values())


def test_a_year_without_data_says_so():
    data = map_data_get(measure="ind:gva_per_hour", level="ca", year=1990)
    assert data.with_data == [] and "No data" in data.message


def test_weak_link_map_classes_follow_the_intervals():
    data = map_data_get(measure="gap:business_rd_finance", level="itl3")
    links = {w.area_code: w for w in m.WeakLink.objects.filter(level="itl3", stage="business_rd_finance")}
    for row in data.with_data:
        w = links[row.code]
        assert row.cls == (0 if w.is_weak else 3 if w.is_strong else 1 if w.gap < 0 else 2)


def test_unknown_measure_or_level_is_not_found():
    with pytest.raises(AtlasNotFoundError):
        map_data_get(measure="ind:nope")
    with pytest.raises(AtlasNotFoundError):
        map_data_get(measure="gap:research")
    with pytest.raises(AtlasNotFoundError):
        map_data_get(level="itl2")


def test_quantile_breaks_are_increasing_and_end_at_the_maximum():
    assert quantile_breaks([]) == []
    assert quantile_breaks([3.0, 3.0, 3.0]) == [3.0]
    breaks = quantile_breaks(list(range(100)))
    assert breaks == sorted(set(breaks)) and breaks[-1] == 99 and len(breaks) == 5


def test_profile_of_a_ca_has_neighbours_medians_and_members():
    p = profile_get(code="E47000001")
    assert p.area.name == "Greater Manchester" and len(p.stages) == 6
    assert len(p.pathway.neighbours) == 4
    latest = {(s.area_code, s.stage): s.score for s in m.StageScore.objects.filter(level="ca", is_latest=True)}
    for row in p.stages:
        scores = [v for (c, st), v in latest.items() if st == row.stage]
        assert row.national_median == pytest.approx(statistics.median(scores))
        assert row.score == latest.get(("E47000001", row.stage))
    assert {a.code for a in p.members} >= {"TLD33", "TLD34", "TLD35", "TLD36", "TLD37"}
    assert p.universities and all(u.ca_code == "E47000001" for u in p.universities)
    assert "Greater Manchester" in p.headline.text and p.series_groups


def test_profile_of_a_district_has_its_scored_stages_and_the_reasons_for_the_others():
    p = profile_get(code="E08000003")  # Manchester local authority district
    assert [s.stage for s in p.pathway.scored_stages] == ["formation", "productivity"]
    assert [s.stage for s in p.pathway.link_stages] == ["formation", "productivity"]
    for s in p.pathway.unscored_stages:
        assert s.score is None and s.national_median is None and s.link is None
        assert s.note == sel.stage_not_scored_reason(stage=s.stage, level="lad") != ""
    stored = {s.stage: s.score for s in m.StageScore.objects.filter(area_code="E08000003", level="lad", is_latest=True)}
    assert {s.stage: s.score for s in p.pathway.scored_stages} == pytest.approx(stored)
    medians = sel.stage_medians(level="lad")
    assert all(s.national_median == pytest.approx(medians[s.stage]) for s in p.pathway.scored_stages)
    assert len(p.pathway.neighbours) == 5 and "local authority districts" in p.headline.text
    assert any(group for _s, _t, group in p.series_groups)


def test_compare_districts_shows_only_the_stages_districts_score_and_mixed_levels_all_six():
    districts = compare_get(codes=["E08000003", "E08000019"])
    assert districts.stage_ids == ["formation", "productivity"] and not districts.mixed
    assert set(districts.medians) >= {"formation", "productivity"}
    mixed = compare_get(codes=["E08000003", "E47000001"])
    assert len(mixed.stage_ids) == 6 and mixed.mixed and set(mixed.level_medians) == {"lad", "ca"}


def test_unknown_area_is_not_found():
    with pytest.raises(AtlasNotFoundError):
        profile_get(code="XX0000000")


def test_compare_checks_the_number_and_the_codes():
    assert compare_codes_parse(text="E47000001")[1]
    assert compare_codes_parse(text=",".join(f"E4700000{i}" for i in range(1, 8)))[1]
    codes, errors = compare_codes_parse(text="E47000001, e47000002,E47000001")
    assert codes == ["E47000001", "E47000002"] and not errors
    assert "NOPE" in compare_codes_parse(text="E47000001,NOPE")[1][0]
    cmp = compare_get(codes=["E47000001", "E47000002"])
    assert [a.code for a in cmp.areas] == codes and cmp.medians
    ind, year, cells = next(r for r in cmp.rows if r[0].id == "gva_per_hour")
    for area, cell in zip(cmp.areas, cells, strict=True):
        assert cell.value == m.IndicatorValue.objects.get(indicator_id="gva_per_hour", area_code=area.code,
                                                           level="ca", year=year).value


def test_provenance_names_the_build_and_its_licences(atlas_loaded):
    prov = sel.score_provenance()
    assert atlas_loaded.checksum[:12] in prov["source"] and "Open Government Licence" in prov["licence"]


def test_a_stage_score_s_provenance_has_the_same_keys_and_only_its_inputs(atlas_loaded):
    whole = sel.score_provenance()
    formation = sel.score_provenance(indicators="enterprise_birth_rate,high_growth_rate", years="2020")
    assert list(formation) == list(whole)
    assert formation["vintage"] == "2020" and whole["vintage"] == "data years as listed with each score"
    assert "published input files" in whole["source"] and "published input files" not in formation["source"]
    assert formation["publisher"].startswith("Locus, from ") and "HESA" not in formation["publisher"]
    assert set(formation["licences"]) < set(whole["licences"]) and formation["method"] == whole["method"]
    assert sel.score_provenance(indicators="no_such_indicator")["licences"] == whole["licences"]
