"""The brief's cost model: annual public cost of its four measures, from documented assumptions.

Django-free. Assumptions (value, plausible low/high, unit, basis and sources) come from
``data/policy/cost_model.yaml`` through ``locus.policy.files.cost_assumptions_read``. The
formulas are deliberately simple and printed beside every result:

1. mapping resource   = staff FTE x cost per FTE + data and hosting
2. peer networks      = groups x meetings x (facilitation + hosting) + firms x promotion
                        + programme management, with groups = ceil(firms / group size)
3. collaboration      = projects x check cost per project + brokerage service
4. capacity building  = places x fee per place + coordination hub

The brief says the package "is unlikely to exceed £10-15m a year"; ``verdict`` says where a
total falls against that range. ``sensitivity`` moves one assumption at a time to its low and
high end (a tornado), holding the others at their scenario values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from locus.policy.schema import CostAssumption
from locus.web.format import THOUSANDS_GROUPED

MEASURES: dict[int, str] = {
    1: "Map investment opportunities in commercialisation pathways (national mapping resource)",
    2: "Local peer-learning networks of firms",
    3: "Collaboration as a condition of UKRI support",
    4: "Capacity building in local innovation policy",
}
BRIEF_RANGE = (10_000_000.0, 15_000_000.0)
# The brief whose range the model is set against, in parts (the API cites each) and as one line.
BRIEF_TITLE = "Raising innovation and productivity through local business knowledge sharing"
BRIEF_PUBLISHER = "The Productivity Institute"
BRIEF_AUTHOR = "Stephen Roper"
BRIEF_YEAR = "2024"
BRIEF_SOURCE = f"{BRIEF_PUBLISHER} ({BRIEF_YEAR}), {BRIEF_TITLE} ({BRIEF_AUTHOR})"
# Where the range is in the brief (a two-page brief without page numbers), in its words.
BRIEF_SECTION = ("closing paragraph, after the four measures: \u201cThe total cost of this set of "
                 "proposals is unlikely to exceed \u00a310-15m a year\u201d")
# Whole numbers: people, firms, groups, meetings, projects, places.
INTEGER_KEYS = frozenset({"pn_firms_per_year", "pn_group_size", "pn_meetings_per_year",
                          "collab_projects_per_year", "cb_places_per_year"})
# Smallest value a scenario may use (a group needs at least two firms); 0 otherwise.
MINIMUM = {"pn_group_size": 2.0}
MAX_FACTOR = 10  # a scenario value may be at most 10x the plausible high end
REQUIRED_KEYS = frozenset({
    "atlas_staff_fte", "atlas_cost_per_fte", "atlas_data_and_hosting", "pn_firms_per_year",
    "pn_group_size", "pn_meetings_per_year", "pn_facilitation_per_meeting",
    "pn_hosting_per_meeting", "pn_promotion_per_firm", "pn_programme_management",
    "collab_projects_per_year", "collab_check_cost_per_project", "collab_brokerage_service",
    "cb_places_per_year", "cb_fee_per_place", "cb_coordination_hub",
})


class CostModelError(ValueError):
    """Scenario values that the model cannot use; ``errors`` maps each key to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


@dataclass(frozen=True)
class LineItem:
    measure: int
    label: str
    amount: float
    working: str  # the arithmetic in words and numbers
    inputs: tuple[str, ...] = ()  # the assumption keys the amount is worked out from


