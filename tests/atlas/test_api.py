"""The atlas JSON API: values with provenance, 404s with a message, empty years, neighbour override."""

from __future__ import annotations

import pytest

from locus.atlas import models as m

pytestmark = pytest.mark.django_db
PROVENANCE = {"source", "publisher", "vintage", "licence", "method"}  # on every figure, as before
INDICATOR_PROVENANCE = PROVENANCE | {"sources", "cited", "uncertainty", "caution", "year_notes"}
VALUE_PROVENANCE = PROVENANCE | {"sources", "cited", "uncertainty", "caution", "year_note"}
SCORE_PROVENANCE = PROVENANCE | {"licences"}


def test_indicators_are_listed_with_provenance(client):
    data = client.get("/api/v1/indicators").json()
    assert len(data) == m.Indicator.objects.count() == 46
    gva = next(i for i in data if i["id"] == "gva_per_hour")
    assert gva["stage"] == "productivity" and "lad" in gva["levels"]
    assert set(gva["provenance"]) == INDICATOR_PROVENANCE and "Open Government Licence" in gva["provenance"]["licence"]
    assert {u["level"]: u["used"] for u in gva["score_use"]} == {"ca": True, "itl3": True, "lad": True}
    per_head = next(i for i in data if i["id"] == "gva_per_head")
    assert next(u for u in per_head["score_use"] if u["level"] == "lad")["reason"].startswith("LAD rule")


def test_values_for_a_level_and_year_match_the_database_and_carry_provenance(client):
    data = client.get("/api/v1/indicators/gva_per_hour/values?level=lad&year=2021").json()
    assert data["year"] == 2021 and data["level"] == "lad" and data["message"] == ""
    stored = dict(m.IndicatorValue.objects.filter(indicator_id="gva_per_hour", level="lad", year=2021)
                  .exclude(value=None).values_list("area_code", "value"))
    assert {v["area_code"]: v["value"] for v in data["values"]} == stored
    assert data["count"] == len(stored) > 300
    assert all(set(v["provenance"]) == VALUE_PROVENANCE for v in data["values"])
    assert set(data["no_data"]).isdisjoint(stored)


def test_the_default_year_is_the_latest_well_covered_one(client):
    data = client.get("/api/v1/indicators/enterprise_birth_rate/values?level=ca").json()
    assert data["year"] == max(data["years"]) == 2024 and data["count"] == 15


def test_a_default_year_before_the_last_with_data_says_why(client):
    """The UK's 2018 HE research income is built from Birmingham's defective HESA row (its only value that year)
    and Innovate UK's 2020 is a part year: the default is the year before, and the answer says why."""
    uk = client.get("/api/v1/indicators/research_income_per_head/values?level=uk").json()
    assert uk["year"] == 2017 and max(uk["years"]) == 2018 and uk["message"] == ""
    assert uk["default_year_note"].startswith("2017 is shown, the latest year whose values are all usable: 2018's")
    assert "known to have wrong" in uk["default_year_note"] and "year=2018" in uk["default_year_note"]
    iuk = client.get("/api/v1/indicators/innovate_uk_per_head/values?level=itl3").json()
    assert iuk["year"] == 2019 and "2020 is a part year" in iuk["default_year_note"]
    latest = client.get("/api/v1/indicators/research_income_per_head/values?level=itl3").json()
    assert latest["year"] == max(latest["years"]) and latest["default_year_note"] == ""  # the last year: no note
    asked = client.get("/api/v1/indicators/research_income_per_head/values?level=uk&year=2017").json()
    assert asked["default_year_note"] == ""  # a year asked for needs no reason
    page = client.get("/atlas/", {"measure": "ind:innovate_uk_per_head", "level": "itl3"}).content.decode()
    assert "is shown, the latest year" not in page and 'id="map-message"' not in page  # not a "No data" box


def test_a_year_without_data_is_an_empty_result_that_says_so(client):
    response = client.get("/api/v1/indicators/gva_per_hour/values?level=itl3&year=1990")
    assert response.status_code == 200
    data = response.json()
    assert data["values"] == [] and data["count"] == 0 and data["year"] == 1990
    assert "No data" in data["message"] and "2004" in data["message"]


