"""Server-rendered SVG charts shared by the pages and the PDF evidence pack (Django-free).

Every text element names its font explicitly (WeasyPrint and browsers then agree), every chart
has a <title> and an accessible name, and every page that shows one also shows a table with the
same numbers. Scores are on [0, 1]; points are always drawn inside the plot box.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
BLUE, DARK, GREY, MID, RED, GREEN, LIGHT = ("#1d70b8", "#0b0c0c", "#6f777b", "#505a5f", "#d4351c",
                                            "#00703c", "#dddddd")
SEQUENTIAL = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
DIVERGING = ("#d4351c", "#f4a582", "#92c5de", "#00703c")
NO_DATA = "#ffffff"


def text(x: float, y: float, label: str, *, size: int = 12, anchor: str = "start", weight: str = "normal",
         fill: str = DARK, cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" font-weight="{weight}" '
            f'fill="{fill}" text-anchor="{anchor}"{klass}>{escape(label)}</text>')


def svg(width: int, height: int, title: str, body: str, css_class: str = "locus-chart") -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img" aria-label="{escape(title)}" class="{css_class}" '
            f'font-family="{FONT}"><title>{escape(title)}</title>{body}</svg>')


def _dash(pattern: str) -> str:
    return f' stroke-dasharray="{pattern}"' if pattern else ""


def _clip(value: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return min(max(value, lo), hi)


def _finite(v) -> bool:
    return v is not None and isinstance(v, (int, float)) and math.isfinite(v)


def _wrap(label: str, width: int = 16) -> list[str]:
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def _legend(items: Sequence[tuple[str, str, float, str]], width: int, left: int) -> tuple[list[str], int]:
    """Legend entries (label, colour, stroke, dash) laid out in rows; returns (svg parts, height). A
    label too long for one row (at about 7 units a character) wraps onto rows of its own."""
    parts, x, row, room = [], left, 0, max(8, (width - left - 27) // 7)
    for label, colour, stroke, dash in items:
        lines = _wrap(label, room) or [label]
        item_w = 40 + 7 * max(len(line) for line in lines)
        if x > left and (x + item_w > width or len(lines) > 1):
            x, row = left, row + 1
        yy = 14 + 18 * row
        parts.append(f'<line x1="{x}" y1="{yy}" x2="{x + 22}" y2="{yy}" stroke="{colour}" '
                     f'stroke-width="{stroke}"{_dash(dash)}/>')
        parts += [text(x + 27, yy + 4 + 18 * k, line, size=12, cls="legend") for k, line in enumerate(lines)]
        x += item_w
        if len(lines) > 1:  # the next entry starts on the row after the wrapped label
            x, row = width, row + len(lines) - 1
    return parts, 18 * (row + 1) + 10


PATHWAY_STYLES = {"area": (BLUE, 3, "", 4.5), "peer": (GREY, 1.2, "", 2.5), "median": (DARK, 2, "6 4", 3),
                  "median2": (MID, 2, "2 3", 3)}


def pathway_styles(role: str) -> tuple[str, float, str, float]:
    """(colour, stroke width, dash, point radius) of a pathway chart series role."""
    return PATHWAY_STYLES.get(role, (role.split(":", 1)[-1], 2.5, "", 3.5))


def pathway_chart(*, title: str, stages: Sequence[str], series: Sequence[tuple[str, Sequence[float | None], str]],
                  width: int = 760, height: int = 360) -> str:
    """Stage scores (0-1) along the pathway. ``series``: (label, one value per stage, role) with role
    'area' (bold blue), 'peer' (thin grey), 'median' (black dashed), 'median2' (grey dotted: a second
    level's median) or 'other:<colour>'."""
    style = pathway_styles
    shown = [s for s in series if s[2] != "peer"] + [s for s in series if s[2] == "peer"][:1]
    legend, legend_h = _legend([("Statistical neighbours" if r == "peer" else lab, *style(r)[:3])
                                for lab, _v, r in shown], width, 44)
    left, right, top, bottom = 44, 16, legend_h + 8, 64
    height += legend_h - 28
    pw, ph = width - left - right, height - top - bottom
    inset = min(60.0, pw / (2 * max(len(stages), 1)))  # room for the first and last stage labels
    step = (pw - 2 * inset) / max(len(stages) - 1, 1)
    xs = [left + inset + i * step for i in range(len(stages))]

    def y(v: float) -> float:
        return top + ph * (1 - _clip(v))

    body = list(legend)
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        body.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{left + pw}" y2="{y(tick):.1f}" stroke="{LIGHT}"/>')
        body.append(text(left - 6, y(tick) + 4, f"{tick:.2f}", size=11, anchor="end", fill=MID))
    for x, label in zip(xs, stages, strict=True):
        for k, part in enumerate(_wrap(label)):
            body.append(text(x, top + ph + 18 + 13 * k, part, size=11, anchor="middle", cls="stage-label"))
    order = sorted(series, key=lambda s: {"peer": 0, "median": 1, "median2": 1, "area": 2}.get(s[2].split(":")[0], 1))
    for label, values, role in order:
        colour, stroke, dash, r = style(role)
        kind = role.split(":")[0]
        for seg in _segments(list(zip(xs, values, strict=True)), y):
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in seg)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{stroke}"'
                        f'{_dash(dash)} class="series-{kind}"><title>{escape(label)}</title></polyline>')
        for x, v in zip(xs, values, strict=True):
            if _finite(v):
                body.append(f'<circle cx="{x:.1f}" cy="{y(v):.1f}" r="{r}" fill="{colour}" class="point-{kind}">'
                            f'<title>{escape(label)}: {v:.2f}</title></circle>')
    return svg(width, height, title, "".join(body))


