"""The profile's UK column gives the UK figure of the row's year, or its latest earlier one, labelled."""

from __future__ import annotations

import pytest

from locus.atlas import models as m
from locus.atlas.text import value_text

pytestmark = pytest.mark.django_db


def _uk_cell(page: str, indicator_id: str) -> str:
    row = page.split(f'data-indicator="{indicator_id}"')[1].split("</tr>")[0]
    return row.split('data-col="uk">')[1].split("</td>")[0]


def _latest(indicator_id: str, code: str, level: str) -> tuple[int, float]:
    v = (m.IndicatorValue.objects.filter(indicator_id=indicator_id, area_code=code, level=level)
         .exclude(value=None).order_by("-year").first())
    return v.year, v.value


def test_a_uk_figure_from_an_earlier_year_is_shown_with_its_year_not_as_no_data(client):
    """Greater Manchester's resident population runs to 2022, the UK's to 2021: the UK cell said "no data"."""
    page = client.get("/atlas/areas/E47000001/").content.decode()
    gm_year, _ = _latest("population", "E47000001", "ca")
    uk_year, uk_value = _latest("population", "K02000001", "uk")
    assert uk_year < gm_year  # the bundled data's gap this test is about
    assert _uk_cell(page, "population") == f"{value_text(uk_value, 'persons')} ({uk_year})"
    # same year: the figure alone
    gva_year, _ = _latest("gva_per_head", "E47000001", "ca")
    uk_gva = m.IndicatorValue.objects.get(indicator_id="gva_per_head", area_code="K02000001", level="uk", year=gva_year)
    assert _uk_cell(page, "gva_per_head") == value_text(uk_gva.value, "GBP per head")
    # no UK figure in any year up to the row's: still "no data"
    assert not m.IndicatorValue.objects.filter(indicator_id="patents_per_100k", level="uk").exclude(value=None).exists()
    assert _uk_cell(page, "patents_per_100k") == "no data"