@pytest.mark.parametrize("url, words", [
    ("/api/v1/indicators/no_such_indicator/values", "Unknown indicator"),
    ("/api/v1/indicators/no_such_indicator/values?level=county", "Unknown indicator"),  # the path first
    ("/api/v1/areas/XX999/pathway", "No area in the atlas"),
    ("/api/v1/areas/XX999/pathway?neighbours=E47000002", "No area in the atlas"),
    ("/api/v1/stages/marketing/scores", "Unknown pathway stage"),
    ("/api/v1/stages/marketing/scores?level=county", "Unknown pathway stage"),
])
def test_an_unknown_thing_in_the_path_is_a_404_json_with_a_message(client, url, words):
    response = client.get(url)
    assert response.status_code == 404, response.content
    assert words in response.json()["detail"]


@pytest.mark.parametrize("url, param, words", [
    ("/api/v1/indicators/gva_per_hour/values?level=county", "level", "Unknown or unsupported level"),
    ("/api/v1/indicators/gva_per_hour/values?year=abc", "year", "valid integer"),
    ("/api/v1/indicators/gva_per_hour/values?year=1800", "year", "greater than or equal to 1900"),
    ("/api/v1/opportunities?ca=E47999999", "ca", "No area in the atlas"),
    ("/api/v1/opportunities?ca=TLD33", "ca", "Manchester (TLD33) is an ITL3 area, not a Combined Authority."),
    ("/api/v1/opportunities?limit=0", "limit", "greater than or equal to 1"),
    ("/api/v1/areas/E47000001/pathway?neighbours=E47000002,NOPE", "neighbours", "Unknown neighbour"),
    ("/api/v1/areas/E47000001/pathway?neighbours=E47000001", "neighbours", "own neighbour"),
    ("/api/v1/areas/E08000003/pathway?neighbours=TLD33", "neighbours", "Unknown neighbour"),
    ("/api/v1/stages/research/scores?level=itl2", "level", "Unknown or unsupported level"),
    ("/api/v1/stages/research/scores?year=2020.5", "year", "valid integer"),
    ("/api/v1/weak-links?level=county", "level", "Unknown or unsupported level"),
    ("/api/v1/weak-links?stage=marketing", "stage", "Unknown pathway stage"),
    ("/api/v1/weak-links?weak_only=maybe", "weak_only", "valid boolean"),
])
def test_an_invalid_query_parameter_is_a_400_that_names_it(client, url, param, words):
    response = client.get(url)
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    assert detail.startswith(f"{param}: ") and words in detail


@pytest.mark.parametrize("url, param", [
    ("/api/v1/areas/E47000001/pathway?neighbours=E47000002&neighbours=E47000003", "neighbours"),
    ("/api/v1/indicators/gva_per_hour/values?level=itl3&level=ca", "level"),
    ("/api/v1/weak-links?stage=productivity&stage=formation", "stage"),
    ("/api/v1/opportunities?ca=E47000001&ca=E47000002", "ca"),
])
def test_a_query_parameter_given_twice_is_a_400_not_a_silent_choice_of_one(client, url, param):
    response = client.get(url)
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    assert detail.startswith(f"{param}: given 2 times")
    if param == "neighbours":
        assert "one comma-separated list" in detail and "neighbours=TLD34,TLD35" in detail


def test_every_atlas_endpoint_documents_its_errors_and_declares_400(client):
    spec = client.get("/api/v1/openapi.json").json()
    atlas = {path: ops["get"] for path, ops in spec["paths"].items()
             if "get" in ops and "atlas" in ops["get"].get("tags", [])}
    assert len(atlas) >= 7
    for path, op in atlas.items():
        assert "400" in op["responses"], path
        assert "400 when a query parameter's value is not valid" in op["description"], path


def test_pathway_has_every_stage_with_scores_medians_neighbours_and_intervals(client):
    data = client.get("/api/v1/areas/TLD33/pathway").json()
    assert data["area"] == {"code": "TLD33", "name": "Manchester", "level": "itl3"}
    assert [s["stage"] for s in data["stages"]] == ["research", "knowledge_exchange", "ip_spinouts", "formation",
                                                     "business_rd_finance", "productivity"]
    assert len(data["neighbours"]) == 5 and data["neighbours_source"] == "computed"
    for stage in data["stages"]:
        assert set(stage["provenance"]) == SCORE_PROVENANCE
        link = stage["weak_link"]
        if link:
            assert link["lo"] <= link["gap"] <= link["hi"]
            assert link["is_weak"] == (link["hi"] < 0)
    weak = [s["stage"] for s in data["stages"] if s["weak_link"] and s["weak_link"]["is_weak"]]
    stored = set(m.WeakLink.objects.filter(area_code="TLD33", level="itl3", is_weak=True).values_list("stage", flat=True))
    assert set(weak) == stored