def _segments(points, y) -> list[list[tuple[float, float]]]:
    segs, cur = [], []
    for x, v in points:
        if _finite(v):
            cur.append((x, y(v)))
        elif cur:
            segs.append(cur)
            cur = []
    if cur:
        segs.append(cur)
    return [s for s in segs if len(s) > 1]


def interval_span(rows: Sequence[tuple[str, float, float, float, str]]) -> float:
    """Half the width of an interval chart's axis: the largest gap or interval end, at least 0.25,
    rounded up to a tenth (the wide and the phone drawings share it)."""
    span = max([0.25] + [abs(v) for _l, g, lo, hi, _v in rows for v in (g, lo, hi) if _finite(v)])
    return math.ceil(span * 10) / 10


def interval_chart(*, title: str, rows: Sequence[tuple[str, float, float, float, str]], width: int = 680) -> str:
    """Gaps with their 95% intervals, one row per stage: (label, gap, lo, hi, verdict) where verdict is
    'weak', 'strong' or 'none'. Zero means 'as expected'."""
    label_w, right, top, row_h = 230, 20, 30, 30
    height = top + row_h * len(rows) + 30
    span = interval_span(rows)
    pw = width - label_w - right

    def x(v: float) -> float:
        return label_w + pw * (_clip(v, -span, span) + span) / (2 * span)

    body = [f'<line x1="{x(0):.1f}" y1="{top - 8}" x2="{x(0):.1f}" y2="{height - 24}" stroke="{DARK}" stroke-width="1.5"/>',
            text(x(0), top - 12, "as expected", size=11, anchor="middle", fill=MID),
            text(label_w, height - 6, f"{-span:+.1f} below", size=11, fill=MID),
            text(width - right, height - 6, f"{span:+.1f} above", size=11, anchor="end", fill=MID)]
    colours = {"weak": RED, "strong": GREEN}
    for i, (label, gap, lo, hi, verdict) in enumerate(rows):
        cy = top + i * row_h + row_h / 2
        body.append(text(label_w - 10, cy + 4, label, anchor="end", cls="stage-label"))
        if not (_finite(gap) and _finite(lo) and _finite(hi)):
            body.append(text(x(0) + 6, cy + 4, "not assessed", size=11, fill=MID))
            continue
        colour = colours.get(verdict, MID)
        body.append(f'<line x1="{x(lo):.1f}" y1="{cy:.1f}" x2="{x(hi):.1f}" y2="{cy:.1f}" stroke="{colour}" '
                    f'stroke-width="4" class="interval"/>')
        body.append(f'<circle cx="{x(gap):.1f}" cy="{cy:.1f}" r="6" fill="{colour}" stroke="#ffffff" '
                    f'stroke-width="1.5" class="gap"/>')
    return svg(width, height, title, "".join(body))


