"""Investment opportunities: a strong research base meeting a significant downstream weak link.

An area qualifies when its research-base score is in the top quintile of its level (at or above
the 80th percentile) and at least one later stage is a weak link (gap interval wholly below
zero). Each (area, weak stage) is one opportunity. Priority = research percentile x shortfall
(minus the gap), so a larger gap behind a stronger research base ranks first. Rankings: national
(all areas of the level) and per Combined Authority (areas mainly inside the CA, plus the CA
itself when it qualifies among CAs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from locus.pathways.weak_links import WeakLink


@dataclass(frozen=True)
class Evidence:
    """One indicator behind a weak link, against the neighbours' median."""

    indicator_id: str
    title: str
    unit: str
    year: int
    value: float
    neighbour_median: float | None


@dataclass(frozen=True)
class Opportunity:
    """One ranked opportunity."""

    scope: str  # "national" or a CA code
    rank: int
    area_code: str
    area_name: str
    level: str
    stage: str
    priority: float
    reason: str
    numbers: dict = field(default_factory=dict)


def percentile_ranks(values: Mapping[str, float]) -> dict[str, float]:
    """Share of areas with a score at or below each area's score (0-1]."""
    codes = sorted(values)
    arr = np.asarray([values[c] for c in codes], dtype=float)
    return {c: float((arr <= values[c]).sum() / arr.size) for c in codes}


# Units a table can leave to its header: written as bare numbers with ``bare`` (decimals for each).
BARE_UNITS = {"count": 0, "persons": 0, "index": 2, "ratio": 2, "score": 2}


def value_text(value: float | None, unit: str, *, missing: str = "n/a", unsigned_zero: bool = False,
               bare: bool = False) -> str:
    """A value with its unit in words: GBP 12.5 per head -> "£12.50 per head", EUR 256.4 per head ->
    "€256 per head", 9.87 percent -> "9.9%". The one formatter of values: the build's opportunity
    reasons use it as it is, the atlas pages (``locus.atlas.text.value_text``) with their options:

    - ``missing``: the text for no value (None, NaN, infinite);
    - ``unsigned_zero``: a value that rounds to zero is written without its sign ("0.00", not
      "-0.00", which reads as a measured negative);
    - ``bare``: counts, indexes, ratios and scores as bare numbers (``BARE_UNITS``), for a table or
      legend that names the unit itself.

    Money and every other unit: no decimals from 100 up, two below (money per £100 always two)."""
    if value is None or not np.isfinite(value):
        return missing
    if unsigned_zero and round(value, 2) == 0:
        value = round(value, 2) + 0.0  # -0.001 -> 0.0 (an index's median, Nesta's ECI)
    sign = "-" if value < 0 else ""  # before the symbol: "-£3.50", not "£-3.50"
    if unit == "GBP per GBP 100":
        return f"{sign}£{abs(value):,.2f} per £100 of research income"
    for code, symbol in (("GBP", "£"), ("EUR", "€")):
        if unit.startswith(code):
            return f"{sign}{symbol}{abs(value):,.{0 if abs(value) >= 100 else 2}f}{unit[len(code):]}"
    if unit == "percent":
        return f"{value:.1f}%"
    decimals = BARE_UNITS.get("score" if unit.startswith("score") else unit) if bare else None  # "score (1-4)"
    if decimals is not None:
        return f"{value:,.{decimals}f}" if decimals == 0 else f"{value:.{decimals}f}"
    number = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"
    return f"{number} {unit}"


PROPER_NAMES = ("Innovate UK", "Horizon 2020")  # indicator titles that start with a name, kept as written


def lower_first(text: str) -> str:
    """A title in the middle of a sentence: 'Business R&D and innovation finance' -> 'business R&D and
    innovation finance'; an acronym ('UKRI funding per head') or a name ('Innovate UK funding per head')
    kept as written."""
    first = text.split(" ", 1)[0]
    if (first.isupper() and len(first) > 1) or text.startswith(PROPER_NAMES):
        return text
    return text[:1].lower() + text[1:]



def reason_text(*, name: str, level_label: str, research: float, research_rank: int, n_areas: int,
                stage_title: str, link: WeakLink, neighbour_names: Sequence[tuple[str, float | None]],
                evidence: Sequence[Evidence]) -> str:
    """The plain-words reason of one opportunity, with the numbers behind it."""
    comps = ", ".join(f"{n} ({s:.2f})" if s is not None else n for n, s in neighbour_names) or "none"
    text = (f"{name} has a research base in the top fifth of {level_label} (score {research:.2f}, "
            f"rank {research_rank} of {n_areas}), but its {lower_first(stage_title)} score of "
            f"{link.actual:.2f} is below the {link.expected:.2f} expected from its upstream stages "
            f"and its statistical neighbours (gap {link.gap:+.2f}; 95% interval {link.lo:+.2f} to "
            f"{link.hi:+.2f}). Comparison places ({lower_first(stage_title)} score): {comps}.")
    weakest = [e for e in evidence if e.neighbour_median is not None and e.value < e.neighbour_median]
    if weakest:
        e = min(weakest, key=lambda e: e.value / e.neighbour_median if e.neighbour_median else 0)
        text += (f" Furthest behind its neighbours: {lower_first(e.title)}, {value_text(e.value, e.unit)} "
                 f"in {e.year} against a neighbour median of {value_text(e.neighbour_median, e.unit)}.")
    return text


def opportunities_rank(*, candidates: Sequence[Opportunity]) -> list[Opportunity]:
    """Rank candidate opportunities within each scope by priority (then area code, stage)."""
    by_scope: dict[str, list[Opportunity]] = {}
    for opp in candidates:
        by_scope.setdefault(opp.scope, []).append(opp)
    out: list[Opportunity] = []
    for scope in sorted(by_scope):
        ordered = sorted(by_scope[scope], key=lambda o: (-round(o.priority, 12), o.area_code, o.stage))
        for rank, opp in enumerate(ordered, start=1):
            out.append(Opportunity(opp.scope, rank, opp.area_code, opp.area_name, opp.level, opp.stage,
                                   opp.priority, opp.reason, opp.numbers))
    return out


def opportunity_candidates(*, research: Mapping[str, float], links: Sequence[WeakLink],
                           scope_of: Mapping[str, Sequence[str]], quintile: float = 0.8) -> list[tuple[str, WeakLink, float, int]]:
    """(scope, weak link, research percentile, research rank) for qualifying areas."""
    pct = percentile_ranks(research)
    order = sorted(research, key=lambda c: (-research[c], c))
    rank = {c: i + 1 for i, c in enumerate(order)}
    out = []
    for link in links:
        if not link.is_weak or link.area_code not in research:
            continue
        if pct[link.area_code] < quintile:
            continue
        for scope in scope_of.get(link.area_code, ("national",)):
            out.append((scope, link, pct[link.area_code], rank[link.area_code]))
    return out