def test_overriding_neighbours_with_the_computed_ones_reproduces_the_stored_gaps(client):
    computed = client.get("/api/v1/areas/E47000001/pathway").json()
    codes = ",".join(n["code"] for n in computed["neighbours"])
    again = client.get(f"/api/v1/areas/E47000001/pathway?neighbours={codes}").json()
    assert again["neighbours_source"] == "override"
    for a, b in zip(computed["stages"], again["stages"], strict=True):
        assert (a["weak_link"] is None) == (b["weak_link"] is None)
        if a["weak_link"]:
            assert a["weak_link"]["gap"] == pytest.approx(b["weak_link"]["gap"], abs=1e-12)
            assert a["weak_link"]["lo"] == pytest.approx(b["weak_link"]["lo"], abs=1e-12)
    assert [n["distance"] for n in again["neighbours"]] == pytest.approx([n["distance"] for n in computed["neighbours"]])


def test_other_neighbours_change_the_expected_values(client):
    data = client.get("/api/v1/areas/E47000001/pathway?neighbours=E47000006,E47000014").json()
    assert [n["code"] for n in data["neighbours"]] == ["E47000006", "E47000014"]
    assert all(n["source"] == "override" for n in data["neighbours"])
    base = {w.stage: w.expected for w in m.WeakLink.objects.filter(area_code="E47000001", level="ca")}
    changed = [s for s in data["stages"] if s["weak_link"] and abs(s["weak_link"]["expected"] - base[s["stage"]]) > 1e-9]
    assert changed, "different neighbours should move at least one expected score"
    for s in data["stages"]:
        if s["weak_link"]:
            assert s["weak_link"]["neighbour_codes"] == ["E47000006", "E47000014"]


def test_opportunities_national_and_for_a_ca(client):
    national = client.get("/api/v1/opportunities").json()
    assert [o["rank"] for o in national] == list(range(1, len(national) + 1))
    assert all(o["scope"] == "national" and o["reason"] and set(o["provenance"]) == SCORE_PROVENANCE for o in national)
    gm = client.get("/api/v1/opportunities?ca=E47000001").json()
    assert gm and all(o["scope"] == "E47000001" for o in gm)
    assert {o["area_code"] for o in gm} <= set(m.AtlasArea.objects.filter(ca_code="E47000001").values_list("code", flat=True)) | {"E47000001"}


def test_the_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/indicators", "/api/v1/indicators/{indicator_id}/values", "/api/v1/areas/{code}/pathway",
                 "/api/v1/opportunities", "/api/v1/stages", "/api/v1/stages/{stage}/scores", "/api/v1/weak-links"):
        assert path in paths


def test_no_loaded_atlas_is_a_503_with_a_message(client):
    m.AtlasBuild.objects.update(is_live=False)
    response = client.get("/api/v1/indicators")
    assert response.status_code == 503 and "locus load" in response.json()["detail"]


def test_network_indicators_are_served_with_their_provenance_and_not_scored(client):
    data = client.get("/api/v1/indicators/collab_university_business_links/values?level=lad").json()
    assert data["count"] == 22 and all(v["area_code"].startswith("W06") for v in data["values"])
    assert all("Arloesiadur" in v["provenance"]["publisher"] and v["method"] == "exact" for v in data["values"])
    assert "Open Government Licence" in data["values"][0]["provenance"]["licence"]
    assert len(data["no_data"]) == 361 - 22  # English, Scottish and NI districts: no data, not zero
    listed = next(i for i in client.get("/api/v1/indicators").json() if i["id"] == "collab_university_business_links")
    assert listed["stage"] == "knowledge_exchange"
    assert not any(u["used"] for u in listed["score_use"])
    assert any(u["reason"].startswith("coverage rule") for u in listed["score_use"])
    none = client.get("/api/v1/indicators/collab_links/values?level=ca").json()
    assert none["values"] == [] and "No data" in none["message"]


def test_a_district_pathway_has_its_native_stages_and_says_what_is_missing(client):
    data = client.get("/api/v1/areas/E08000003/pathway").json()
    assert data["area"]["level"] == "lad" and len(data["neighbours"]) == 5
    by_stage = {s["stage"]: s for s in data["stages"]}
    assert {st for st, s in by_stage.items() if s["score"] is not None} == {"formation", "productivity"}
    assert set(by_stage["productivity"]["indicators"]) == {"gva_per_hour"}
    assert by_stage["research"]["score"] is None and "measured for districts" in by_stage["research"]["note"]
    assert by_stage["research"]["weak_link"] is None
    stored = m.WeakLink.objects.get(area_code="E08000003", level="lad", stage="formation")
    assert by_stage["formation"]["weak_link"]["gap"] == pytest.approx(stored.gap)
    assert "No district score for research base" in data["message"]


