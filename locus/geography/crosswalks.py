"""Place historical figures in today's geography (Django-free).

Method (docs/methodology/geography.md):
1. A LAD code of any vintage 2014-2023 is followed through the ONS change list to its
   December 2023 successor (mergers only in this period, so each old LAD lies wholly in one).
2. A NUTS (2018) area is the set of LAD 2018 districts in the ONS LAD18 -> NUTS lookup; its figure
   is apportioned to each 2023 LAD in proportion to the population (2020) of the districts it
   received. Where a district's own population is not published (it was merged before 2020), the
   successor's population is divided equally among its predecessors and the result is flagged.
3. ITL3/CA shares come from the 2023 LAD memberships. ``split`` marks a NUTS area whose figure
   is divided between several current areas: a count is then an estimate, a rate is not additive.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from locus.errors import GeographyError


@dataclass(frozen=True)
class Placement:
    code: str  # a current area code (LAD 2023, ITL3 2021 or CA 2025)
    share: float  # share of the historical area's figure that falls in it
    estimated: bool  # share uses an equal split where a population was not published


def successor_map(changes: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Map each old LAD code to its final successor, following chains (old -> new -> newer)."""
    direct = dict(changes)
    result = {}
    for old in direct:
        seen, code = {old}, direct[old]
        while code in direct:
            if code in seen:
                raise GeographyError(f"the LAD change list loops at {code}")
            seen.add(code)
            code = direct[code]
        result[old] = code
    return result


def current_lad(code: str, *, successors: Mapping[str, str], current: set[str]) -> str:
    """The December 2023 LAD code for a LAD code of any vintage since 2014."""
    new = successors.get(code, code)
    if new not in current:
        raise GeographyError(f"LAD code {code} has no current (December 2023) successor.")
    return new


def nuts_to_lads(nuts_code: str, *, nuts_rows: Iterable[tuple[str, str]],
                 successors: Mapping[str, str], population: Mapping[str, float],
                 current: set[str]) -> list[Placement]:
    """Apportion a NUTS 2018 area (level 1, 2 or 3) to December 2023 LADs.

    ``nuts_rows`` are (LAD18 code, NUTS code at any level containing it) pairs.
    """
    districts = sorted({lad18 for lad18, nuts in nuts_rows if nuts == nuts_code})
    if not districts:
        raise GeographyError(f"{nuts_code} is not a NUTS 2018 code in the ONS lookup.")
    predecessors: dict[str, int] = defaultdict(int)
    for lad18 in successors:
        predecessors[successors[lad18]] += 1
    weights: dict[str, float] = defaultdict(float)
    estimated: set[str] = set()
    for lad18 in districts:
        lad23 = current_lad(lad18, successors=successors, current=current)
        if lad18 in population:
            weights[lad23] += population[lad18]
        else:
            weights[lad23] += population[lad23] / max(predecessors[lad23], 1)
            estimated.add(lad23)
    total = sum(weights.values())
    return [Placement(code, weight / total, code in estimated) for code, weight in sorted(weights.items())]


def lads_to_parents(placements: Iterable[Placement], *,
                    memberships: Mapping[str, Mapping[str, float]]) -> list[Placement]:
    """Carry LAD placements up to parent areas (e.g. ITL3 or CA) through membership shares."""
    weights: dict[str, float] = defaultdict(float)
    estimated: set[str] = set()
    for placement in placements:
        for parent, share in memberships.get(placement.code, {}).items():
            weights[parent] += placement.share * share
            if placement.estimated or share < 1:
                estimated.add(parent)
    return [Placement(code, weight, code in estimated) for code, weight in sorted(weights.items())]
