"""Phone versions of the wide charts (Django-free): drawn ``WIDTH`` (290) units wide, the width a chart
has on the narrowest screen the pages support (320 CSS px, WCAG's reflow width, less GOV.UK's 15 px
page margins), so one unit is at least one pixel and no text is smaller than ``MIN_FONT`` px. (Drawn
340 wide, they were shrunk to 290 px there and their 12-unit text read at 10.2 px.) On a wider phone
the drawing grows with the screen (``atlas.css``: full width, at most 420 px).

A wide chart (760 units) shrunk to a phone screen makes 11-unit labels about 5 px high. Instead the
page carries both drawings and CSS shows one (``responsive``): these put each stage's label on its
own line above its row and run the score axis across the screen. The numbers are the wide chart's
and the table under each chart stays the text alternative.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from locus.atlas.charts import (
    BLUE,
    DARK,
    GREEN,
    LIGHT,
    MID,
    RED,
    _clip,
    _dash,
    _finite,
    _legend,
    _wrap,
    interval_span,
    pathway_styles,
    svg,
    text,
)

WIDTH = 290  # 320 px less two 15 px margins: the narrowest width a phone drawing is shown at
MIN_FONT = 12
LABEL = 13
SECTOR_CHARS = 38  # a sector's name longer than this wraps (about 6.5 units a character at 12 units)


def responsive(wide: str, narrow: str) -> str:
    """Both drawings; ``atlas.css`` shows the narrow one below the tablet breakpoint (641 px)."""
    wide = wide.replace('class="locus-chart', 'class="locus-chart locus-chart--wide', 1)
    narrow = narrow.replace('class="locus-chart', 'class="locus-chart locus-chart--narrow', 1)
    return wide + narrow


def _halo(x: float, y: float, label: str, *, size: int = LABEL, weight: str = "normal", cls: str = "",
          anchor: str = "start", fill: str = DARK) -> str:
    """Text with a white outline, readable where a line of the chart runs behind it."""
    return text(x, y, label, size=size, weight=weight, cls=cls, anchor=anchor, fill=fill).replace(
        "<text ", '<text stroke="#ffffff" stroke-width="4" paint-order="stroke" stroke-linejoin="round" ', 1)


def _ticks(body: list[str], x, top: float, bottom: float) -> None:
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        body.append(f'<line x1="{x(tick):.1f}" y1="{top:.1f}" x2="{x(tick):.1f}" y2="{bottom:.1f}" stroke="{LIGHT}"/>')
        anchor = "start" if tick == 0 else "end" if tick == 1.0 else "middle"
        for yy in (top - 6, bottom + 16):
            body.append(text(x(tick), yy, f"{tick:.2f}", size=MIN_FONT, anchor=anchor, fill=MID))


def pathway_chart_narrow(*, title: str, stages: Sequence[str],
                         series: Sequence[tuple[str, Sequence[float | None], str]]) -> str:
    """``charts.pathway_chart`` turned on its side: one row per stage, its label above, the score
    (0 to 1) across; lines join each series from stage to stage as in the wide chart."""
    shown = [s for s in series if s[2] != "peer"] + [s for s in series if s[2] == "peer"][:1]
    legend, legend_h = _legend([("Statistical neighbours" if r == "peer" else lab, *pathway_styles(r)[:3])
                                for lab, _v, r in shown], WIDTH, 8)
    left, right, row = 14, 18, 60
    top = legend_h + 26
    bottom = top + row * len(stages)
    pw = WIDTH - left - right

    def x(v: float) -> float:
        return left + pw * _clip(v)

    ys = [top + row * i + 42 for i in range(len(stages))]
    body = list(legend)
    _ticks(body, x, top, bottom)
    order = sorted(series, key=lambda s: {"peer": 0, "median": 1, "median2": 1, "area": 2}.get(s[2].split(":")[0], 1))
    for label, values, role in order:
        colour, stroke, dash, r = pathway_styles(role)
        kind = role.split(":")[0]
        pts = [(x(v), yy) for v, yy in zip(values, ys, strict=True) if _finite(v)]
        if len(pts) > 1:
            path = " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{stroke}"'
                        f'{_dash(dash)} class="series-{kind}"><title>{escape(label)}</title></polyline>')
        for v, yy in zip(values, ys, strict=True):
            if _finite(v):
                body.append(f'<circle cx="{x(v):.1f}" cy="{yy:.1f}" r="{r + 1}" fill="{colour}" class="point-{kind}">'
                            f'<title>{escape(label)}: {v:.2f}</title></circle>')
    for i, label in enumerate(stages):  # each label on a white band over the lines, which break there
        band = top + row * i + 5
        body.append(f'<rect x="0" y="{band}" width="{WIDTH}" height="21" fill="#ffffff" class="label-band"/>')
        body.append(text(left, band + 15, label, size=LABEL, weight="bold", cls="stage-label"))
    return svg(WIDTH, int(bottom + 26), title, "".join(body))


def interval_chart_narrow(*, title: str, rows: Sequence[tuple[str, float, float, float, str]]) -> str:
    """``charts.interval_chart`` with each stage's label on its own line above its interval."""
    left, right, top, row = 14, 18, 34, 54
    height = top + row * len(rows) + 30
    span = interval_span(rows)
    pw = WIDTH - left - right

    def x(v: float) -> float:
        return left + pw * (_clip(v, -span, span) + span) / (2 * span)

    body = [f'<line x1="{x(0):.1f}" y1="{top - 8}" x2="{x(0):.1f}" y2="{height - 24}" stroke="{DARK}" stroke-width="1.5"/>',
            text(x(0), top - 14, "as expected", size=MIN_FONT, anchor="middle", fill=MID),
            text(left, height - 6, f"{-span:+.1f} below", size=MIN_FONT, fill=MID),
            text(WIDTH - right, height - 6, f"{span:+.1f} above", size=MIN_FONT, anchor="end", fill=MID)]
    colours = {"weak": RED, "strong": GREEN}
    for i, (label, gap, lo, hi, verdict) in enumerate(rows):
        y0 = top + i * row
        body.append(_halo(left, y0 + 16, label, weight="bold", cls="stage-label"))
        cy = y0 + 36
        if not (_finite(gap) and _finite(lo) and _finite(hi)):
            body.append(_halo(x(0) + 6, cy + 4, "not assessed", size=MIN_FONT, fill=MID))
            continue
        colour = colours.get(verdict, MID)
        body.append(f'<line x1="{x(lo):.1f}" y1="{cy:.1f}" x2="{x(hi):.1f}" y2="{cy:.1f}" stroke="{colour}" '
                    f'stroke-width="5" class="interval"/>')
        body.append(f'<circle cx="{x(gap):.1f}" cy="{cy:.1f}" r="7" fill="{colour}" stroke="#ffffff" '
                    f'stroke-width="1.5" class="gap"/>')
    return svg(WIDTH, height, title, "".join(body))