def test_overriding_a_district_s_neighbours_with_the_computed_ones_reproduces_its_gaps(client):
    computed = client.get("/api/v1/areas/E08000003/pathway").json()
    codes = ",".join(n["code"] for n in computed["neighbours"])
    again = client.get(f"/api/v1/areas/E08000003/pathway?neighbours={codes}").json()
    assert again["neighbours_source"] == "override"
    for a, b in zip(computed["stages"], again["stages"], strict=True):
        assert (a["weak_link"] is None) == (b["weak_link"] is None)
        if a["weak_link"]:
            assert a["weak_link"]["gap"] == pytest.approx(b["weak_link"]["gap"], abs=1e-12)
            assert a["weak_link"]["hi"] == pytest.approx(b["weak_link"]["hi"], abs=1e-12)


def test_stages_are_listed_with_definitions_and_where_they_are_scored(client):
    data = client.get("/api/v1/stages").json()
    assert [s["id"] for s in data] == ["research", "knowledge_exchange", "ip_spinouts", "formation",
                                       "business_rd_finance", "productivity"]
    research = data[0]
    assert research["question"] and "research_income_per_head" in research["indicators"]
    assert research["scored_levels"] == ["itl3", "ca"] and "districts" in research["not_scored"]["lad"]
    formation = next(s for s in data if s["id"] == "formation")
    assert formation["scored_levels"] == ["itl3", "ca", "lad"] and formation["not_scored"] == {}
    ke = next(s for s in data if s["id"] == "knowledge_exchange")
    assert "collab_links" in ke["indicators"]


def test_stage_scores_for_a_level_match_the_database_with_provenance(client):
    data = client.get("/api/v1/stages/research/scores?level=itl3").json()
    stored = dict(m.StageScore.objects.filter(level="itl3", stage="research", is_latest=True)
                  .values_list("area_code", "score"))
    assert {r["area_code"]: r["score"] for r in data["scores"]} == stored and data["count"] == len(stored)
    assert all(set(r["provenance"]) == SCORE_PROVENANCE for r in data["scores"])
    year = max(data["years"])
    in_year = client.get(f"/api/v1/stages/research/scores?level=ca&year={year}").json()
    assert in_year["year"] == year and all(r["year"] == year for r in in_year["scores"])
    lad = client.get("/api/v1/stages/productivity/scores?level=lad").json()
    assert lad["count"] == 361 and lad["scores"][0]["indicators"] == ["gva_per_hour"]


def test_a_stage_year_without_scores_is_empty_and_says_so(client):
    response = client.get("/api/v1/stages/formation/scores?level=itl3&year=1990")
    assert response.status_code == 200
    data = response.json()
    assert data["scores"] == [] and data["count"] == 0 and "No business formation" in data["message"]
    assert len(data["no_data"]) == 179
    lad = client.get("/api/v1/stages/research/scores?level=lad").json()
    assert lad["scores"] == [] and "not scored for local authority districts" in lad["message"]


def test_weak_links_for_a_level_and_stage(client):
    data = client.get("/api/v1/weak-links?level=itl3&stage=formation").json()
    stored = m.WeakLink.objects.filter(level="itl3", stage="formation")
    assert data["count"] == stored.count() and data["n_weak"] == stored.filter(is_weak=True).count()
    row = data["links"][0]
    assert row["lo"] <= row["gap"] <= row["hi"] and set(row["provenance"]) == SCORE_PROVENANCE and row["verdict"]
    weak = client.get("/api/v1/weak-links?level=itl3&weak_only=true").json()
    assert weak["links"] and all(r["is_weak"] and r["hi"] < 0 for r in weak["links"])
    assert weak["count"] == m.WeakLink.objects.filter(level="itl3", is_weak=True).count()
    none = client.get("/api/v1/weak-links?level=lad&stage=research").json()
    assert none["links"] == [] and none["message"]


@pytest.mark.parametrize("query, words", [
    ("neighbours=,,,", "comma-separated list of area codes"),
    ("neighbours=%20", "comma-separated list of area codes"),
    ("neighbours=E47000002,e47000002,E47000003", "lists E47000002 more than once"),
    ("neighbours=" + ",".join(["E47000002"] * 3 + [f"E470000{i:02d}" for i in range(3, 25)]), "more than once"),
    ("neighbours=" + ",".join(f"E470000{i:02d}" for i in range(2, 30)), "give at most 20"),
])
def test_a_malformed_neighbour_list_is_a_400_not_a_silent_change_of_method(client, query, words):
    response = client.get(f"/api/v1/areas/E47000001/pathway?{query}")
    assert response.status_code == 400, response.content
    assert words in response.json()["detail"]


