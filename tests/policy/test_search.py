"""Search relevance on fixed queries, facets, filters, suggestions, related cases, the API.

The same tests run on SQLite (FTS5) and PostgreSQL (tsvector): one interface, two engines.
"""

from __future__ import annotations

import re

import pytest
from django.db.models import Q

from locus.errors import PolicyError
from locus.policy.models import Case
from locus.policy.searching import SearchFilters, case_search
from locus.policy.selectors import case_get, case_related, cases_for_stage, place_similarity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy_library")]

# query -> the case expected first (or within the top ``n``)
RELEVANCE = [
    ("knowledge transfer partnerships", "knowledge-transfer-partnerships", 1),
    ("peer networks", "beis-peer-networks", 1),
    ("imec", "imec", 1),
    ("innovation vouchers", "creative-credits-manchester", 1),
    ("strength in places", "strength-in-places-fund", 1),
    ("San Diego", "san-diego-connect", 1),
    ("Waterloo", "university-of-waterloo-ecosystem", 1),
    ("management training for small business leaders", "help-to-grow-management", 1),
    ("clusters map", "dsit-innovation-clusters-map", 1),
    ("Advanced Propulsion Centre", "apc-collaboration-requirements", 1),
    ("Toronto start-ups", "mars-discovery-district", 1),
    ("enterprise zones", "enterprise-zones", 2),
    ("city deal Cardiff", "cardiff-capital-region-city-deal", 1),
    ("catapult", "catapult-network", 2),
    ("randomised trial peer learning", "evolve-digital-trial", 2),
    ("university spin-outs", "cardiff-university-innovation-campus", 3),
    ("digital adoption", "made-smarter-adoption-north-west", 3),
]


@pytest.mark.parametrize("query,expected,within", RELEVANCE)
def test_relevance_of_fixed_queries(query, expected, within):
    result = case_search(text=query, facets=False)
    top = [c.slug for c in result.cases[:within]]
    assert expected in top, f"{query!r}: got {top}"


def test_the_stip_layer_is_searchable_with_the_same_facets():
    result = case_search(text="knowledge transfer partnerships",
                         filters=SearchFilters(layer=["stip"], country=["United Kingdom"]))
    assert result.cases[0].slug == "stip-2021-4451"
    assert {c.layer for c in result.cases} == {"stip"}
    facet_keys = [f.key for f in result.facets]
    assert facet_keys == ["instrument", "theme", "stage", "rating", "country", "level", "layer"]


def test_stemming_matches_word_forms():
    plural = {c.slug for c in case_search(text="vouchers", facets=False).cases}
    singular = {c.slug for c in case_search(text="voucher", facets=False).cases}
    assert "creative-credits-manchester" in plural & singular


def test_filters_combine_and_facets_count_the_results():
    result = case_search(filters=SearchFilters(stage=["productivity"], min_rating=3))
    slugs = {c.slug for c in result.cases}
    assert slugs == {"cai-szeidl-business-associations", "creative-credits-manchester",
                     "evolve-digital-trial", "innovate-uk-grants-impact"}
    assert all(c.sms_rating >= 3 for c in result.cases)
    stage = next(f for f in result.facets if f.key == "stage")
    productivity = next(o for o in stage.options if o.value == "productivity")
    assert productivity.selected and productivity.count == result.total
    # No bundled trial's sources report attrition and balance, so none is rated 5 (H31 A1.3)
    rated = case_search(filters=SearchFilters(rating=["5"], layer=["local"]))
    assert rated.total == 0
    four = case_search(filters=SearchFilters(rating=["4"], layer=["local"]))
    assert {c.slug for c in four.cases} == {"evolve-digital-trial", "creative-credits-manchester",
                                            "cai-szeidl-business-associations"}
    three = case_search(filters=SearchFilters(rating=["3"], layer=["local"]))
    assert {c.slug for c in three.cases} == {"innovate-uk-grants-impact",
                                             "northern-powerhouse-investment-fund"}  # H31 A1.1


def test_without_words_rated_local_cases_come_first():
    result = case_search(per_page=5)
    assert [c.sms_rating for c in result.cases[:5]] == [4, 4, 4, 3, 3]
    assert result.total > 6000  # both layers


def test_drafts_are_never_found():
    assert not any(c.slug == "be-the-business" for c in
                   case_search(text="Be the Business", per_page=100).cases)
    with pytest.raises(PolicyError):
        case_get(slug="be-the-business")


