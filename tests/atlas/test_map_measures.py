"""The map's "What to map" list offers only indicators with values in the live build at a level the
map shows; one an address asks for anyway is listed marked "no data" (so the list shows what the map
shows), the page names the ones left out, and the catalogue download says which levels have data."""

from __future__ import annotations

import csv
import io
import re

import pytest

from locus.atlas import models as m
from locus.atlas.selectors import cache_clear

pytestmark = pytest.mark.django_db
EMPTIED = "collab_links"  # has values in the bundled build; the tests remove them inside their transaction


def _options(html: str) -> dict[str, str]:
    select = html[html.index('id="measure"'):]
    select = select[:select.index("</select>")]
    return dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', select))


def _selected(html: str) -> list[str]:
    select = html[html.index('id="measure"'):]
    return re.findall(r'<option value="([^"]+)" selected>', select[:select.index("</select>")])


@pytest.fixture
def emptied():
    assert m.IndicatorValue.objects.filter(indicator_id=EMPTIED, value__isnull=False).exists()
    m.IndicatorValue.objects.filter(indicator_id=EMPTIED).delete()
    cache_clear()
    yield m.Indicator.objects.get(id=EMPTIED)
    cache_clear()


def test_every_indicator_with_no_data_at_any_level_is_left_out_of_the_list_and_named(client, emptied):
    catalogue = {i["id"]: i for i in client.get("/api/v1/indicators").json()}
    assert catalogue[EMPTIED]["levels_with_data"] == []
    empty = {i for i, c in catalogue.items() if not set(c["levels_with_data"]) & {"itl3", "ca", "lad"}}
    html = client.get("/atlas/").content.decode()
    options = _options(html)
    assert f"ind:{EMPTIED}" not in options and not {f"ind:{i}" for i in empty} & set(options)
    assert "ind:gva_per_hour" in options and not any("(no data)" in label for label in options.values())
    hint = re.search(r'<div id="measure-hint" class="govuk-hint">(.*?)</div>', html, re.S).group(1)
    for ind in empty:
        assert catalogue[ind]["title"] in hint.replace("&#39;", "'")
    assert 'aria-describedby="measure-hint"' in html


def test_a_measure_with_no_data_asked_for_by_address_is_selected_and_marked_no_data(client, emptied):
    html = client.get(f"/atlas/?measure=ind:{EMPTIED}&level=ca").content.decode()
    assert _selected(html) == [f"ind:{EMPTIED}"]  # the list shows the measure the map shows, not the first one
    assert _options(html)[f"ind:{EMPTIED}"] == f"{emptied.title} (no data)"
    assert "this atlas build has no value of it at any level" in html
    other = client.get("/atlas/?measure=ind:gva_per_hour").content.decode()
    assert f"ind:{EMPTIED}" not in _options(other)  # listed only while it is the one asked for


def test_a_level_without_data_names_the_levels_that_have_it(client):
    data = client.get("/api/v1/indicators/collab_links/values?level=ca").json()
    assert data["values"] == [] and "it has values for ITL3 areas" in data["message"]


def test_the_catalogue_download_says_which_levels_have_data(client, emptied):
    api = {i["id"]: i["levels_with_data"] for i in client.get("/api/v1/indicators").json()}
    rows = list(csv.DictReader(io.StringIO(client.get("/atlas/download/indicators.csv").content.decode())))
    got = {r["indicator_id"]: r["levels_with_data"] for r in rows}
    assert got[EMPTIED] == "none: no value in this build"
    assert all(got[i] == ",".join(levels) for i, levels in api.items() if levels)
