"""The atlas in the browser, server side: the place finder, the infrastructure legend, neighbour
trends, the zoomed inset, the compare picker and the methodology page's links."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from locus.atlas import models as m
from locus.atlas import selectors as sel

pytestmark = pytest.mark.django_db


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.options: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "option" and a.get("value") is not None:
            self.options.append(a["value"])


def _parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def test_the_map_page_offers_find_your_area_with_every_place_and_the_cas_as_links(client):
    page = _parse(client.get("/atlas/").content.decode())
    n_places = m.AtlasArea.objects.filter(level__in=("ca", "itl3", "lad")).count()
    suggestions = [o for o in page.options if o.endswith(")") and "(" in o]
    assert len(suggestions) == n_places
    assert "Greater Manchester (Combined Authority, E47000001)" in suggestions
    cas = m.AtlasArea.objects.filter(level="ca")
    assert all(f"/atlas/areas/{ca.code}/" in page.hrefs for ca in cas)
    assert "find-area" in page.ids


@pytest.mark.parametrize("typed,code", [
    ("Greater Manchester (Combined Authority, E47000001)", "E47000001"),  # a suggestion as picked
    ("greater manchester", "E47000001"),  # an exact name, any case
    ("  e08000003 ", "E08000003"),  # a code
])
def test_the_place_finder_opens_the_one_area_meant(client, typed, code):
    response = client.get("/atlas/go/", {"area": typed})
    assert response.status_code == 302 and response["Location"] == f"/atlas/areas/{code}/"


def test_the_place_finder_lists_several_matches_and_explains_none(client):
    several = client.get("/atlas/go/", {"area": "york"})
    html = several.content.decode()
    assert several.status_code == 200
    expected = sel.places_find(text="york")
    assert len(expected) > 1 and all(f"/atlas/areas/{c}/" in html for c, _n, _l in expected)
    assert all("york" in n.lower() for _c, n, _l in expected)
    same_name = client.get("/atlas/go/", {"area": "manchester"}).content.decode()  # ITL3 area and district
    assert "/atlas/areas/TLD33/" in same_name and "/atlas/areas/E08000003/" in same_name
    assert "/atlas/areas/E47000001/" not in same_name.split('id="find-area"')[0]  # exact names only
    for text in ("", "Atlantis"):
        response = client.get("/atlas/go/", {"area": text})
        body = response.content.decode()
        assert response.status_code == 400 and "govuk-error-summary" in body and 'href="#go-area"' in body


def test_the_infrastructure_legend_counts_every_site_by_kind_without_javascript(client):
    html = client.get("/atlas/").content.decode()
    table = html[html.index('id="sites-legend-table"'):html.index("</table>", html.index('id="sites-legend-table"'))]
    rows = re.findall(r'data-kind="(\w+)".*?numeric">([\d,]+)</td>\s*<td[^>]*numeric">([\d,]+)</td>', table, re.S)
    counts = {k: int(n.replace(",", "")) for k, n, _l in rows}
    located = {k: int(n.replace(",", "")) for k, _n, n in rows}
    for kind in counts:
        qs = m.InfrastructureSite.objects.filter(kind=kind)
        assert counts[kind] == qs.count() and located[kind] == qs.exclude(lat=None).count()
    assert set(counts) == set(m.InfrastructureSite.objects.values_list("kind", flat=True))
    assert "learning-provider" in table.lower() or "HE providers" in table
    from locus.atlas.text import SITE_COLOURS

    for kind in counts:
        assert SITE_COLOURS[kind] in table  # the legend's swatch is the map's colour