def test_every_level_the_catalogue_lists_with_data_is_served_and_the_map_offers_only_indicators_with_data(client):
    catalogue = {i["id"]: i for i in client.get("/api/v1/indicators").json()}
    gva = catalogue["gva_per_hour"]
    assert {"itl2", "itl1", "nation", "uk"} <= set(gva["levels_with_data"])
    for level in gva["levels_with_data"]:
        response = client.get(f"/api/v1/indicators/gva_per_hour/values?level={level}")
        assert response.status_code == 200 and response.json()["count"] > 0, level
    uk = client.get("/api/v1/indicators/gva_per_hour/values?level=uk").json()
    assert [v["area_code"] for v in uk["values"]] == ["K02000001"]
    empty = [i for i, c in catalogue.items() if not set(c["levels_with_data"]) & {"itl3", "ca", "lad"}]
    page = client.get("/atlas/").content.decode()
    for ind in empty:
        assert f'value="ind:{ind}"' not in page
    assert 'value="ind:gva_per_hour"' in page


def test_a_stage_scores_licence_lists_each_licence_once(client):
    data = client.get("/api/v1/areas/TLD33/pathway").json()
    licence = data["stages"][0]["provenance"]["licence"]
    # each input's whole licence sentence once, never its parts ("compiled by Locus") on their own
    whole = "CC BY 4.0 (HESA); processed by Nesta, repository MIT (Nesta 2021)."
    assert licence.count(whole) == 1 and not licence.startswith("compiled by Locus")


def test_unicode_digits_in_a_year_are_not_a_server_error(client):
    # '²' passes str.isdigit() but int() refuses it: the year parsers use isdecimal()
    page = client.get("/atlas/", {"year": "²"})  # not a year: an error at the year box, not a 500
    assert page.status_code == 400 and 'id="year-error"' in page.content.decode()
    assert client.get("/atlas/map-data.json", {"year": "²"}).status_code == 400
    assert client.get("/atlas/download/map.csv", {"year": "²"}).status_code == 400
    region = client.get("/api/v1/areas/TLD/pathway?neighbours=TLC").json()["detail"]
    assert region.startswith("neighbours: North West (England) is an ITL1 region")


def test_a_value_built_from_a_sources_known_defect_is_published_unscored_with_its_note(client):
    """HESA's 2018 research income for Birmingham lacks its main university (sources._DEFECTS)."""
    data = client.get("/api/v1/indicators/contract_research_share/values?level=itl3&year=2018").json()
    scored = {v["area_code"]: v["scored"] for v in data["values"]}
    assert scored["TLG31"] is False and sum(not s for s in scored.values()) == 1  # Birmingham only
    birmingham = next(v for v in data["values"] if v["area_code"] == "TLG31")
    assert "Birmingham (NUTS3 UKG31)" in birmingham["provenance"]["year_note"]
    stored = m.IndicatorValue.objects.get(indicator_id="contract_research_share", level="itl3", area_code="TLG31",
                                          year=2018)
    assert stored.source_defect and not stored.partial_year and stored.normalised is None
    assert birmingham["value"] == pytest.approx(stored.value)  # shown as the source has it
    ca = client.get("/api/v1/indicators/research_income_per_head/values?level=ca&year=2018").json()
    assert [v["area_code"] for v in ca["values"] if not v["scored"]] == ["E47000007"]  # the West Midlands
    partial = client.get("/api/v1/indicators/innovate_uk_per_head/values?level=itl3&year=2020").json()
    assert partial["values"] and not any(v["scored"] for v in partial["values"])  # a partial year: none scored


def test_a_weak_link_gives_the_data_years_of_its_stage_score_as_the_pathway_does(client):
    """The weak-links list and an area's pathway date a gap the same way: the stage score's data years."""
    links = client.get("/api/v1/weak-links?level=ca&stage=knowledge_exchange").json()["links"]
    row = next(r for r in links if r["area_code"] == "E47000009")
    stage = next(s for s in client.get("/api/v1/areas/E47000009/pathway").json()["stages"]
                 if s["stage"] == "knowledge_exchange")
    assert row["data_years"] == stage["data_years"] != ""
    assert row["data_years"] in row["provenance"]["vintage"]
