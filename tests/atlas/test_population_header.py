"""The population in a profile's header names its source and year, and says that the "Resident
population" indicator on the same page is another publication with its own figure."""

from __future__ import annotations

import re

import pytest

from locus.atlas import models as m
from locus.atlas import selectors as sel
from locus.atlas.population import header_population_get

pytestmark = pytest.mark.django_db


def _caption_and_note(html: str) -> tuple[str, str]:
    caption = re.search(r'<span class="govuk-caption-l">(.*?)</span>', html, re.S).group(1)
    note = re.search(r'<p class="govuk-body-s locus-source" id="header-population">(.*?)</p>', html, re.S).group(1)
    return caption, note


def test_manchester_header_and_indicator_differ_and_the_page_says_which_is_which(client):
    area = m.AtlasArea.objects.get(code="TLD33", level="itl3")
    indicator_2020 = m.IndicatorValue.objects.get(indicator_id="population", area_code="TLD33", level="itl3", year=2020)
    assert round(area.population) != round(indicator_2020.value)  # the confusion the header must prevent
    caption, note = _caption_and_note(client.get("/atlas/areas/TLD33/").content.decode())
    source = next(i for i in sel.build_live_get().manifest["inputs"] if i["id"] == "geo_councils")
    assert f"population {round(area.population):,} (2020, {source['publisher']})" in caption
    assert f"Population {round(area.population):,} (2020)" in note
    assert source["title"] in note and source["licence"] in note and source["vintage"] in note
    assert f"{round(indicator_2020.value):,} in 2020" in note and "another publication" in note


def test_an_area_whose_population_is_shared_out_says_estimated(client):
    area = m.AtlasArea.objects.filter(level="itl3", pop_estimated=True).first()
    assert area is not None
    _caption, note = _caption_and_note(client.get(f"/atlas/areas/{area.code}/").content.decode())
    assert "(2020, estimated)" in note and "shared out by population" in note


def test_a_district_is_not_said_to_be_summed_over_districts(client):
    _caption, note = _caption_and_note(client.get("/atlas/areas/E08000003/").content.decode())
    assert "summed over" not in note and "mySociety" in note


def test_the_evidence_pack_cover_names_the_source_too(client):
    page = client.get("/atlas/areas/E47000001/evidence-pack.html").content.decode()
    hp = header_population_get(area=sel.area_get(code="E47000001"), build=sel.build_live_get())
    assert f"population {round(hp.value):,} (2020, {hp.publisher})" in page and 'id="header-population"' in page
    assert page.lstrip().startswith("<!DOCTYPE html>")