def series_chart(*, title: str, points: Sequence[tuple[int, float]], reference: Sequence[tuple[int, float]] = (),
                 width: int = 300, height: int = 120, reference_label: str = "UK") -> str:
    """A small time series: the area (blue) and a reference such as the UK (black dashed)."""
    left, right, top, bottom = 8, 8, 10, 24
    all_pts = [p for p in list(points) + list(reference) if _finite(p[1])]
    if not all_pts:
        return svg(width, height, title, text(width / 2, height / 2, "no data", anchor="middle", fill=MID))
    years = [p[0] for p in all_pts]
    y0, y1 = min(years), max(years)
    v0, v1 = min(min(p[1] for p in all_pts), 0.0), max(p[1] for p in all_pts)
    v1 = v1 if v1 > v0 else v0 + 1.0
    pw, ph = width - left - right, height - top - bottom

    def pos(year: int, v: float) -> tuple[float, float]:
        fx = 0.5 if y1 == y0 else (year - y0) / (y1 - y0)
        return left + pw * fx, top + ph * (1 - (v - v0) / (v1 - v0))

    body = [f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="{LIGHT}"/>',
            text(left, height - 6, str(y0), size=10, fill=MID), text(left + pw, height - 6, str(y1), size=10,
                                                                      anchor="end", fill=MID)]
    for pts, colour, dash, cls in ((reference, DARK, "4 3", "reference"), (points, BLUE, "", "area")):
        xy = [pos(yr, v) for yr, v in pts if _finite(v)]
        if len(xy) > 1:
            body.append(f'<polyline points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in xy)}" fill="none" '
                        f'stroke="{colour}" stroke-width="2"{_dash(dash)} class="{cls}"/>')
        for a, b in xy:
            body.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="2.5" fill="{colour}" class="{cls}-point"/>')
    if reference:
        body.append(text(width / 2, height - 6, f"dashed: {reference_label}", size=10, anchor="middle", fill=DARK))
    return svg(width, height, title, "".join(body), "locus-chart locus-spark")


TICK = 12  # trend charts are drawn at most full size (below): 12 units are at least 12 px
# Trend charts sit in a grid whose columns are at least this wide (.locus-series-grid in atlas.css):
# three to a row on a 1280 px screen (about 303 px each), one on a phone (300 px drawn at full size).
TREND_WIDTH = 300

TREND_STYLES = {"area": (BLUE, 2.5, "", 3.0), "neighbours": ("#f47738", 2.0, "5 3", 2.5),
                "level": (DARK, 1.5, "2 3", 2.0)}


