"""Each indicator value in the API says the year of its denominator (QA H19: the API did not show
``denominator_year``, so a value divided by another year's population looked like the rest)."""

from __future__ import annotations

import pytest

from locus.atlas import models as m

pytestmark = pytest.mark.django_db


def _values(client, indicator, level, year):
    params = {"level": level} if year is None else {"level": level, "year": year}
    body = client.get(f"/api/v1/indicators/{indicator}/values", params).json()
    return {v["area_code"]: v for v in body["values"]}


def test_denominator_year_is_the_builds_for_every_value(client):
    stored = {c: y for c, y in m.IndicatorValue.objects.filter(indicator_id="gva_per_head", level="itl3",
                                                                 year=2022).exclude(value=None)
              .values_list("area_code", "denominator_year")}
    got = _values(client, "gva_per_head", "itl3", 2022)
    assert {c: v["denominator_year"] for c, v in got.items()} == stored and len(stored) > 150


def test_a_denominator_from_another_year_is_shown_as_that_year(client):
    """The bundled build carries a population forward only after its last published year, which no
    per-head indicator reaches today; the API must pass the stored year through, not assume it."""
    row = (m.IndicatorValue.objects.filter(indicator_id="innovate_uk_per_head", level="itl3", year=2019)
           .exclude(value=None).order_by("area_code").first())
    m.IndicatorValue.objects.filter(pk=row.pk).update(denominator_year=2018)  # rolled back after the test
    from locus.atlas.selectors import cache_clear

    cache_clear()
    try:
        got = _values(client, "innovate_uk_per_head", "itl3", 2019)[row.area_code]
    finally:
        cache_clear()
    assert got["denominator_year"] == 2018 and got["denominator"] == row.denominator


def test_a_collaboration_share_has_no_year_for_its_denominator(client):
    """The network's link shares divide two counts from one network; the build records no year."""
    values = _values(client, "collab_local_link_share", "itl3", None)
    assert values and all(v["denominator_year"] is None for v in values.values())


def test_a_value_without_a_denominator_has_a_null_denominator_year(client):
    values = _values(client, "population", "itl3", 2020)
    assert values and all(v["denominator"] is None and v["denominator_year"] is None for v in values.values())


def test_every_value_has_the_field_and_the_openapi_description_explains_it(client):
    values = _values(client, "research_income_per_head", "itl3", 2017)
    assert values and all(isinstance(v["denominator_year"], int) for v in values.values())
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["ValueOut"]
    assert "denominator_year" in schema["properties"]
    description = schema["properties"]["denominator_year"]["description"]
    assert "year of the denominator" in description and "Null when the value has no denominator" in description
    assert "records no year" in description
