"""Server-rendered SVG charts for policy pages and the PDF pack (Django-free).

Every text element names its font explicitly (WeasyPrint and browsers then agree), every chart
has a <title> and an accessible name, and every page that shows one also shows a table with the
same numbers.
"""

from __future__ import annotations

from html import escape

FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
BLUE, DARK, GREY, ORANGE = "#1d70b8", "#0b0c0c", "#b1b4b6", "#f47738"


def _text(x: float, y: float, text: str, *, size: int = 13, anchor: str = "start",
          weight: str = "normal", fill: str = DARK) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
            f'font-weight="{weight}" fill="{fill}" text-anchor="{anchor}">{escape(text)}</text>')


def _svg(width: int, height: int, title: str, body: str, css_class: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
            f'class="{css_class}" font-family="{FONT}"><title>{escape(title)}</title>{body}</svg>')


def money_short(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"£{value / 1_000_000:.2f}m"
    if abs(value) >= 1_000:
        return f"£{value / 1_000:.0f}k"
    return f"£{value:.0f}"


def bar_chart(*, title: str, rows: list[tuple[str, float]], value_label=money_short,
              width: int = 640, label_width: int | None = None,
              marks: list[tuple[float, str]] = ()) -> str:
    """Horizontal bars, one per (label, value); optional vertical reference ``marks``."""
    bar_h, gap, top = 22, 10, 10
    if label_width is None:  # about 7 px a character at 13 px Liberation Sans
        label_width = min(320, max(80, 7 * max((len(lab) for lab, _ in rows), default=0) + 16))
    height = top + len(rows) * (bar_h + gap) + (30 if marks else 10)
    top_value = max([v for _, v in rows] + [m for m, _ in marks] + [1.0])
    span = width - label_width - 90
    body = []
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_h + gap)
        w = max(span * value / top_value, 0.5 if value > 0 else 0)
        body.append(_text(label_width - 8, y + 16, label, anchor="end"))
        body.append(f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                    f'fill="{BLUE}"/>')
        body.append(_text(label_width + w + 6, y + 16, value_label(value)))
    for value, label in marks:
        x = label_width + span * value / top_value
        body.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 22}" '
                    f'stroke="{ORANGE}" stroke-width="2" stroke-dasharray="4 3"/>')
        body.append(_text(x, height - 6, label, size=12, anchor="middle"))
    return _svg(width, height, title, "".join(body), "locus-chart")


def tornado_chart(*, title: str, base: float, rows: list[tuple[str, float, float]],
                  width: int = 680, label_width: int = 280) -> str:
    """One-at-a-time sensitivity: for each (label, total_at_low, total_at_high) a bar from
    the lower to the higher total, around a line at the ``base`` total."""
    bar_h, gap, top = 20, 8, 30
    height = top + len(rows) * (bar_h + gap) + 10
    lo = min([base] + [min(a, b) for _, a, b in rows])
    hi = max([base] + [max(a, b) for _, a, b in rows])
    span = width - label_width - 20
    scale = span / (hi - lo) if hi > lo else 1.0

    def x(value: float) -> float:
        return label_width + (value - lo) * scale

    body = [_text(x(base), 14, f"Default {money_short(base)}", size=12, anchor="middle")]
    for i, (label, at_low, at_high) in enumerate(rows):
        y = top + i * (bar_h + gap)
        body.append(_text(label_width - 8, y + 15, label, size=12, anchor="end"))
        left, right = sorted((at_low, at_high))
        body.append(f'<rect x="{x(left):.1f}" y="{y}" width="{max(x(right) - x(left), 1):.1f}" '
                    f'height="{bar_h}" fill="{BLUE}"/>')
    body.append(f'<line x1="{x(base):.1f}" y1="20" x2="{x(base):.1f}" y2="{height - 6}" '
                f'stroke="{DARK}" stroke-width="2"/>')
    return _svg(width, height, title, "".join(body), "locus-chart")