def trend_chart(*, title: str, series: Sequence[tuple[str, Sequence[tuple[int, float]], str]],
                width: int = TREND_WIDTH, height: int = 150) -> str:
    """An indicator over time for several lines: (label, [(year, value)], role) with role 'area'
    (solid blue), 'neighbours' (dashed orange) or 'level' (dotted black), with a legend on top."""
    pts_all = [p for _l, pts, _r in series for p in pts if _finite(p[1])]
    if not pts_all:
        return svg(width, height, title, text(width / 2, height / 2, "no data", anchor="middle", fill=MID))
    y0, y1 = min(p[0] for p in pts_all), max(p[0] for p in pts_all)
    if y0 == y1:  # one year (REF 2014): no line to draw, so the values side by side
        return _one_year_bars(title=title, year=y0, series=series, width=width)
    legend, legend_h = _legend([(lab, *TREND_STYLES[role][:3]) for lab, pts, role in series if pts],
                               width, 8)
    v0, v1 = min(min(p[1] for p in pts_all), 0.0), max(p[1] for p in pts_all)
    v1 = v1 if v1 > v0 else v0 + 1.0
    widest = max(len(_tick(t)) for t in (v0, (v0 + v1) / 2, v1))
    left, right, top, bottom = max(40, 7 * widest + 10), 10, legend_h + 4, 24  # 12-unit ticks fit
    height += legend_h
    pw, ph = width - left - right, height - top - bottom

    def pos(year: int, v: float) -> tuple[float, float]:
        fx = 0.5 if y1 == y0 else (year - y0) / (y1 - y0)
        return left + pw * fx, top + ph * (1 - (v - v0) / (v1 - v0))

    body = list(legend)
    for tick in (v0, (v0 + v1) / 2, v1):
        ty = pos(y0, tick)[1]
        body.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{left + pw}" y2="{ty:.1f}" stroke="{LIGHT}"/>')
        body.append(text(left - 4, ty + 4, _tick(tick), size=TICK, anchor="end", fill=MID))
    body += [text(left, height - 6, str(y0), size=TICK, fill=MID),
             text(left + pw, height - 6, str(y1), size=TICK, anchor="end", fill=MID)]
    for label, pts, role in sorted(series, key=lambda s: s[2] == "area"):
        colour, stroke, dash, r = TREND_STYLES[role]
        xy = [pos(yr, v) for yr, v in pts if _finite(v)]
        if len(xy) > 1:
            body.append(f'<polyline points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in xy)}" fill="none" '
                        f'stroke="{colour}" stroke-width="{stroke}"{_dash(dash)} class="trend-{role}">'
                        f'<title>{escape(label)}</title></polyline>')
        known = [p for p in pts if _finite(p[1])]
        if xy:  # a marker on the latest point (the only one if there is one): lines carry the rest
            (a, b), (yr, v) = xy[-1], known[-1]
            body.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="{r}" fill="{colour}" class="trend-{role}-point">'
                        f'<title>{escape(label)}, {yr}: {_tick(v)}</title></circle>')
    return svg(width, height, title, "".join(body), "locus-chart locus-trend")


def _one_year_bars(*, title: str, year: int, series: Sequence[tuple[str, Sequence[tuple[int, float]], str]],
                   width: int) -> str:
    """A series with a single year drawn as one labelled bar per line (the area, its neighbours' median, the
    level's median) and a footnote that there is no trend: a trend chart of one point each reads as nothing."""
    rows = [(label, v, role) for label, pts, role in series for yr, v in pts[-1:] if yr == year and _finite(v)]
    lo, hi = min(0.0, *(v for _l, v, _r in rows)), max(0.0, *(v for _l, v, _r in rows))
    hi = hi if hi > lo else lo + 1.0
    left, right, row_h, bar_h = 8, 8, 38, 14
    widest = max(len(_tick(v)) for _l, v, _r in rows)
    plot = width - left - right - 7 * widest - 8  # room for the value after the longest bar

    def x(v: float) -> float:
        return left + plot * (v - lo) / (hi - lo)

    body, top = [], 6
    for label, v, role in rows:
        colour = TREND_STYLES[role][0]
        for line in _wrap(label, 40):  # 40 characters of 12-unit text fit the 300-unit chart
            body.append(text(left, top + 12, line, size=TICK, fill=DARK))
            top += 15
        a, b = sorted((x(0.0), x(v)))
        body.append(f'<rect x="{a:.1f}" y="{top + 2}" width="{max(b - a, 1.0):.1f}" height="{bar_h}" '
                    f'fill="{colour}" class="trend-{role}-bar"><title>{escape(label)}, {year}: {_tick(v)}</title></rect>')
        body.append(text(max(a, b) + 4, top + 13, _tick(v), size=TICK, fill=DARK))
        top += row_h - 15
    height = top + 22
    body.append(text(left, height - 6, f"{year} only: one year published, so no trend", size=TICK, fill=MID))
    return svg(width, height, title, "".join(body), "locus-chart locus-trend locus-one-year")


def _tick(v: float) -> str:
    a = abs(v)
    return f"{v:,.0f}" if a >= 100 else f"{v:.1f}" if a >= 10 else f"{v:.2f}"


