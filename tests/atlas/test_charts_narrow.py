"""The phone drawings of the wide charts: the same numbers, drawn 290 units wide (the width a chart
has on a 320 px screen) with no text under 12 units (at least 12 px on a phone), every label present
and no point outside the drawing."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from locus.atlas import charts, charts_narrow
from locus.pathways.stages import STAGES

SVG = "{http://www.w3.org/2000/svg}"
STAGE_TITLES = [s.title for s in STAGES]
score = st.one_of(st.none(), st.floats(min_value=-0.5, max_value=1.5, allow_nan=False))


def _readable(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    _x, _y, width, _h = map(float, root.get("viewBox").split())
    assert width == charts_narrow.WIDTH and root.get("role") == "img" and root.get("aria-label")
    sizes = [float(t.get("font-size")) for t in root.iter(SVG + "text")]
    assert sizes and min(sizes) >= charts_narrow.MIN_FONT
    return root


def _inside(root: ET.Element) -> None:
    _x, _y, width, height = map(float, root.get("viewBox").split())
    for c in root.iter(SVG + "circle"):
        assert 0 <= float(c.get("cx")) <= width and 0 <= float(c.get("cy")) <= height


@settings(max_examples=40, deadline=None)
@given(area=st.lists(score, min_size=6, max_size=6), peers=st.lists(st.lists(score, min_size=6, max_size=6), max_size=5),
       median=st.lists(score, min_size=6, max_size=6))
def test_pathway_on_a_phone_has_every_point_and_every_stage_label_in_full(area, peers, median):
    series = [(f"peer {i}", p, "peer") for i, p in enumerate(peers)] + [("median", median, "median"), ("Area", area, "area")]
    root = _readable(charts_narrow.pathway_chart_narrow(title="t", stages=STAGE_TITLES, series=series))
    labels = [t.text for t in root.iter(SVG + "text") if t.get("class") == "stage-label"]
    assert labels == STAGE_TITLES  # one line each, not broken into fragments
    assert len(list(root.iter(SVG + "circle"))) == sum(v is not None for _l, vals, _r in series for v in vals)
    _inside(root)


def test_pathway_on_a_phone_puts_higher_scores_further_right_and_rows_in_stage_order():
    root = _readable(charts_narrow.pathway_chart_narrow(title="t", stages=STAGE_TITLES,
                                                        series=[("A", [0, .2, .4, .6, .8, 1.0], "area")]))
    dots = [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(SVG + "circle")]
    assert [x for x, _y in dots] == sorted(x for x, _y in dots)
    assert [y for _x, y in dots] == sorted(y for _x, y in dots)
    label_ys = [float(t.get("y")) for t in root.iter(SVG + "text") if t.get("class") == "stage-label"]
    assert all(a + charts_narrow.LABEL < b for a, b in zip(label_ys, label_ys[1:], strict=False))  # no overlap


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(st.floats(-1, 1), st.floats(0, 0.5), st.floats(0, 0.5)), min_size=1, max_size=6))
def test_intervals_on_a_phone_keep_each_dot_on_its_interval(rows):
    data = [(STAGE_TITLES[i % 6], g, g - a, g + b, "none") for i, (g, a, b) in enumerate(rows)]
    root = _readable(charts_narrow.interval_chart_narrow(title="t", rows=data))
    lines = [ln for ln in root.iter(SVG + "line") if ln.get("class") == "interval"]
    dots = [c for c in root.iter(SVG + "circle") if c.get("class") == "gap"]
    assert len(lines) == len(dots) == len(data)
    for line, dot in zip(lines, dots, strict=True):
        assert float(line.get("x1")) - 1e-6 <= float(dot.get("cx")) <= float(line.get("x2")) + 1e-6
    _inside(root)


def test_location_quotients_on_a_phone_name_every_sector_and_keep_bars_inside():
    rows = [("Knowledge-intensive business services", 1.8), ("Manufacturing of machinery and tools", 0.6),
            ("Sector", None)]
    root = _readable(charts_narrow.lq_chart_narrow(title="t", rows=rows))
    names = [t.text for t in root.iter(SVG + "text") if t.get("class") == "sector-label"]
    assert names == [r[0] for r in rows]
    for rect in root.iter(SVG + "rect"):
        assert float(rect.get("x")) + float(rect.get("width")) <= charts_narrow.WIDTH


def test_responsive_marks_the_two_drawings_for_the_stylesheet():
    wide = charts.pathway_chart(title="t", stages=STAGE_TITLES, series=[("A", [0.5] * 6, "area")])
    narrow = charts_narrow.pathway_chart_narrow(title="t", stages=STAGE_TITLES, series=[("A", [0.5] * 6, "area")])
    both = charts_narrow.responsive(wide, narrow)
    assert both.count("<svg") == 2
    assert 'class="locus-chart locus-chart--wide"' in both and 'class="locus-chart locus-chart--narrow"' in both


def test_trend_chart_ticks_are_readable_and_a_long_tick_fits_the_margin():
    root = ET.fromstring(charts.trend_chart(title="t", series=[("Area", [(2010, 2_856_110.0), (2020, 2_900_000.0)],
                                                                        "area")]))
    ticks = [t for t in root.iter(SVG + "text") if t.get("text-anchor") == "end" and t.get("fill") == charts.MID]
    assert all(float(t.get("font-size")) >= 12 for t in root.iter(SVG + "text"))
    # the widest tick ("2,900,000": 9 characters at about 7 units each) ends at the margin and starts inside
    assert all(float(t.get("x")) - 7 * len(t.text) >= 0 for t in ticks)


def test_trend_charts_are_drawn_no_wider_than_the_narrowest_grid_column():
    """On a wide screen the trend charts sit three to a row in columns of at least 300 px (atlas.css);
    drawn 340 units wide they were shrunk to about 303 px, so their 12-unit ticks read at 10.7 px."""
    css = (Path(charts.__file__).resolve().parents[1] / "static" / "locus" / "atlas.css").read_text()
    column = int(re.search(r"\.locus-series-grid \{[^}]*minmax\((\d+)px", css).group(1))
    root = ET.fromstring(charts.trend_chart(title="t", series=[("Area", [(2010, 1.0), (2020, 2.0)], "area")]))
    assert float(root.get("width")) <= column
    assert all(float(t.get("font-size")) >= 12 for t in root.iter(SVG + "text"))


def test_a_long_legend_label_wraps_inside_the_trend_chart():
    name = "East Dunbartonshire, West Dunbartonshire, and Helensburgh and Lomond"
    root = ET.fromstring(charts.trend_chart(title="t", series=[
        (name, [(2010, 1.0), (2020, 2.0)], "area"), ("Neighbours' median", [(2010, 1.5)], "neighbours"),
        ("UK median (local authority districts)", [(2010, 1.2)], "level")]))
    width = float(root.get("width"))
    legend = [t for t in root.iter(SVG + "text") if t.get("class") == "legend"]
    assert " ".join(t.text for t in legend).startswith(name)  # every word kept, over several lines
    for t in legend:  # about 7 units a character at 12 units
        assert float(t.get("x")) + 7 * len(t.text) <= width, t.text
    boxes = [(float(t.get("x")), float(t.get("y")) - 12, float(t.get("x")) + 7 * len(t.text), float(t.get("y")) + 3)
             for t in legend]
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]  # no label over another


def _drawings(html: str) -> dict[str, list[str]]:
    """The aria-label of each chart drawn wide and each drawn for a phone."""
    svgs = re.findall(r"<svg [^>]*>", html)
    return {kind: [re.search(r'aria-label="([^"]*)"', svg).group(1) for svg in svgs
                   if f'class="locus-chart locus-chart--{kind}' in svg] for kind in ("wide", "narrow")}


def test_the_evidence_pack_page_has_the_phone_drawings_and_switches_at_the_tablet_breakpoint(client):
    html = client.get("/atlas/areas/TLD33/evidence-pack.html").content.decode()
    drawn = _drawings(html)
    assert any(label.startswith("Pathway stage scores") for label in drawn["narrow"])
    assert any(label.startswith("Weak links") for label in drawn["narrow"])
    assert any(label.startswith("Employment location quotients") for label in drawn["narrow"])
    assert sorted(drawn["wide"]) == sorted(drawn["narrow"])  # each wide chart has its phone drawing
    style = html[html.index("<style>"):html.index("</style>")]
    assert ".locus-chart--narrow { display: none; }" in style
    assert "@media screen and (max-width: 40.0525em)" in style  # as atlas.css, so a printed page is wide


def test_the_evidence_pack_pdf_keeps_only_the_wide_charts(client, monkeypatch, settings, tmp_path):
    import weasyprint

    settings.LOCUS_DATA_DIR = tmp_path  # an empty PDF cache: an earlier test's PDF of TLD33 would be served

    seen = []

    class Html:
        def __init__(self, *, string, base_url):
            seen.append(string)

        def write_pdf(self):
            return b"%PDF-"

    monkeypatch.setattr(weasyprint, "HTML", Html)
    assert client.get("/atlas/areas/TLD33/evidence-pack.pdf").status_code == 200
    assert 'class="locus-chart locus-chart--narrow' not in seen[0] and 'aria-label="Pathway stage scores' in seen[0]


def test_a_long_sector_name_wraps_in_full_inside_the_phone_drawing():
    """Drawn 290 units wide for a 320 px screen, a sector name of 48 characters no longer fits one line:
    it wraps (every word kept), its bar moves down under it and nothing leaves the drawing."""
    long = "Knowledge-intensive business services (services)"
    root = _readable(charts_narrow.lq_chart_narrow(title="t", rows=[(long, 1.8), ("Textiles (services)", 0.6)]))
    lines = [t for t in root.iter(SVG + "text") if t.get("class") == "sector-label"]
    assert " ".join(t.text for t in lines) == long + " Textiles (services)" and len(lines) == 3
    for t in lines:  # about 6.5 units a character at 12 units
        assert float(t.get("x")) + 6.5 * len(t.text) <= charts_narrow.WIDTH, t.text
    bars = [r for r in root.iter(SVG + "rect") if r.get("class") == "bar"]
    assert float(bars[0].get("y")) > float(lines[1].get("y")) and float(bars[1].get("y")) > float(lines[2].get("y"))
    assert all(float(b.get("y")) + float(b.get("height")) <= float(root.get("height")) - 26 for b in bars)
