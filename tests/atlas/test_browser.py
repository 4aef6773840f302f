"""The atlas in the browser, server side: the place finder, the infrastructure legend, neighbour
trends, the zoomed inset, the compare picker and the methodology page's links."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from locus.atlas import models as m
from locus.atlas import selectors as sel
from locus.atlas import selectors_places as sel_places

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
    expected = sel_places.places_find(text="york")
    assert len(expected) > 1 and all(f"/atlas/areas/{c}/" in html for c, _n, _l in expected)
    assert all("york" in n.lower() for _c, n, _l in expected)
    same_name = client.get("/atlas/go/", {"area": "manchester"}).content.decode()  # ITL3 area and district
    assert "/atlas/areas/TLD33/" in same_name and "/atlas/areas/E08000003/" in same_name
    assert "/atlas/areas/E47000001/" not in same_name.split('id="find-area"')[0]  # exact names only
    for text in ("", "Atlantis"):
        response = client.get("/atlas/go/", {"area": text})
        body = response.content.decode()
        assert response.status_code == 400 and "govuk-error-summary" in body and 'href="#go-area"' in body
        assert "<title>Error: Find an area" in body


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


def test_trends_show_the_area_its_neighbours_median_and_the_uk_median(client):
    import statistics

    from locus.atlas.profile import profile_get

    profile = profile_get(code="TLD33")
    neighbours = [n.code for n in profile.pathway.neighbours]
    assert len(neighbours) == 5
    checked = 0
    for _stage, _title, group in profile.series_groups:
        for s in group:
            year = s.latest[0]
            values = dict(m.IndicatorValue.objects.filter(indicator_id=s.indicator.id, level="itl3", year=year,
                                                          value__isnull=False).values_list("area_code", "value"))
            peer = [values[c] for c in neighbours if c in values]
            expected_nb = statistics.median(peer) if len(peer) >= 2 else None
            assert s.neighbours_same_year == (pytest.approx(expected_nb) if expected_nb is not None else None)
            if s.level_same_year is not None:
                assert s.level_same_year == pytest.approx(statistics.median(values.values()))
            checked += 1
    assert checked >= 10
    html = client.get("/atlas/areas/TLD33/").content.decode()
    assert html.count('class="trend-neighbours"') >= 5 and html.count('class="trend-level"') >= 10
    assert html.count('class="govuk-table govuk-!-font-size-14 locus-trend-table"') == checked
    assert "Neighbours&#39; median" in html or "Neighbours' median" in html


def test_the_pack_trend_page_draws_the_same_three_lines(client):
    html = client.get("/atlas/areas/E47000001/evidence-pack.html").content.decode()
    trends = html[html.index('id="trend-charts"'):html.index('id="methodology"')]
    assert trends.count('class="trend-area"') >= 5 and 'class="trend-neighbours"' in trends
    assert 'class="trend-level"' in trends
    assert "UK median (Combined Authorities)" in html


def test_a_district_profile_has_its_district_neighbours_median_and_the_uk_median(client):
    import statistics

    from locus.atlas.profile import profile_get

    profile = profile_get(code="E08000003")
    codes = [n.code for n in profile.pathway.neighbours]
    assert len(codes) == 5
    gva = next(s for _st, _t, g in profile.series_groups for s in g if s.indicator.id == "gva_per_hour")
    year, median, n = gva.neighbours[-1]
    values = list(m.IndicatorValue.objects.filter(indicator_id="gva_per_hour", level="lad", year=year,
                                                  area_code__in=codes, value__isnull=False)
                  .values_list("value", flat=True))
    assert n == len(values) >= 2 and median == pytest.approx(statistics.median(values))
    assert gva.level_median
    page = client.get("/atlas/areas/E08000003/").content.decode()
    assert 'data-col="neighbours"' in page


def test_the_pack_has_a_zoomed_inset_of_the_area_among_its_districts(client):
    import xml.etree.ElementTree as ET

    from locus.geography.models import Area

    html = client.get("/atlas/areas/E47000001/evidence-pack.html").content.decode()
    fig = html[html.index('id="inset-map"'):]
    svg = ET.fromstring(fig[fig.index("<svg"):fig.index("</svg>") + 6])
    ns = "{http://www.w3.org/2000/svg}"
    paths = list(svg.iter(ns + "path"))
    assert sum(1 for p in paths if p.get("class") == "highlight") == 1
    members = Area.objects.get(code="E47000001").members.count() if hasattr(Area, "members") else 10
    assert len(paths) - 1 > members  # its districts and those around them
    assert svg.find(ns + "clipPath") is not None  # the zoomed frame clips what reaches beyond it
    assert html.index('id="inset-map"') < html.index("Research base score")  # beside the national maps


def test_the_compare_picker_suggests_every_place_and_accepts_names_picks_and_codes(client):
    page = client.get("/atlas/compare/").content.decode()
    parsed = _parse(page)
    assert "Sheffield (ITL3 area, TLE32)" in parsed.options and 'list="atlas-places"' in page
    response = client.get("/atlas/compare/", {"areas": ["E47000001", "Sheffield (ITL3 area, TLE32)", "cardiff", ""]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "?areas=E47000001%2CTLE32%2CW06000015" in html  # the shareable link holds codes
    assert 'value="Sheffield (ITL3 area, TLE32)"' in html  # the picks stay in their boxes


@pytest.mark.parametrize("typed, words", [("Atlantis", "No place in the atlas matches"),
                                          ("york", "matches"),
                                          ("NOPE1", "NOPE1")])
def test_the_compare_picker_explains_what_to_fix(client, typed, words):
    response = client.get("/atlas/compare/", {"areas": ["E47000001", "E47000002", typed]})
    html = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in html and words in html
    assert f'value="{typed}"' in html  # what was typed comes back to be corrected


def test_mixed_levels_are_each_read_against_their_own_levels_median(client):
    from locus.atlas.compare import compare_get

    cmp = compare_get(codes=["E47000001", "TLE32"])
    assert cmp.mixed and set(cmp.level_medians) == {"ca", "itl3"}
    assert cmp.level_medians["ca"] == sel.stage_medians(level="ca")
    assert cmp.level_medians["itl3"] == sel.stage_medians(level="itl3")
    html = client.get("/atlas/compare/?areas=E47000001,TLE32").content.decode()
    assert 'id="mixed-levels"' in html and "against the median of all Combined Authorities" in html
    assert "Median of ITL3 areas" in html and "Median of Combined Authorities" in html
    assert 'class="series-median2"' in html  # the second level's median is drawn too
    gm = cmp.pathways[0].stages[0]
    assert f"{gm.score - cmp.level_medians['ca'][gm.stage]:+.2f} against its level" in html
    single = compare_get(codes=["E47000001", "E47000002"])
    assert not single.mixed and single.medians == sel.stage_medians(level="ca")


def test_every_link_on_the_methodology_page_resolves(client):
    """Follow every link: site pages answer 200 and their anchors exist; no relative .md link is left."""
    page = client.get("/atlas/methodology/")
    html = page.content.decode()
    parsed = _parse(html)
    body = html[html.index("locus-prose"):]
    assert not re.search(r'href="(?!https?:|/|#|mailto:)[^"]*"', body)  # nothing relative is left
    assert not [h for h in _parse(body).hrefs if re.search(r"\.md(#|$)", h) and not h.startswith("/docs/")]
    cited = [h for h in _parse(body).hrefs if h.startswith("/docs/")]
    assert len(cited) >= 2  # indicators.md, collaboration.md and the ADR are cited
    pages: dict[str, _Links] = {"/atlas/methodology/": parsed}
    for href in parsed.hrefs:
        if href.startswith(("http://", "https://", "mailto:")):
            continue
        path, _, anchor = href.partition("#")
        path = path or "/atlas/methodology/"
        if path not in pages:
            response = client.get(path, follow=True)
            assert response.status_code == 200, href
            pages[path] = _parse(response.content.decode()) if "html" in response["Content-Type"] else _Links()
        if anchor:
            assert anchor in pages[path].ids, href


def test_docs_pages_rewrite_their_links_and_refuse_other_files(client):
    page = client.get("/docs/indicators.md").content.decode()
    assert 'href="/atlas/methodology/"' in page  # indicators.md links back to the methodology
    for bad in ("/docs/../README.md", "/docs/nothing.md", "/docs/adr/../../pyproject.md"):
        assert client.get(bad).status_code == 404
    assert client.get("/docs/methodology/atlas.md")["Location"] == "/atlas/methodology/"
    old = client.get("/atlas/docs/guide/atlas.md")  # the address before every room had documents
    assert old.status_code == 301 and old["Location"] == "/docs/guide/atlas.md"
    assert client.get("/atlas/docs/screenshots/atlas-map.png")["Location"] == "/docs/screenshots/atlas-map.png"


def test_links_outside_the_docs_folder_become_plain_words():
    from locus.web.docs import doc_href

    assert doc_href("../indicators.md#x", doc="methodology/atlas.md") == "/docs/indicators.md#x"
    assert doc_href("atlas.md", doc="methodology/atlas.md") == "/atlas/methodology/"
    assert doc_href("methodology/atlas.md#3-indicators", doc="indicators.md") == "/atlas/methodology/#3-indicators"
    assert doc_href("../../README.md", doc="methodology/atlas.md") is None
    assert doc_href("../../data/atlas/SOURCES.md", doc="methodology/atlas.md") is None
    assert doc_href("https://example.org/a.md", doc="indicators.md") == "https://example.org/a.md"


def test_the_html_pack_draws_each_trend_once_like_the_pdf(client):
    html = client.get("/atlas/areas/E47000001/evidence-pack.html").content.decode()
    assert 'class="locus-series-grid' not in html  # the trend page holds the charts, as in the PDF
    assert html.count('class="trend-area"') == html[html.index('id="trend-charts"'):].count('class="trend-area"')


def test_every_methodology_anchor_the_atlas_links_to_exists(client):
    """Provenance and profile links point at sections of the methodology page: each one exists."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "locus"
    text = "".join(p.read_text(encoding="utf-8") for pattern in ("atlas/*.py", "templates/atlas/*.html")
                   for p in root.glob(pattern))
    anchors = set(re.findall(r"#(\d+-[a-z0-9-]+)", text))
    assert len(anchors) >= 3
    ids = _parse(client.get("/atlas/methodology/").content.decode()).ids
    assert anchors <= ids, anchors - ids