def test_no_results_gives_suggestions():
    typo = case_search(text="peer learnng")
    assert typo.total == 0
    texts = [s.text for s in typo.suggestions]
    assert any("peer learning" in t for t in texts)
    assert any(s.query.get("stage") for s in typo.suggestions)  # browse by stage
    too_many = case_search(text="peer networks zebra")
    assert any(s.query.get("match") == "any" and s.count for s in too_many.suggestions)
    filtered = case_search(text="imec", filters=SearchFilters(country=["Japan"]))
    assert filtered.total == 0
    assert any(t.text == "Remove all filters" and t.count for t in filtered.suggestions)
    common = case_search(text="the and of")
    assert common.total == 0 and "ignored" in common.suggestions[0].text


def test_bad_filters_are_refused():
    with pytest.raises(PolicyError):
        case_search(filters=SearchFilters(stage=["moon"]))
    with pytest.raises(PolicyError):
        case_search(filters=SearchFilters(min_rating=9))


def test_related_cases_share_facets():
    case = case_get(slug="evolve-digital-trial")
    related = [c.slug for c in case_related(case=case, limit=5)]
    assert "evolve-digital-trial" not in related
    assert "beis-peer-networks" in related  # peer learning for productivity, like the trial
    mine = {(t.kind, t.code) for t in case.tags.all()}
    for slug in related:
        theirs = {(t.kind, t.code) for t in case_get(slug=slug).tags.all()}
        assert mine & theirs
    stip = case_related(case=case, limit=3, layer="stip")
    assert stip and all(c.layer == "stip" for c in stip)


def test_cases_for_stage_orders_by_rating_then_place():
    from locus.geography.models import Area

    gm = Area.objects.get(code="E47000001")
    cases = cases_for_stage(stage="productivity", area=gm, limit=10)
    ratings = [c.sms_rating or 0 for c in cases]
    assert ratings == sorted(ratings, reverse=True)
    fours = [c.slug for c in cases if c.sms_rating == 4]
    # Among the randomised trials (all rated 4), Manchester's own comes first.
    assert fours[0] == "creative-credits-manchester"
    assert place_similarity(case=cases[0], area=gm) == 1.0
    with pytest.raises(PolicyError):
        cases_for_stage(stage="nope")


def test_place_similarity_levels():
    from locus.geography.models import Area

    wigan = Area.objects.get(code="E08000010")
    case = case_get(slug="creative-credits-manchester")  # Greater Manchester
    assert place_similarity(case=case, area=Area.objects.get(code="E47000001")) == 1.0
    assert place_similarity(case=case, area=wigan) == 0.8  # the CA contains Wigan
    assert place_similarity(case=case_get(slug="prosper-peer-works"), area=wigan) == 0.5
    beis = case_get(slug="beis-peer-networks")
    covers = 0.7 if beis.area_id in ("K02000001", "E92000001") else 0.6  # England- or UK-wide covers Wigan
    assert place_similarity(case=beis, area=wigan) == covers
    scotland = Area.objects.get(code="S92000003")
    if beis.area_id == "E92000001":  # an England-wide programme does not cover Scotland
        assert place_similarity(case=beis, area=scotland) < 0.7
    assert place_similarity(case=case_get(slug="imec"), area=wigan) == 0.3
    # a UK-wide programme (nation level, no nation's code) covers Wigan and Scotland alike; it was
    # ranked 'elsewhere in the UK', below England-only programmes
    for slug in ("help-to-grow-management", "knowledge-transfer-partnerships"):
        assert place_similarity(case=case_get(slug=slug), area=wigan) == 0.7, slug
        assert place_similarity(case=case_get(slug=slug), area=scotland) == 0.7, slug
    # a set of places across the UK is not UK-wide
    assert place_similarity(case=case_get(slug="innovate-uk-launchpads"), area=wigan) == 0.5


# --- API ----------------------------------------------------------------------------------------

def test_api_search(client):
    data = client.get("/api/v1/policy/cases", {"q": "peer", "stage": "productivity",
                                               "min_rating": 4}).json()
    assert data["total"] >= 2
    assert {r["slug"] for r in data["results"]} >= {"evolve-digital-trial",
                                                    "cai-szeidl-business-associations"}
    assert all(r["sms_rating"] >= 4 and "productivity" in r["stages"] for r in data["results"])
    none = client.get("/api/v1/policy/cases", {"q": "peer learnng"}).json()
    assert none["total"] == 0 and any("peer learning" in s for s in none["suggestions"])
    assert client.get("/api/v1/policy/cases", {"min_rating": 7}).status_code == 400
    assert client.get("/api/v1/policy/cases", {"stage": "moon"}).status_code == 400


