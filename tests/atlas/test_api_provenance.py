"""The atlas API carries the provenance the pages show: each input of an indicator with its own
licence (``sources``), the survey caution of APS estimates, the note on a partial year beside each of
that year's values, and a stage score's licences as a list. Before, the response schemas held only
source, publisher, vintage, licence and method, and django-ninja dropped everything else."""

from __future__ import annotations

import pytest

from locus.atlas import models as m
from locus.atlas import selectors as sel

pytestmark = pytest.mark.django_db

HESA_NESTA = "CC BY 4.0 (HESA); processed by Nesta, repository MIT (Nesta 2021)"
OGL = "Open Government Licence v3.0"


@pytest.fixture
def catalogue(client) -> dict[str, dict]:
    return {i["id"]: i for i in client.get("/api/v1/indicators").json()}


def _manifest_inputs() -> dict[str, dict]:
    return {i["id"]: i for i in m.AtlasBuild.objects.get(is_live=True).manifest["inputs"]}


def test_an_indicator_from_inputs_of_different_licences_lists_each_input_with_its_own(catalogue):
    prov = catalogue["research_income_per_head"]["provenance"]
    inputs = _manifest_inputs()
    assert [s["id"] for s in prov["sources"]] == [x.strip() for x in prov["source"].split(",")]
    assert len(prov["sources"]) == 2
    by_licence = {s["licence"]: s for s in prov["sources"]}
    assert set(by_licence) == {HESA_NESTA, OGL}
    hesa = by_licence[HESA_NESTA]
    assert hesa["title"] == "HE research income" and hesa["vintage"] == "2015-2018" and "HESA" in hesa["publisher"]
    assert by_licence[OGL]["publisher"] == "ONS"
    for s in prov["sources"]:  # each as the build's manifest records it
        assert {k: s[k] for k in ("title", "publisher", "vintage", "licence")} == \
            {k: inputs[s["id"]][k] for k in ("title", "publisher", "vintage", "licence")}
    # the joined text stays, and names each input's licence after its title
    assert f"HE research income: {HESA_NESTA}." in prov["licence"] and OGL in prov["licence"]
    assert prov["cited"].count("licence ") == 2
    assert prov["caution"] == prov["uncertainty"] == ""
    # its one year note: HESA's 2018 figure for Birmingham is broken (sources._DEFECTS)
    assert list(prov["year_notes"]) == ["2018"] and "Birmingham (NUTS3 UKG31)" in prov["year_notes"]["2018"]


def test_an_indicator_with_one_licence_lists_it_per_input_too(catalogue):
    prov = catalogue["gva_per_hour"]["provenance"]
    assert prov["licence"] == OGL and [s["licence"] for s in prov["sources"]] == [OGL] * len(prov["sources"])


def test_the_aps_skills_indicators_carry_the_survey_caution(catalogue):
    for ind in ("nvq4_share", "stem_professionals_per_1000"):
        prov = catalogue[ind]["provenance"]
        assert prov["caution"].startswith("Survey estimate (Annual Population Survey): ONS publishes a 95% "
                                          "confidence interval"), prov["caution"]
        assert prov["uncertainty"].startswith(prov["caution"].rstrip("."))
        assert "±2.5 to ±5.3 percentage points" in prov["uncertainty"]
    # administrative data and counts have none
    assert catalogue["enterprise_birth_rate"]["provenance"]["caution"] == ""


def test_the_caution_reaches_every_value_of_an_aps_indicator(client, catalogue):
    data = client.get("/api/v1/indicators/nvq4_share/values?level=itl3").json()
    assert data["count"] > 100
    caution = catalogue["nvq4_share"]["provenance"]["caution"]
    assert caution and all(v["provenance"]["caution"] == caution for v in data["values"])
    assert all(v["provenance"]["sources"][0]["id"] == "beis_nvq4" for v in data["values"])


def test_partial_years_are_listed_by_year_on_the_indicator(catalogue):
    iuk = catalogue["innovate_uk_per_head"]["provenance"]["year_notes"]
    assert set(iuk) == {"2010", "2020"}
    assert "1 August 2020" in iuk["2020"] and "£172 million" in iuk["2020"]
    h2020 = next(c for i, c in catalogue.items() if "2014" in c["provenance"]["year_notes"])
    assert "first year" in h2020["provenance"]["year_notes"]["2014"]
    assert set(h2020["provenance"]["year_notes"]) == {"2014", "2020"}


