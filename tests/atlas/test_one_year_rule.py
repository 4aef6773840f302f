"""One rule for years everywhere (QA H25 findings 3, 4, 5): the map, its JSON, the compare page, the downloads
and the API pick the latest year the scores use (never a part year such as Innovate UK's and Horizon 2020's
2020 by default), and the note on a source's declared defect (Birmingham's 2018 HESA rows) goes on a value
only when that value was built from the defective row, the UK's comparison figure included."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

BIRMINGHAM_NOTE = "Birmingham (NUTS3 UKG31)"
WOE, WMCA = "E47000009", "E47000007"  # West of England; West Midlands (contains Birmingham)


@pytest.fixture
def client():
    return Client()


# --- finding 3: the map's default year -------------------------------------------------------------

@pytest.mark.parametrize("indicator", ["innovate_uk_per_head", "h2020_funding_per_head"])
def test_the_maps_default_year_is_not_a_part_year(client, indicator):
    data = client.get(f"/atlas/map-data.json?measure=ind:{indicator}&level=ca").json()
    assert data["year"] == 2019 and data["part_year"] is False
    assert 2020 in data["part_years"]
    page = client.get(f"/atlas/?measure=ind:{indicator}&level=ca").content.decode()
    assert '<option value="2019" selected>2019</option>' in page
    assert '<option value="2020">2020 (part year)</option>' in page  # still there to choose, labelled


def test_a_part_year_can_still_be_chosen_and_says_so(client):
    data = client.get("/atlas/map-data.json?measure=ind:innovate_uk_per_head&level=ca&year=2020").json()
    assert data["year"] == 2020 and data["part_year"] is True
    page = client.get("/atlas/?measure=ind:innovate_uk_per_head&level=ca&year=2020").content.decode()
    assert "2020 (part year)</h2>" in page
    assert '<option value="2020" selected>2020 (part year)</option>' in page


def test_default_year_skips_unscored_years_unless_every_year_is_one():
    from locus.atlas.selectors import default_year

    assert default_year({2018: 15, 2019: 15, 2020: 15}, skip=frozenset({2020})) == 2019
    assert default_year({2020: 15}, skip=frozenset({2020})) == 2020


def test_the_api_default_year_follows_the_same_rule(client):
    data = client.get("/api/v1/indicators/innovate_uk_per_head/values?level=ca").json()
    assert data["year"] == 2019


# --- finding 4: the compare page's common year -----------------------------------------------------

def test_compare_uses_the_profiles_year_not_the_part_year(client):
    from locus.atlas.compare import compare_get

    cmp = compare_get(codes=[WOE, "E47000001", "E47000008"])
    years = {ind.id: year for ind, year, _cells in cmp.rows}
    assert years["innovate_uk_per_head"] == 2019
    assert years["h2020_funding_per_head"] == 2019
    profile = client.get(f"/atlas/areas/{WOE}/").content.decode()
    cells = dict((ind.id, cells) for ind, _y, cells in cmp.rows)
    from locus.atlas.text import value_text

    woe_iuk = value_text(cells["innovate_uk_per_head"][0].value, "GBP per head")
    start = profile.index('data-indicator="innovate_uk_per_head"')
    assert woe_iuk in profile[start:profile.index("</tr>", start)]  # the same figure on both pages


# --- finding 5: one rule for the defect note --------------------------------------------------------

def test_compare_puts_the_defect_note_only_on_the_place_built_from_it(client):
    page = client.get(f"/atlas/compare/?areas={WOE},E47000001,E47000008").content.decode()
    assert BIRMINGHAM_NOTE not in page  # none of these contains Birmingham
    from locus.atlas.compare import compare_get

    cmp = compare_get(codes=[WOE, WMCA])
    row = next((y, cells) for ind, y, cells in cmp.rows if ind.id == "research_income_total")
    year, cells = row
    if year == 2018:  # the common year may skip the defect year; then neither value carries its note
        assert BIRMINGHAM_NOTE in cells[1].note and BIRMINGHAM_NOTE not in cells[0].note
    else:
        assert all(BIRMINGHAM_NOTE not in c.note for c in cells)


def test_the_compare_common_year_skips_a_year_built_from_a_defect():
    from locus.atlas.compare import compare_get

    cmp = compare_get(codes=[WOE, WMCA])
    years = {ind.id: year for ind, year, _cells in cmp.rows}
    assert years["research_income_per_head"] == 2017  # the West Midlands' 2018 is built from Birmingham's rows


def _csv(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_indicator_values_download_notes_the_defect_only_on_rows_built_from_it(client):
    woe = _csv(client, f"/atlas/download/indicator-values.csv?area={WOE}")
    assert any(r["year"] == "2018" and r["indicator_id"] == "research_income_per_head" for r in woe)
    assert not [r for r in woe if BIRMINGHAM_NOTE in r["note"]]
    assert [r for r in woe if r["year"] == "2020" and r["indicator_id"] == "innovate_uk_per_head" and r["note"]]
    wm = _csv(client, f"/atlas/download/indicator-values.csv?area={WMCA}")
    flagged = [r for r in wm if BIRMINGHAM_NOTE in r["note"]]
    assert flagged and {r["year"] for r in flagged} == {"2018"}


def test_indicator_values_geojson_follows_the_same_rule(client):
    data = json.loads(client.get(f"/atlas/download/indicator-values.geojson?area={WOE}").content)
    notes = [f["properties"].get("note") or "" for f in data["features"]]
    assert notes and not [n for n in notes if BIRMINGHAM_NOTE in n]


def test_api_year_note_is_per_value(client):
    data = client.get("/api/v1/indicators/research_income_per_head/values?level=ca&year=2018").json()
    by_code = {v["area_code"]: v for v in data["values"]}
    assert BIRMINGHAM_NOTE not in by_code[WOE]["provenance"]["year_note"]
    assert by_code[WOE]["scored"] is True
    assert BIRMINGHAM_NOTE in by_code[WMCA]["provenance"]["year_note"] and by_code[WMCA]["scored"] is False
    for v in data["values"]:  # the note exactly where the value was built from the defect
        assert (BIRMINGHAM_NOTE in v["provenance"]["year_note"]) == (not v["scored"]), v["area_code"]


def test_map_of_a_defect_year_names_the_places_the_note_is_on(client):
    data = client.get("/atlas/map-data.json?measure=ind:research_income_per_head&level=ca&year=2018").json()
    assert BIRMINGHAM_NOTE not in json.dumps(data["provenance"])
    assert BIRMINGHAM_NOTE in data["values"][WMCA]["note"]
    assert "note" not in data["values"][WOE]
    rows = _csv(client, "/atlas/download/map.csv?measure=ind:research_income_per_head&level=ca&year=2018")
    assert {r["area_code"] for r in rows if BIRMINGHAM_NOTE in r.get("note", "")} == {WMCA}


def test_the_profiles_uk_figure_carries_the_note_it_is_built_from(client):
    page = client.get(f"/atlas/areas/{WOE}/").content.decode()
    start = page.index('data-indicator="research_income_per_head"')
    row = page[start:page.index("</tr>", start)]
    assert ">2018</td>" in row
    assert 'data-uk-note="2018"' in row and BIRMINGHAM_NOTE in row
    assert "(see the UK note)" in row