def test_api_case_and_openapi(client):
    case = client.get("/api/v1/policy/cases/evolve-digital-trial").json()
    assert case["sms_rating"] == 4 and case["sources"][0]["url"].startswith("http")
    assert case["sources"][0]["kind"] == "evaluation" and case["sources"][0]["mirror_of"] is None
    assert case["provenance"].startswith("Locus policy case library")
    ktp = client.get("/api/v1/policy/cases/knowledge-transfer-partnerships").json()
    assert ktp["national_programmes"][0]["slug"] == "stip-2021-4451"
    assert client.get("/api/v1/policy/cases/nope").status_code == 404
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/policy/cases", "/api/v1/policy/cases/{slug}",
            "/api/v1/policy/cost-model"} <= set(paths)
    params = {p["name"] for p in paths["/api/v1/policy/cases"]["get"]["parameters"]}
    assert {"q", "stage", "min_rating"} <= params


def test_api_cost_model(client):
    data = client.get("/api/v1/policy/cost-model").json()
    assert data["total"] == 11_345_000 and data["within_brief_range"] is True
    assert [m["amount"] for m in data["by_measure"]] == [325_000, 7_940_000, 1_500_000, 1_580_000]
    assert data["brief_range"] == [10_000_000, 15_000_000]


@pytest.mark.parametrize("value", ["7", "0", "abc", "2.5"])
def test_a_minimum_rating_outside_1_to_5_is_a_govuk_error_on_the_search_page(client, value):
    """min_rating=7 was 'Page not found'; min_rating=abc was dropped without a word."""
    response = client.get(f"/policy/cases/?q=peer&min_rating={value}")
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page
    assert f"‘{value}’ is not an evidence rating Locus can filter by" in page and 'href="#filters"' in page
    assert f"min_rating={value}" not in page  # the page's links drop the refused value


def test_filtered_by_lists_every_applied_filter_even_with_no_results(client):
    """QA H25 F8: with no results the layer filter vanished from 'Filtered by' and from the panel."""
    page = client.get("/policy/cases/", {"q": "peer networks", "rating": "3", "layer": "local"}).content.decode()
    assert 'id="no-results"' in page
    chosen = page[page.index('id="selected-filters"'):page.index('id="results-heading"')]
    assert "Layer: Case library" in chosen and "Evidence rating (Maryland scale): 3" in chosen
    assert re.search(r'name="layer" type="checkbox" value="local" checked', page)
    # each can be removed on its own
    assert re.search(r'href="/policy/cases/\?q=peer\+networks&amp;rating=3">Remove filter: Layer', page)


def test_rating_3_or_above_is_offered_counted_and_listed(client):
    from locus.policy.models import Status

    page = client.get("/policy/cases/").content.decode()
    box = re.search(r'<input[^>]*name="min_rating"[^>]*>\s*<label[^>]*>(.*?)</label>', page, re.S)
    assert box and 'value="3"' in box.group(0) and "checked" not in box.group(0)
    n = Case.objects.filter(status=Status.PUBLISHED, sms_rating__gte=3).count()
    assert "3 or above" in box.group(1) and f"({n})" in box.group(1)
    chosen = client.get("/policy/cases/", {"min_rating": "3", "layer": "local"}).content.decode()
    assert re.search(r'name="min_rating" type="checkbox" value="3" checked', chosen)
    assert "Remove filter: Evidence rating: 3 or above" in chosen and f"{n} case" in chosen


def test_the_country_facet_lists_the_uk_nations_first_and_they_match_places_in_them(client):
    from locus.policy.models import Status

    page = client.get("/policy/cases/").content.decode()
    fieldset = page[page.index(">Country</legend>"):]
    fieldset = fieldset[:fieldset.index("</fieldset>")]
    values = re.findall(r'name="country" type="checkbox" value="([^"]+)"', fieldset)
    nations = [v for v in values if v in ("England", "Northern Ireland", "Scotland", "Wales")]
    assert nations and values[:len(nations)] == nations and "Scotland" in nations
    # Scotland matches the cases placed in Scotland (their country is 'United Kingdom')
    scottish = Case.objects.filter(status=Status.PUBLISHED).filter(
        Q(area__level="nation", area__name="Scotland") | Q(area__nation__name="Scotland"))
    assert scottish.exists()
    found = client.get("/api/v1/policy/cases", {"country": "Scotland", "limit": 100}).json()
    assert found["total"] == scottish.count()
    assert {r["slug"] for r in found["results"]} == set(scottish.values_list("slug", flat=True))
