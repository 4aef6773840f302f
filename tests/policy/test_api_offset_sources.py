"""GET /api/v1/policy/cases takes any offset from 0, not only a multiple of limit (offset=3&limit=5 was a
400), and the results are the slice of the full ordered list; GET /api/v1/policy/cost-model cites its
two sources in parts (`source_details`) beside the one-line `source` it always had."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from locus.policy import costs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy_library")]
URL = "/api/v1/policy/cases"
COST_FILE = Path(__file__).resolve().parents[2] / "data" / "policy" / "cost_model.yaml"


def _slugs(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return [r["slug"] for r in response.json()["results"]]


@pytest.mark.parametrize("query", [
    {},  # browse: the best-rated local cases first
    {"q": "innovation"},  # ranked by the full-text search
    {"layer": "stip", "country": "Japan"},  # filtered, STIP layer (titles repeat across countries)
])
def test_any_offset_is_the_slice_of_the_full_ordered_list(client, query):
    full = _slugs(client, limit=100, **query)
    assert len(full) >= 12, "too few results for the slices to mean anything"
    assert _slugs(client, offset=3, limit=5, **query) == full[3:8]  # items 4-8
    for offset, limit in ((0, 7), (1, 1), (7, 3), (11, 89)):  # within the first 100
        assert _slugs(client, offset=offset, limit=limit, **query) == full[offset:offset + limit]
    # consecutive pages of any size cover the list once, in order
    pages = [_slugs(client, offset=start, limit=7, **query) for start in range(0, len(full), 7)]
    assert [slug for page in pages for slug in page][:len(full)] == full


def test_the_answer_echoes_the_offset_and_counts_all_results(client):
    body = client.get(URL, {"offset": 3, "limit": 5}).json()
    assert (body["offset"], body["limit"], len(body["results"])) == (3, 5, 5)
    everything = client.get(URL, {"offset": body["total"] - 2, "limit": 5}).json()
    assert everything["total"] == body["total"] and len(everything["results"]) == 2
    past_the_end = client.get(URL, {"offset": body["total"] + 10}).json()
    assert past_the_end["results"] == [] and past_the_end["total"] == body["total"]


@pytest.mark.parametrize("offset", ["-1", "x", "100001"])
def test_an_offset_that_is_not_a_number_from_0_is_a_400_naming_it(client, offset):
    response = client.get(URL, {"offset": offset})
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["offset"]


def test_the_cost_model_cites_each_source_in_parts(client):
    body = client.get("/api/v1/policy/cost-model").json()
    assert body["source"].startswith("data/policy/cost_model.yaml (Locus team")  # the old key is kept
    model, brief = body["source_details"]
    assert model["role"] == "assumptions" and model["path"] == "data/policy/cost_model.yaml"
    assert model["publisher"] == "Locus team" and model["licence"] == "CC BY 4.0"
    # the model's vintage is what its data file says of when its facts were checked
    about = " ".join(COST_FILE.read_text().split("assumptions:")[0].split())
    assert "text licence CC BY 4.0" in about and "Locus team" in about
    for date in re.findall(r"\d{4}-\d{2}-\d{2}", model["vintage"]):
        assert date in about
    assert len(re.findall(r"\d{4}-\d{2}-\d{2}", model["vintage"])) == 2
    # the brief: the parts of the one-line citation the page and the CLI show
    assert brief["role"] == "brief_range"
    assert f"{brief['publisher']} ({brief['vintage']}), {brief['title']} ({brief['author']})" == costs.BRIEF_SOURCE
    assert brief["title"] in body["source"] and brief["section"] == costs.BRIEF_SECTION
    assert "unlikely to exceed" in brief["section"]
    # what Locus does not hold is null, not a guess
    assert brief["url"] is None and brief["licence"] is None and model["url"] is None


def test_the_openapi_documents_the_source_details(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "source_details" in schemas["CostModelOut"]["required"]
    assert {"title", "publisher", "vintage", "licence", "url"} <= set(schemas["CostSourceOut"]["properties"])
