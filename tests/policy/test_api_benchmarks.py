"""GET /api/v1/policy/cost-model returns the benchmarks the cost model page shows (what comparable
programmes cost, never used by the model): each with its standing (primary or secondary source),
its caution and its sources (publisher, title, address, publication date, date checked, where in
the source the figure is, and the original when the address is a copy). The OpenAPI document
describes exactly the keys the endpoint sends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from locus.policy.files import cost_assumptions_read
from tests.policy.test_benchmarks_page import benchmark_rows

COST_FILE = Path(__file__).resolve().parents[2] / "data" / "policy" / "cost_model.yaml"
_, BENCHMARKS, _ = cost_assumptions_read(COST_FILE)
URL = "/api/v1/policy/cost-model"


@pytest.fixture
def body(client) -> dict:
    response = client.get(URL)
    assert response.status_code == 200
    return response.json()


def test_every_benchmark_of_the_data_file_is_returned_in_its_order(body):
    sent = body["benchmarks"]
    assert [b["key"] for b in sent] == [b.key for b in BENCHMARKS]
    assert len(sent) == 8
    assert sum(b["standing"] == "primary" for b in sent) == 5
    assert sum(b["standing"] == "secondary" for b in sent) == 3
    for b, out in zip(BENCHMARKS, sent, strict=True):
        for field in ("measure", "label", "value", "unit", "low", "high", "basis", "reason",
                      "standing", "caution"):
            assert out[field] == getattr(b, field), (b.key, field)
        assert len(out["sources"]) == len(b.sources) >= 1
        for s, src in zip(b.sources, out["sources"], strict=True):
            assert (src["publisher"], src["title"], src["url"], src["section"], src["kind"]) == (
                s.publisher, s.title, s.url, s.section, s.kind)
            assert src["checked"] == s.checked.isoformat()
            assert src["date"] == (s.date.isoformat() if s.date else None)
            assert "maintainer_note" not in src  # kept in the data file for maintainers only


def test_every_figure_names_its_source_and_a_secondary_one_its_caution(body):
    for b in body["benchmarks"]:
        assert b["sources"], b["key"]
        for src in b["sources"]:
            assert src["url"].startswith(("https://", "http://")) and src["section"], (b["key"], src)
            dt.date.fromisoformat(src["checked"])
        if b["standing"] == "secondary":
            assert b["caution"] and len(b["caution"]) >= 40, b["key"]
        if b["basis"] == "derived":
            assert b["reason"], b["key"]  # the arithmetic is shown


def test_the_peer_networks_budget_is_the_20m_of_the_written_statement_hlws89(body):
    bench = {b["key"]: b for b in body["benchmarks"]}["bench_peer_networks_budget"]
    assert bench["value"] == 20_000_000 and bench["standing"] == "primary"
    statement = bench["sources"][0]
    assert statement["publisher"] == "UK Parliament (written statement HLWS89, House of Lords)"
    assert statement["date"] == "2019-11-05" and statement["kind"] == "official"
    assert statement["url"].endswith("/2019-11-05/hlws89")
    assert "£20m to strengthen local England Peer to Peer Networks" in statement["section"]
    assert "not money spent" in bench["caution"]


def test_a_copy_names_the_original_and_other_sources_have_none(body):
    bench = {b["key"]: b for b in body["benchmarks"]}
    copy = bench["bench_lancashire_cohort_cost"]["sources"][0]
    assert copy["mirror_of"] == {"publisher": "Lancashire County Council (tender notice RFQ 1534716)",
                                 "title": "Peer Network Support in Lancashire",
                                 "date": "2023-02-01"}
    assert bench["bench_peer_networks_budget"]["sources"][0]["mirror_of"] is None


def test_the_api_and_the_page_show_the_same_benchmarks(client, body):
    rows = benchmark_rows(client.get("/policy/cost-model/").content.decode())
    assert list(rows) == [b["key"] for b in body["benchmarks"]]
    for b in body["benchmarks"]:
        if b["caution"]:
            assert b["caution"] in rows[b["key"]]
        for src in b["sources"]:
            assert src["section"] in rows[b["key"]]


# --- the OpenAPI document describes what is sent -------------------------------------------

def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _check(value, schema: dict, components: dict, where: str) -> None:
    """A small check of a value against its OpenAPI schema: objects have exactly the documented
    properties (every required one present), arrays their items, and scalars their type or enum."""
    schema = _resolve(schema, components)
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        fits = []
        for option in options:
            try:
                _check(value, option, components, where)
            except AssertionError:
                continue
            fits.append(option)
        assert fits, f"{where}: {value!r} fits none of {options}"
        return
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
    kind = schema.get("type")
    if kind == "object":
        assert isinstance(value, dict), where
        assert set(value) == set(schema["properties"]), (where, set(value) ^ set(schema["properties"]))
        assert set(schema.get("required", [])) <= set(value), where
        for key, item in value.items():
            _check(item, schema["properties"][key], components, f"{where}.{key}")
    elif kind == "array":
        assert isinstance(value, list), where
        for i, item in enumerate(value):
            _check(item, schema["items"], components, f"{where}[{i}]")
    elif kind is not None:
        types = {"string": str, "integer": int, "number": (int, float), "boolean": bool,
                 "null": type(None)}
        assert isinstance(value, types[kind]), f"{where}: {value!r} is not {kind}"
        if schema.get("format") == "date":
            dt.date.fromisoformat(value)


def test_the_openapi_document_describes_the_benchmarks_sent(client, body):
    spec = client.get("/api/v1/openapi.json").json()
    components = spec["components"]["schemas"]
    documented = spec["paths"][URL]["get"]["responses"]["200"]["content"]["application/json"]
    _check(body, documented["schema"], components, "cost-model")
    assert "benchmarks" in components["CostModelOut"]["required"]
    bench = components["BenchmarkOut"]
    assert bench["properties"]["standing"]["enum"] == ["primary", "secondary"]
    assert "secondary" in bench["properties"]["standing"]["description"]
    assert {"standing", "caution", "sources"} <= set(bench["required"])
    source = components["BenchmarkSourceOut"]
    assert {"publisher", "title", "url", "date", "checked", "section"} <= set(source["required"])


def test_the_shape_check_can_fail(client, body):
    spec = client.get("/api/v1/openapi.json").json()
    components = spec["components"]["schemas"]
    schema = spec["paths"][URL]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    bad = {**body, "benchmarks": [{**body["benchmarks"][0], "standing": "tertiary"}]}
    with pytest.raises(AssertionError, match="tertiary"):
        _check(bad, schema, components, "cost-model")
    extra = {**body, "benchmarks": [{**body["benchmarks"][0], "undocumented": 1}]}
    with pytest.raises(AssertionError, match="undocumented"):
        _check(extra, schema, components, "cost-model")
