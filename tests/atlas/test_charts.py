"""Server-rendered SVG charts: properties, not snapshots."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from locus.atlas import charts
from locus.pathways.stages import STAGES

NS = {"svg": "http://www.w3.org/2000/svg"}
score = st.one_of(st.none(), st.floats(min_value=-0.5, max_value=1.5, allow_nan=False))
STAGE_TITLES = [s.title for s in STAGES]


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and root.get("role") == "img" and root.get("aria-label")
    assert root.find("svg:title", NS) is not None
    return root


def _box(root: ET.Element) -> tuple[float, float]:
    _x, _y, w, h = map(float, root.get("viewBox").split())
    return w, h


@settings(max_examples=60, deadline=None)
@given(area=st.lists(score, min_size=6, max_size=6), peers=st.lists(st.lists(score, min_size=6, max_size=6), max_size=6),
       median=st.lists(score, min_size=6, max_size=6))
def test_pathway_chart_draws_every_stage_and_keeps_points_inside_the_box(area, peers, median):
    series = [(f"peer {i}", p, "peer") for i, p in enumerate(peers)] + [("median", median, "median"), ("Area", area, "area")]
    root = _parse(charts.pathway_chart(title="t", stages=STAGE_TITLES, series=series))
    width, height = _box(root)
    labels = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class") == "stage-label")
    for title in STAGE_TITLES:
        for word in title.split():
            assert word in labels
    circles = list(root.iter("{http://www.w3.org/2000/svg}circle"))
    expected = sum(v is not None for _l, vals, _r in series for v in vals)
    assert len(circles) == expected
    ys = [float(c.get("cy")) for c in circles]
    lines = [ln for ln in root.iter("{http://www.w3.org/2000/svg}line") if ln.get("stroke") == charts.LIGHT]
    top, bottom = min(float(ln.get("y1")) for ln in lines), max(float(ln.get("y1")) for ln in lines)
    assert all(top - 1e-6 <= y <= bottom + 1e-6 for y in ys)  # clipped to the 0-1 grid
    assert all(0 <= float(c.get("cx")) <= width for c in circles) and bottom < height


def test_pathway_chart_puts_higher_scores_higher():
    svg = charts.pathway_chart(title="t", stages=STAGE_TITLES, series=[("A", [0, .2, .4, .6, .8, 1.0], "area")])
    ys = [float(c.get("cy")) for c in _parse(svg).iter("{http://www.w3.org/2000/svg}circle")]
    assert ys == sorted(ys, reverse=True)


def test_every_text_names_its_font():
    svgs = [charts.pathway_chart(title="t", stages=STAGE_TITLES, series=[("A", [0.5] * 6, "area")]),
            charts.interval_chart(title="t", rows=[("KE", -0.2, -0.3, -0.1, "weak")]),
            charts.series_chart(title="t", points=[(2010, 1.0), (2012, 2.0)], reference=[(2010, 1.5)]),
            charts.lq_chart(title="t", rows=[("Sector", 1.4)])]
    for svg in svgs:
        for text in _parse(svg).iter("{http://www.w3.org/2000/svg}text"):
            assert "Liberation Sans" in text.get("font-family")


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.floats(-1, 1), st.floats(0, 0.5), st.floats(0, 0.5)), min_size=1, max_size=6))
def test_interval_chart_dot_lies_on_its_interval_and_zero_line_is_inside(rows):
    data = [(f"s{i}", g, g - a, g + b, "weak" if g + b < 0 else "strong" if g - a > 0 else "none")
            for i, (g, a, b) in enumerate(rows)]
    root = _parse(charts.interval_chart(title="t", rows=data))
    width, _h = _box(root)
    intervals = [ln for ln in root.iter("{http://www.w3.org/2000/svg}line") if ln.get("class") == "interval"]
    dots = [c for c in root.iter("{http://www.w3.org/2000/svg}circle") if c.get("class") == "gap"]
    assert len(intervals) == len(dots) == len(data)
    for line, dot, (_l, _g, _lo, _hi, verdict) in zip(intervals, dots, data, strict=True):
        x1, x2, cx = float(line.get("x1")), float(line.get("x2")), float(dot.get("cx"))
        assert x1 - 1e-6 <= cx <= x2 + 1e-6 and 0 <= x1 <= x2 <= width
        assert line.get("stroke") == {"weak": charts.RED, "strong": charts.GREEN}.get(verdict, charts.MID)


def test_series_chart_handles_one_point_and_no_data():
    assert "no data" in charts.series_chart(title="t", points=[])
    root = _parse(charts.series_chart(title="t", points=[(2014, 3.0)]))
    assert len([c for c in root.iter("{http://www.w3.org/2000/svg}circle")]) == 1


def test_map_svg_outlines_the_highlighted_area_last():
    square = {"type": "Polygon", "coordinates": [[[0, 50], [1, 50], [1, 51], [0, 51], [0, 50]]]}
    other = {"type": "Polygon", "coordinates": [[[1, 50], [2, 50], [2, 51], [1, 51], [1, 50]]]}
    svg = charts.map_svg(title="m", shapes=[(square, "#123456", True), (other, "#ffffff", False)])
    paths = re.findall(r"<path [^>]*>", svg)
    assert len(paths) == 2 and 'class="highlight"' in paths[-1] and "#123456" in paths[-1]


def test_trend_chart_draws_each_line_inside_the_box_with_a_legend():
    svg = charts.trend_chart(title="t", series=[("Area", [(2010, 1.0), (2012, 3.0)], "area"),
                                                ("Neighbours' median", [(2010, 2.0), (2011, 2.5)], "neighbours"),
                                                ("UK median", [], "level")])
    root = _parse(svg)
    ns = "{http://www.w3.org/2000/svg}"
    lines = {p.get("class") for p in root.iter(ns + "polyline")}
    assert lines == {"trend-area", "trend-neighbours"}
    labels = [t.text for t in root.iter(ns + "text")]
    assert "Area" in labels and "Neighbours' median" in labels and "UK median" not in labels  # no empty line
    width, height = float(root.get("width")), float(root.get("height"))
    for c in root.iter(ns + "circle"):
        assert 0 <= float(c.get("cx")) <= width and 0 <= float(c.get("cy")) <= height
    assert "no data" in charts.trend_chart(title="t", series=[("Area", [], "area")])


def test_a_single_year_is_drawn_as_labelled_bars_with_no_trend_line():
    """REF 2014 has one year: a trend chart of three lone points said nothing and labelled its axis "2014 ... 2014"."""
    long_name = "Bath and North East Somerset, North Somerset and South Gloucestershire"
    svg = charts.trend_chart(title="t", series=[(long_name, [(2014, 46.0)], "area"),
                                                ("Neighbours' median", [(2014, 25.9)], "neighbours"),
                                                ("UK median (Combined Authorities)", [(2014, -3.5)], "level")])
    root = _parse(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert not list(root.iter(ns + "polyline")) and not list(root.iter(ns + "circle"))
    bars = {r.get("class"): r for r in root.iter(ns + "rect")}
    assert set(bars) == {"trend-area-bar", "trend-neighbours-bar", "trend-level-bar"}
    width, height = float(root.get("width")), float(root.get("height"))
    zero = float(bars["trend-level-bar"].get("x")) + float(bars["trend-level-bar"].get("width"))
    # bars start at zero: the negative one ends there, the positive ones start there and are in proportion
    assert float(bars["trend-area-bar"].get("x")) == pytest.approx(zero, abs=0.1)
    assert float(bars["trend-area-bar"].get("width")) / float(bars["trend-neighbours-bar"].get("width")) == \
        pytest.approx(46.0 / 25.9, rel=0.02)
    for r in bars.values():
        assert 0 <= float(r.get("x")) and float(r.get("x")) + float(r.get("width")) <= width
        assert 0 <= float(r.get("y")) and float(r.get("y")) + float(r.get("height")) <= height
    texts = [t.text for t in root.iter(ns + "text")]
    assert " ".join(t for t in texts if t and t[0].isalpha() and "only" not in t).startswith(long_name)  # wrapped, whole
    assert "2014 only: one year published, so no trend" in texts
    assert {charts._tick(46.0), charts._tick(25.9), charts._tick(-3.5)} <= set(texts)
    for t in root.iter(ns + "text"):
        assert 0 <= float(t.get("y")) <= height