def test_each_value_carries_the_note_on_its_own_year(client, catalogue):
    notes = catalogue["innovate_uk_per_head"]["provenance"]["year_notes"]
    partial = client.get("/api/v1/indicators/innovate_uk_per_head/values?level=itl3&year=2020").json()
    assert partial["count"] > 100
    assert all(v["provenance"]["year_note"] == notes["2020"] for v in partial["values"])
    assert "year_notes" not in partial["values"][0]["provenance"]  # only its own year's
    full = client.get("/api/v1/indicators/innovate_uk_per_head/values?level=ca&year=2019").json()
    assert full["count"] > 0 and all(v["provenance"]["year_note"] == "" for v in full["values"])
    gva = client.get("/api/v1/indicators/gva_per_hour/values?level=itl3").json()
    assert all(v["provenance"]["year_note"] == "" for v in gva["values"])


def _score_licences() -> list[str]:
    return sel.score_licences(m.AtlasBuild.objects.get(is_live=True).manifest["inputs"])


def test_score_provenance_lists_each_input_s_whole_licence_once(client):
    expected = _score_licences()
    assert HESA_NESTA in expected and OGL in expected and len(expected) == len(set(expected))
    assert "compiled by Locus" not in expected  # a qualifier is never a licence on its own
    pathway = client.get("/api/v1/areas/TLD33/pathway").json()
    stage_scores = client.get("/api/v1/stages/research/scores?level=ca").json()
    weak = client.get("/api/v1/weak-links?level=itl3&stage=formation").json()
    opportunities = client.get("/api/v1/opportunities").json()
    scores = [s["provenance"] for s in pathway["stages"] if s["score"] is not None] + \
        [r["provenance"] for r in stage_scores["scores"]]
    derived = [r["provenance"] for r in weak["links"]] + [o["provenance"] for o in opportunities]
    assert len(scores) > 5 + 10 and len(derived) > 15
    for prov in derived:  # gaps and opportunities draw on the whole build
        assert prov["licences"] == expected
        assert prov["licence"] == " ".join(f"{text}." for text in expected)
    for prov in scores:  # a stage score: its own indicators' inputs, each licence once, in the same order
        assert prov["licences"] and prov["licences"] == [t for t in expected if t in prov["licences"]]
        assert prov["licence"] == " ".join(f"{text}." for text in prov["licences"])


def test_the_openapi_document_describes_the_new_provenance_keys(client):
    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]

    def prov_schema(schema: str) -> dict:
        ref = schemas[schema]["properties"]["provenance"]["$ref"]
        return schemas[ref.rsplit("/", 1)[1]]

    expected = {"IndicatorOut": {"sources", "cited", "uncertainty", "caution", "year_notes"},
                "ValueOut": {"sources", "cited", "uncertainty", "caution", "year_note"},
                "PathwayStageOut": {"licences"}, "OpportunityOut": {"licences"},
                "StageScoreOut": {"licences"}, "WeakLinkRowOut": {"licences"}}
    for owner, added in expected.items():
        props = prov_schema(owner)["properties"]
        assert set(props) == {"source", "publisher", "vintage", "licence", "method"} | added, owner
        assert all(props[k].get("description") for k in props), owner
        # the five keys stay required; the new ones are optional
        assert set(prov_schema(owner)["required"]) == {"source", "publisher", "vintage", "licence", "method"}
    source = schemas["InputSourceOut"]["properties"]
    assert set(source) == {"id", "title", "publisher", "vintage", "licence"}
    assert all(p.get("description") for p in source.values())
    assert prov_schema("IndicatorOut")["properties"]["year_notes"]["additionalProperties"] == {"type": "string"}


def test_a_stage_score_names_only_the_inputs_of_its_own_indicators(client):
    """A district's formation score rests on ONS business demography alone: its provenance lists that
    licence, not the build's twelve (HESA's, REF's "No licence stated" ...); a gap keeps the build's."""
    lad = client.get("/api/v1/stages/formation/scores?level=lad").json()["scores"]
    assert lad
    for row in lad[:20]:
        prov = row["provenance"]
        assert prov["licences"] == [OGL], prov["licences"]
        assert "ONS" in prov["source"] and "HESA" not in prov["source"] and prov["vintage"] == row["data_years"]
    research = client.get("/api/v1/stages/research/scores?level=itl3").json()["scores"][0]["provenance"]
    assert HESA_NESTA in research["licences"] and len(research["licences"]) < len(sel.score_provenance()["licences"])
    pathway = client.get("/api/v1/areas/E08000003/pathway").json()  # Manchester (district): the same per stage
    formation = next(s for s in pathway["stages"] if s["stage"] == "formation")
    assert formation["provenance"]["licences"] == [OGL]
    links = client.get("/api/v1/weak-links?level=itl3&stage=knowledge_exchange").json()["links"]
    assert links[0]["provenance"]["licences"] == sel.score_provenance()["licences"]  # a gap: the whole build
