"""A server-drawn picture of a collaboration network (SVG), read with its table alternative."""

from __future__ import annotations

import random
from html import escape

import igraph as ig

from locus.networks.graph import Network
from locus.networks.metrics import NodeMetrics

COLOURS = {"university": "#1d70b8", "research": "#5694ca", "rto": "#4c2c92",
           "business": "#00703c", "public": "#d4351c", "charity": "#f47738", "unknown": "#505a5f"}
WIDTH, HEIGHT, PAD = 900, 620, 20


def network_svg(network: Network, metrics: NodeMetrics, *, title: str, seed: int = 1) -> str:
    graph = network.graph
    if graph.vcount() == 0:
        return ""
    ig.set_random_number_generator(random.Random(seed))
    try:
        layout = graph.layout_fruchterman_reingold(weights=None, niter=300)
    finally:
        ig.set_random_number_generator(random)
    xs, ys = zip(*layout.coords, strict=True)
    lo_x, hi_x, lo_y, hi_y = min(xs), max(xs), min(ys), max(ys)

    def pos(i: int) -> tuple[float, float]:
        x = PAD + (xs[i] - lo_x) / ((hi_x - lo_x) or 1) * (WIDTH - 2 * PAD)
        y = PAD + (ys[i] - lo_y) / ((hi_y - lo_y) or 1) * (HEIGHT - 2 * PAD)
        return round(x, 1), round(y, 1)

    top = max(metrics.degree) or 1
    parts = [f'<svg class="locus-network" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="network-title network-desc" width="100%" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="network-title">{escape(title)}</title>',
             f'<desc id="network-desc">{graph.vcount()} organisations and {graph.ecount()} links. '
             'Colour shows the type of organisation; size shows the number of links. The tables '
             'below give the same information.</desc>', '<g stroke="#b1b4b6" stroke-width="0.6">']
    for e in graph.es:
        (x1, y1), (x2, y2) = pos(e.source), pos(e.target)
        parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"/>')
    parts.append("</g><g>")
    for i, node in enumerate(network.nodes):
        x, y = pos(i)
        r = 2.5 + 9 * (metrics.degree[i] / top) ** 0.5
        parts.append(f'<circle cx="{x}" cy="{y}" r="{r:.1f}" fill="{COLOURS.get(node.org_type)}">'
                     f'<title>{escape(node.name)} ({node.org_type}, {metrics.degree[i]} link{"" if metrics.degree[i] == 1 else "s"})'
                     '</title></circle>')
    parts.append("</g></svg>")
    return "".join(parts)