@dataclass(frozen=True)
class Breakdown:
    values: dict[str, float]
    items: list[LineItem]
    by_measure: dict[int, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(self.by_measure.values())


@dataclass(frozen=True)
class Swing:
    key: str
    label: str
    measure: int
    low_value: float
    high_value: float
    total_at_low: float
    total_at_high: float

    @property
    def swing(self) -> float:
        return abs(self.total_at_high - self.total_at_low)


def limits(a: CostAssumption) -> tuple[float, float]:
    """The range a scenario value must lie in (wider than the plausible low-high range)."""
    return MINIMUM.get(a.key, 0.0), max(a.high * MAX_FACTOR, 1.0)


def defaults(assumptions: Mapping[str, CostAssumption], which: str = "value") -> dict[str, float]:
    missing = REQUIRED_KEYS - set(assumptions)
    if missing:
        raise CostModelError({k: "missing from the cost model file" for k in sorted(missing)})
    return {k: float(getattr(a, which)) for k, a in assumptions.items()}


def _money(x: float) -> str:
    return f"£{x:,.0f}"


def _count(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


def breakdown(values: Mapping[str, float]) -> Breakdown:
    """Annual cost per measure and line item for one set of values."""
    v = {k: float(x) for k, x in values.items()}
    firms, size = v["pn_firms_per_year"], v["pn_group_size"]
    groups = math.ceil(firms / size) if firms > 0 else 0
    meetings = groups * v["pn_meetings_per_year"]
    per_meeting = v["pn_facilitation_per_meeting"] + v["pn_hosting_per_meeting"]
    items = [
        LineItem(1, "Mapping staff", v["atlas_staff_fte"] * v["atlas_cost_per_fte"],
                 f"{_count(v['atlas_staff_fte'])} FTE x {_money(v['atlas_cost_per_fte'])}",
                 ("atlas_staff_fte", "atlas_cost_per_fte")),
        LineItem(1, "Data licences and hosting", v["atlas_data_and_hosting"], "as set",
                 ("atlas_data_and_hosting",)),
        LineItem(2, "Facilitated meetings", meetings * per_meeting,
                 f"{_count(groups)} groups ({_count(firms)} firms / {_count(size)}, rounded up) x "
                 f"{_count(v['pn_meetings_per_year'])} meetings x {_money(per_meeting)} "
                 "(facilitation + hosting)",
                 ("pn_firms_per_year", "pn_group_size", "pn_meetings_per_year",
                  "pn_facilitation_per_meeting", "pn_hosting_per_meeting")),
        LineItem(2, "Promotion and recruitment", firms * v["pn_promotion_per_firm"],
                 f"{_count(firms)} firms x {_money(v['pn_promotion_per_firm'])}",
                 ("pn_firms_per_year", "pn_promotion_per_firm")),
        LineItem(2, "Programme management", v["pn_programme_management"], "as set",
                 ("pn_programme_management",)),
        LineItem(3, "Checking collaboration conditions",
                 v["collab_projects_per_year"] * v["collab_check_cost_per_project"],
                 f"{_count(v['collab_projects_per_year'])} projects x "
                 f"{_money(v['collab_check_cost_per_project'])}",
                 ("collab_projects_per_year", "collab_check_cost_per_project")),
        LineItem(3, "Partner-finding and brokerage", v["collab_brokerage_service"], "as set",
                 ("collab_brokerage_service",)),
        LineItem(4, "Course places", v["cb_places_per_year"] * v["cb_fee_per_place"],
                 f"{_count(v['cb_places_per_year'])} places x {_money(v['cb_fee_per_place'])}",
                 ("cb_places_per_year", "cb_fee_per_place")),
        LineItem(4, "Coordination and lesson-sharing hub", v["cb_coordination_hub"], "as set",
                 ("cb_coordination_hub",)),
    ]
    by_measure = {m: sum(i.amount for i in items if i.measure == m) for m in MEASURES}
    return Breakdown(values=v, items=items, by_measure=by_measure)


def verdict(total: float) -> str:
    """'below', 'within' or 'above' the brief's £10-15m a year."""
    low, high = BRIEF_RANGE
    return "below" if total < low else "above" if total > high else "within"


@dataclass(frozen=True)
class Reliance:
    """How far a total rests on Locus's own assumptions rather than on cited figures: the caveat
    that goes with every verdict against the brief's range (QA H19 defect 6)."""
    inputs: int  # all inputs of the model
    assumed: list[str]  # keys of the inputs that are Locus assumptions (basis 'assumption')
    uncited: list[str]  # of those, the ones that cite nothing at all, not even for context
    assumed_amount: float  # the part of the total in items worked out from at least one assumption
    total: float
    low: float  # the total with every assumption at the end of its plausible range (``bounds``)
    high: float
    replaced: list[str] = field(default_factory=list)  # assumptions the user's scenario replaced

    @property
    def assumed_share(self) -> float:
        return self.assumed_amount / self.total if self.total else 0.0

    @property
    def mostly(self) -> bool:
        return self.assumed_share > 0.5

    def sentence(self) -> str:
        """The caveat in one plain sentence, for the headline, the API and the strategy pack."""
        kept = " left in place" if self.replaced else ""
        yours = (f"you replaced {len(self.replaced)} with your own value{'s' if len(self.replaced) != 1 else ''}; "
                 if self.replaced else "")
        return (f"This total rests {'mostly' if self.mostly else 'partly'} on assumptions: "
                f"{len(self.assumed)} of its {self.inputs} inputs are Locus judgements{kept}, not figures "
                f"from a source ({yours}{len(self.uncited)} cite nothing at all), and the items worked out "
                f"from them make up {self.assumed_share:.0%} of it; with the assumptions at the ends "
                f"of their plausible ranges it would be {_millions(self.low)} to "
                f"{_millions(self.high)} a year.")


def _millions(x: float) -> str:
    return f"£{x / 1e6:,.1f}m"


def reliance(assumptions: Mapping[str, CostAssumption], result: Breakdown,
             scenario: Mapping[str, float] | None = None) -> Reliance:
    """Count the assumed and uncited inputs and the share of ``result``'s total in items that
    depend on at least one assumption; the range is ``bounds`` over the plausible ranges. With a
    user's ``scenario``, an assumption given another value than its default is the user's, not
    Locus's: only the assumptions left in place are counted (QA H25 F9)."""
    replaced = [k for k, a in assumptions.items() if a.basis == "assumption" and scenario is not None
                and k in scenario and float(scenario[k]) != float(a.value)]
    assumed = [k for k, a in assumptions.items() if a.basis == "assumption" and k not in replaced]
    uncited = [k for k in assumed if not assumptions[k].sources]
    amount = sum(i.amount for i in result.items if set(i.inputs) & set(assumed))
    low, high = bounds(assumptions)
    return Reliance(len(assumptions), assumed, uncited, amount, result.total, low, high, replaced)


# A number written with commas: they may only separate thousands (1,000 or 12,500,000), so
# "2,5", "1,00" and ",5" are refused rather than read as 25, 100 and 5.

_DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d+")


def is_money(a: CostAssumption) -> bool:
    """An amount in pounds (its unit is GBP ...): the only inputs that may be typed with '£'."""
    return a.unit.startswith("GBP")


def _comma_as_point(text: str) -> str:
    return text.replace(",", ".") if _DECIMAL_COMMA.fullmatch(text) else "2.5"


def _number_read(text: str, a: CostAssumption) -> float | str:
    """One form value as a number, or the message to show at its field. Accepts what people
    type for money and counts ('£2,500', '12,500,000', '2.5'); refuses a comma anywhere but
    between thousands, and '£' in anything that is not an amount of money."""
    if text.startswith(("£", "-£", "+£")):
        text = text.replace("£", "", 1).strip()
        if not is_money(a):
            message = f"{a.label} is a number of {a.unit}, not an amount of money: enter it without £"
            if "," in text and not THOUSANDS_GROUPED.fullmatch(text):
                message += (f", and use a full stop for decimals (like {_comma_as_point(text)}); "
                            "a comma may only separate thousands, like 1,000")
            return message
    if "," in text:
        if not THOUSANDS_GROUPED.fullmatch(text):
            if _DECIMAL_COMMA.fullmatch(text) and a.key not in INTEGER_KEYS:
                return (f"{a.label} must use a full stop for decimals: enter "
                        f"{_comma_as_point(text)}, not {text}. A comma may only separate "
                        "thousands, like 1,000")
            return (f"Enter {a.label[0].lower() + a.label[1:]} as a number like "
                    f"{_count(a.value)}; use a full stop for decimals, and a comma only to "
                    "separate thousands, like 1,000")
        text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return f"{a.label} must be a number, like {_count(a.value)}"


def scenario_parse(raw: Mapping[str, str | None],
                   assumptions: Mapping[str, CostAssumption]) -> dict[str, float]:
    """Scenario values from a form: blanks keep the default; bad values raise CostModelError."""
    values = defaults(assumptions)
    errors: dict[str, str] = {}
    for key, a in assumptions.items():
        text = (raw.get(key) or "").strip()
        if not text:
            continue
        number = _number_read(text, a)
        if isinstance(number, str):
            errors[key] = number
            continue
        low, high = limits(a)
        if not math.isfinite(number):
            errors[key] = f"{a.label} must be a number, like {_count(a.value)}"
        elif key in INTEGER_KEYS and not number.is_integer():
            errors[key] = f"{a.label} must be a whole number"
        elif number < low:
            errors[key] = (f"{a.label} must be at least {_count(low)}" if low else
                           f"{a.label} cannot be negative")
        elif number > high:
            errors[key] = f"{a.label} must be {_count(high)} or less"
        else:
            values[key] = number
    if errors:
        raise CostModelError(errors)
    return values


@dataclass(frozen=True)
class OutsideRange:
    """A scenario value the model accepts (within ``limits``) but outside the input's plausible
    low-high range: shown as a warning beside the result, not an error (it may be meant)."""
    key: str
    label: str
    unit: str
    value: float
    low: float
    high: float

    @property
    def times(self) -> str:
        """'5 times the high end' when the value is at least twice the plausible high end, else ''."""
        if not self.high or self.value < 2 * self.high:
            return ""
        x = round(self.value / self.high, 1)
        return f"{x:,.0f} times the high end" if x >= 10 or x.is_integer() else f"{x} times the high end"


def outside_plausible(values: Mapping[str, float],
                      assumptions: Mapping[str, CostAssumption]) -> list[OutsideRange]:
    """Scenario values outside their input's plausible range, in the order of the inputs."""
    return [OutsideRange(key, a.label, a.unit, float(values[key]), a.low, a.high)
            for key, a in assumptions.items()
            if key in values and not a.low <= float(values[key]) <= a.high]


def sensitivity(assumptions: Mapping[str, CostAssumption],
                values: Mapping[str, float] | None = None) -> list[Swing]:
    """One-at-a-time low/high swings of the total, biggest first."""
    base = dict(values or defaults(assumptions))
    swings = []
    for key, a in assumptions.items():
        lo, hi = dict(base), dict(base)
        lo[key], hi[key] = a.low, a.high
        if key in MINIMUM:
            lo[key] = max(lo[key], MINIMUM[key])
        swings.append(Swing(key, a.label, a.measure, lo[key], hi[key],
                            breakdown(lo).total, breakdown(hi).total))
    return sorted(swings, key=lambda s: (-s.swing, s.key))


def bounds(assumptions: Mapping[str, CostAssumption]) -> tuple[float, float]:
    """(lowest, highest) annual total over the plausible ranges: every assumption at once at the
    end of its low-high range that lowers (or raises) the total. The total moves one way in each
    assumption whatever the others are (a larger peer group lowers it, everything else raises it),
    so these are the bounds of the ranges, not a confidence interval."""
    base = defaults(assumptions)
    lowest, highest = dict(base), dict(base)
    for key, a in assumptions.items():
        ends = sorted((max(a.low, MINIMUM.get(key, a.low)), a.high),
                      key=lambda x, k=key: breakdown({**base, k: x}).total)
        lowest[key], highest[key] = ends
    return breakdown(lowest).total, breakdown(highest).total


@dataclass(frozen=True)
class PlaceSizing:
    share: float  # the place's share of the UK, by the basis below
    basis: str  # plain words: what the share is and where it comes from
    firms: int
    groups: int
    places: int
    peer_networks: float
    capacity_building: float
    items: list[LineItem]

    @property
    def total(self) -> float:
        return self.peer_networks + self.capacity_building


def place_sizing(values: Mapping[str, float], *, share: float, basis: str) -> PlaceSizing:
    """Measures 2 and 4 sized to one place as ``share`` of the national scenario.

    Measures 1 and 3 are national (one mapping resource, one UKRI condition) and are not
    divided between places. Firms and course places are rounded to whole numbers.
    """
    if not 0 < share <= 1:
        raise CostModelError({"share": "a place's share must be above 0 and at most 1"})
    v = dict(values)
    firms = round(v["pn_firms_per_year"] * share)
    groups = math.ceil(firms / v["pn_group_size"]) if firms else 0
    per_meeting = v["pn_facilitation_per_meeting"] + v["pn_hosting_per_meeting"]
    places = round(v["cb_places_per_year"] * share)
    items = [
        LineItem(2, "Facilitated meetings", groups * v["pn_meetings_per_year"] * per_meeting,
                 f"{groups} groups of up to {_count(v['pn_group_size'])} firms x "
                 f"{_count(v['pn_meetings_per_year'])} meetings x {_money(per_meeting)}"),
        LineItem(2, "Promotion and recruitment", firms * v["pn_promotion_per_firm"],
                 f"{firms} firms x {_money(v['pn_promotion_per_firm'])}"),
        LineItem(2, "Share of national programme management",
                 v["pn_programme_management"] * share,
                 f"{share:.1%} of {_money(v['pn_programme_management'])}"),
        LineItem(4, "Course places", places * v["cb_fee_per_place"],
                 f"{places} places x {_money(v['cb_fee_per_place'])}"),
    ]
    m2 = sum(i.amount for i in items if i.measure == 2)
    m4 = sum(i.amount for i in items if i.measure == 4)
    return PlaceSizing(share, basis, firms, groups, places, m2, m4, items)
