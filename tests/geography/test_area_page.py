"""The page of one place: every figure on it names where it comes from."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["E47000001", "E92000001", "TLD33"])
def test_each_figure_of_a_place_says_where_it_comes_from(client, code):
    html = client.get(f"/places/{code}/").content.decode()
    for figure in ("population", "density"):
        cell = re.search(rf'<dd[^>]*id="{figure}"[^>]*>(.*?)</dd>', html, re.S)
        assert cell, figure
        assert 'class="govuk-body-s locus-source"' in cell.group(1), figure
    assert "population above divided by the land area above" in html