def lq_chart(*, title: str, rows: Sequence[tuple[str, float]], width: int = 680) -> str:
    """Location quotients as horizontal bars with the Great Britain average (LQ = 1) marked."""
    label_w, right, top, bar_h, gap = 300, 60, 10, 18, 8
    height = top + len(rows) * (bar_h + gap) + 26
    top_value = max([2.0] + [v for _l, v in rows if _finite(v)])
    pw = width - label_w - right
    body = []
    for i, (label, value) in enumerate(rows):
        yy = top + i * (bar_h + gap)
        short = label if len(label) <= 44 else label[:42] + "…"
        body.append(text(label_w - 8, yy + 13, short, size=11, anchor="end"))
        w = pw * (value if _finite(value) else 0) / top_value
        body.append(f'<rect x="{label_w}" y="{yy}" width="{max(w, 0):.1f}" height="{bar_h}" '
                    f'fill="{BLUE if _finite(value) and value >= 1.25 else "#6baed6"}" class="bar"/>')
        body.append(text(label_w + w + 5, yy + 13, f"{value:.2f}" if _finite(value) else "n/a", size=11))
    x1 = label_w + pw / top_value
    body.append(f'<line x1="{x1:.1f}" y1="{top - 4}" x2="{x1:.1f}" y2="{height - 20}" stroke="{DARK}" '
                f'stroke-dasharray="4 3"/>')
    body.append(text(x1, height - 6, "Great Britain average (1.0)", size=11, anchor="middle"))
    return svg(width, height, title, "".join(body))


def _rings(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def map_svg(*, title: str, shapes: Sequence[tuple[dict, str, bool]], width: int = 480, height: int = 560,
            frame: dict | None = None, max_points: int = 120, edge: str = "#ffffff",
            clip_id: str = "locus-map-clip") -> str:
    """A static choropleth: (GeoJSON geometry, fill colour, highlighted) per area. The frame is the
    union of all shapes unless ``frame`` (a geometry) is given; longitude is scaled by cos(latitude)."""
    geoms = [g for g, _f, _h in shapes if g]
    frame_pts = [pt for g in ([frame] if frame else geoms) for ring in _rings(g) for pt in ring]
    if not frame_pts:
        return svg(width, height, title, text(width / 2, height / 2, "no boundaries", anchor="middle"))
    west, east = min(p[0] for p in frame_pts), max(p[0] for p in frame_pts)
    south, north = min(p[1] for p in frame_pts), max(p[1] for p in frame_pts)
    kx = math.cos(math.radians((north + south) / 2))
    sx, sy = max((east - west) * kx, 1e-6), max(north - south, 1e-6)
    scale = min((width - 12) / sx, (height - 12) / sy)
    ox, oy = (width - sx * scale) / 2, (height - sy * scale) / 2

    def path(g: dict) -> str:
        parts = []
        for ring in _rings(g):
            step = max(1, len(ring) // max_points)
            pts = " ".join(f"{ox + (x - west) * kx * scale:.1f},{oy + (north - y) * scale:.1f}" for x, y in ring[::step])
            parts.append(f"M{pts}Z")
        return "".join(parts)

    body = []
    if frame:  # shapes reach beyond a zoomed frame: clip them to the picture
        body.append(f'<clipPath id="{clip_id}"><rect x="0" y="0" width="{width}" height="{height}"/></clipPath>'
                    f'<g clip-path="url(#{clip_id})">')
    for g, fill, hi in sorted(shapes, key=lambda s: s[2]):
        if g:
            stroke, sw = (DARK, 2.5) if hi else (edge, 0.5 if edge == "#ffffff" else 0.8)
            klass = ' class="highlight"' if hi else ""
            body.append(f'<path d="{path(g)}" fill="{fill}" stroke="{stroke}" stroke-width="{sw}" '
                        f'fill-rule="evenodd"{klass}/>')
    if frame:
        body.append("</g>")
    return svg(width, height, title, "".join(body), "locus-chart locus-static-map")