def test_an_unknown_code_in_a_profile_address_is_a_404_with_the_finder(client):
    response = client.get("/atlas/areas/E4700009/")
    html = response.content.decode()
    assert response.status_code == 404 and 'id="not-found"' in html and "E4700009" in html
    assert 'id="go-area"' in html and 'list="atlas-places"' in html and 'role="search"' in html
    lower = client.get("/atlas/areas/york/").content.decode()  # words of a name list the matches
    assert all(f"/atlas/areas/{c}/" in lower for c, _n, _l in sel_places.places_find(text="york"))


def test_screenshots_in_rendered_guides_are_served(client):
    """A guide's relative image (../screenshots/x.png) must not resolve to a 404 beside the page."""
    page = client.get("/docs/guide/atlas.md").content.decode()
    sources = re.findall(r'<img src="([^"]+)"', page)
    assert sources and all(src.startswith("/docs/screenshots/") for src in sources)
    for src in sources:
        image = client.get(src)
        assert image.status_code == 200 and image["Content-Type"] == "image/png"
        assert b"".join(image).startswith(b"\x89PNG")
    for bad in ("/docs/../README.png", "/docs/screenshots/none.png", "/docs/../../pyproject.png"):
        assert client.get(bad).status_code == 404, bad


def test_an_image_outside_docs_becomes_its_words():
    from locus.web.docs import doc_image_src

    assert doc_image_src("../screenshots/atlas-map.png", doc="guide/atlas.md") == "/docs/screenshots/atlas-map.png"
    assert doc_image_src("../../README.md", doc="guide/atlas.md") is None
    assert doc_image_src("https://example.org/x.png", doc="guide/atlas.md") is None
    assert doc_image_src("../screenshots/missing.png", doc="guide/atlas.md") is None
