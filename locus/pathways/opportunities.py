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


def value_text(value: float | None, unit: str) -> str:
    """A value with its unit in words: GBP 12.5 per head -> "£12.50 per head"."""
    if value is None or not np.isfinite(value):
        return "n/a"
    if unit == "GBP per GBP 100":
        return f"£{value:,.2f} per £100 of research income"
    for code, symbol in (("GBP", "£"), ("EUR", "€")):  # as the atlas pages write money ("€256 per head")
        if unit.startswith(code):
            amount = f"{symbol}{abs(value):,.0f}" if abs(value) >= 100 else f"{symbol}{abs(value):,.2f}"
            return ("-" if value < 0 else "") + amount + unit[len(code):]
    if unit == "percent":
        return f"{value:.1f}%"
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
