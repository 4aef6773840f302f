"""Networks by place, read by a place analyst: no empty table without a reason, plain labels."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_combined_authorities_for_the_welsh_network_say_why_there_are_none(client):
    page = client.get("/collaboration/network/", {"level": "ca"}).content.decode()
    assert 'id="places"' not in page  # no table of nothing
    reason = re.search(r'id="no-places">(.*?)</p>', page, re.S).group(1)
    assert "Combined Authorities cover parts of England only" in reason


def test_the_most_central_organisations_show_types_in_words(client):
    page = client.get("/collaboration/network/").content.decode()
    table = page[page.index('id="central"'):]
    cells = re.findall(r'<td class="govuk-table__cell">([^<]*)</td>', table)
    assert "University or college" in cells
    assert not {"university", "unknown", "public", "business"} & set(cells)
