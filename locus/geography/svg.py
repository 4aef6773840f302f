"""Server-rendered SVG outlines of areas (Django-free): a map that needs no JavaScript or tiles.

Longitude is scaled by cos(mean latitude), which keeps shapes true enough at UK latitudes.
"""

from __future__ import annotations

import json
import math
from html import escape


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def outline_svg(*, layers: list[tuple[str, str]], title: str, width: int = 480,
                height: int = 420) -> str:
    """Draw GeoJSON geometries (``(geojson_text, css_class)``, first layer sets the frame)."""
    parsed = [(json.loads(text), css) for text, css in layers if text]
    if not parsed:
        return ""
    frame = [pt for ring in _rings(parsed[0][0]) for pt in ring]
    west, east = min(p[0] for p in frame), max(p[0] for p in frame)
    south, north = min(p[1] for p in frame), max(p[1] for p in frame)
    kx = math.cos(math.radians((north + south) / 2))
    span_x, span_y = max((east - west) * kx, 1e-6), max(north - south, 1e-6)
    scale = min((width - 20) / span_x, (height - 20) / span_y)
    off_x = (width - span_x * scale) / 2
    off_y = (height - span_y * scale) / 2

    def path(geometry: dict) -> str:
        parts = []
        for ring in _rings(geometry):
            points = " ".join(
                f"{off_x + (x - west) * kx * scale:.1f},{off_y + (north - y) * scale:.1f}"
                for x, y in ring[:: max(1, len(ring) // 400)]
            )
            parts.append(f"M{points}Z")
        return "".join(parts)

    body = "".join(f'<path class="{css}" d="{path(geom)}"/>' for geom, css in reversed(parsed))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="locus-outline"><title>{escape(title)}</title>'
        '<style>.area{fill:#1d70b8;fill-opacity:.35;stroke:#003078;stroke-width:1.5}'
        '.member{fill:none;stroke:#ffffff;stroke-width:.8}'
        '.context{fill:#f3f2f1;stroke:#b1b4b6;stroke-width:.6}</style>'
        f"{body}</svg>"
    )
