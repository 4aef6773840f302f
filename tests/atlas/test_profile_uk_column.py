"""The profile's UK column gives the UK figure of the row's year, or its latest earlier one, labelled."""

from __future__ import annotations

import pytest

from locus.atlas import models as m
from locus.atlas.text import value_text

pytestmark = pytest.mark.django_db


def _uk_cell(page: str, indicator_id: str) -> str:
    row = page.split(f'data-indicator="{indicator_id}"')[1].split("</tr>")[0]
    return row.split('data-col="uk">')[1].split("</td>")[0]


def _latest(indicator_id: str, code: str, level: str, *, up_to: int = 9999) -> tuple[int, float]:
    """The latest value the scores use (no part year, nothing built from a source's defect), up to a year."""
    v = (m.IndicatorValue.objects.filter(indicator_id=indicator_id, area_code=code, level=level, year__lte=up_to,
                                         partial_year=False, source_defect=False)
         .exclude(value=None).order_by("-year").first())
    return v.year, v.value


def test_a_uk_figure_from_an_earlier_year_is_shown_with_its_year_not_as_no_data(client):
    """Greater Manchester's Horizon 2020 funding per head runs to 2019 (the last full year), the UK's to 2018
    (the UK figure is missing some years): the UK cell said "no data". (The resident population was the
    example until the UK's 2022 population, ONS's published total, was added.)"""
    page = client.get("/atlas/areas/E47000001/").content.decode()
    gm_year, _ = _latest("h2020_funding_per_head", "E47000001", "ca")
    uk_year, uk_value = _latest("h2020_funding_per_head", "K02000001", "uk", up_to=gm_year)
    assert not m.IndicatorValue.objects.filter(indicator_id="h2020_funding_per_head", area_code="K02000001",
                                               level="uk", year=gm_year).exclude(value=None).exists()
    assert uk_year < gm_year  # the bundled data's gap this test is about
    assert _uk_cell(page, "h2020_funding_per_head") == f"{value_text(uk_value, 'EUR per head')} ({uk_year})"
    # same year: the figure alone
    gva_year, _ = _latest("gva_per_head", "E47000001", "ca")
    uk_gva = m.IndicatorValue.objects.get(indicator_id="gva_per_head", area_code="K02000001", level="uk", year=gva_year)
    assert _uk_cell(page, "gva_per_head") == value_text(uk_gva.value, "GBP per head")
    # no UK figure in any year up to the row's: still "no data"
    assert not m.IndicatorValue.objects.filter(indicator_id="patents_per_100k", level="uk").exclude(value=None).exists()
    assert _uk_cell(page, "patents_per_100k") == "no data"