def lq_chart_narrow(*, title: str, rows: Sequence[tuple[str, float]]) -> str:
    """``charts.lq_chart`` with each sector's name above its bar, in full (over two lines or more when
    it is longer than ``SECTOR_CHARS``)."""
    left, right, top, row, bar_h, line_h = 14, 44, 10, 42, 14, 15
    names = [_wrap(label, SECTOR_CHARS) or [label] for label, _v in rows]
    starts = [top]
    for lines in names:
        starts.append(starts[-1] + row + line_h * (len(lines) - 1))
    height = starts[-1] + 26
    top_value = max([2.0] + [v for _l, v in rows if _finite(v)])
    pw = WIDTH - left - right
    body = []
    for (_label, value), lines, y0 in zip(rows, names, starts, strict=False):
        body += [text(left, y0 + 13 + line_h * k, line, size=MIN_FONT, cls="sector-label")
                 for k, line in enumerate(lines)]
        yb = y0 + line_h * (len(lines) - 1)
        w = pw * (value if _finite(value) else 0) / top_value
        body.append(f'<rect x="{left}" y="{yb + 19}" width="{max(w, 0):.1f}" height="{bar_h}" '
                    f'fill="{BLUE if _finite(value) and value >= 1.25 else "#6baed6"}" class="bar"/>')
        body.append(text(left + w + 5, yb + 31, f"{value:.2f}" if _finite(value) else "n/a", size=MIN_FONT))
    x1 = left + pw / top_value
    body.append(f'<line x1="{x1:.1f}" y1="{top + 16}" x2="{x1:.1f}" y2="{height - 20}" stroke="{DARK}" '
                f'stroke-dasharray="4 3"/>')
    body.append(text(max(x1, 80), height - 6, "Great Britain average (1.0)", size=MIN_FONT, anchor="middle"))
    return svg(WIDTH, height, title, "".join(body))
