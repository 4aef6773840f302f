"""A note on a source's declared defect (Birmingham's 2018 HESA rows) shows on the profiles of the areas
whose values were built from it, not on every area's 2018 values (QA: the West of England profile
repeated it about 15 times)."""

from __future__ import annotations

import pytest
from django.test import Client

BIRMINGHAM_NOTE = "Birmingham (NUTS3 UKG31)"


@pytest.fixture
def client():
    return Client()


def test_the_defect_note_is_left_off_an_area_it_does_not_concern(client):
    import re

    page = client.get("/atlas/areas/E47000009/").content.decode()  # West of England
    assert "research income per head" in page.lower()  # its HESA series are there, with 2018 values
    # only on the UK figure beside it, which is built from the broken rows (QA H25 F5), never as its own note
    without_uk = re.sub(r'<p [^>]*data-uk-note="2018">.*?</p>', "", page, flags=re.S)
    assert BIRMINGHAM_NOTE not in without_uk


def test_the_defect_note_stays_on_the_areas_built_from_the_broken_rows(client):
    for code in ("TLG31", "E47000007"):  # Birmingham, West Midlands Combined Authority
        page = client.get(f"/atlas/areas/{code}/").content.decode()
        assert page.count(BIRMINGHAM_NOTE) >= 2, code  # on each HESA-based series' 2018 value


def test_a_partial_years_note_still_shows_on_every_area(client):
    page = client.get("/atlas/areas/E47000009/").content.decode()
    assert 'data-year-note="2020"' in page  # Innovate UK's and Horizon 2020's part year


def test_the_catalogue_drops_only_the_defect_text():
    from locus.pipeline.catalogue import indicator_get

    ind = indicator_get(indicator_id="research_income_per_head")
    assert BIRMINGHAM_NOTE in ind.year_note(2018)
    assert BIRMINGHAM_NOTE in ind.area_year_note(2018, source_defect=True)
    assert ind.area_year_note(2018, source_defect=False) == ""
    partial = indicator_get(indicator_id="innovate_uk_per_head")
    assert partial.area_year_note(2020, source_defect=False) == partial.year_note(2020) != ""


def _latest_row(page: str, indicator_id: str) -> str:
    start = page.index(f'data-indicator="{indicator_id}"')
    return page[start:page.index("</tr>", start)]


def test_the_latest_values_row_shows_the_last_full_year_not_a_part_year(client):
    """Horizon 2020's 2020 covers part of the year: the headline row shows 2019 (the year the scores use)
    beside full-year comparators; 2020 stays in the series table with its note."""
    page = client.get("/atlas/areas/E47000009/").content.decode()
    row = _latest_row(page, "h2020_funding_per_head")
    assert ">2019</td>" in row and ">2020</td>" not in row
    assert 'data-year-note="2020"' in page  # the part year is still shown, with its note


def test_latest_skips_unscored_years_unless_every_year_is_unscored():
    from locus.atlas.profile import IndicatorSeries

    s = IndicatorSeries(None, [(2017, 1.0, "exact"), (2018, 0.1, "exact")], [], {}, unscored=frozenset({2018}))
    assert s.latest == (2017, 1.0, "exact")
    assert IndicatorSeries(None, [(2018, 0.1, "exact")], [], {}, unscored=frozenset({2018})).latest[0] == 2018
