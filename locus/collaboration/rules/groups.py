"""Named groups of participants that rule sets refer to (``who: sme``), and number formats."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from locus.collaboration.rules.table import ORGANISATION_TYPES, SIZES, TIERS, ParticipantTable


def _types(*names: str) -> Callable[[ParticipantTable], np.ndarray]:
    codes = [ORGANISATION_TYPES.index(n) for n in names]
    return lambda t: np.isin(t.org_type, codes)


def _sme(t: ParticipantTable) -> np.ndarray:
    sme_codes = [SIZES.index(s) for s in ("micro", "small", "medium")]
    return (t.org_type == ORGANISATION_TYPES.index("business")) & np.isin(t.size, sme_codes)


def _large(t: ParticipantTable) -> np.ndarray:
    return (t.org_type == ORGANISATION_TYPES.index("business")) & (t.size == SIZES.index("large"))


def _oem_or_tier1(t: ParticipantTable) -> np.ndarray:
    return np.isin(t.tier, [TIERS.index("vehicle_manufacturer"), TIERS.index("tier1")])


@dataclass(frozen=True)
class Group:
    key: str
    singular: str
    plural: str
    mask: Callable[[ParticipantTable], np.ndarray]


GROUPS: dict[str, Group] = {g.key: g for g in (
    Group("any", "organisation", "organisations", lambda t: np.ones(len(t), dtype=bool)),
    Group("business", "business", "businesses", _types("business")),
    Group("sme", "SME (a micro, small or medium business)", "SMEs", _sme),
    Group("large_business", "large business", "large businesses", _large),
    Group("research", "research organisation (university or research institute)",
          "research organisations", _types("research")),
    Group("rto", "RTO or Catapult", "RTOs", _types("rto")),
    Group("research_or_rto", "university, research institute or RTO",
          "research organisations and RTOs", _types("research", "rto")),
    Group("oem_or_tier1", "vehicle manufacturer or Tier 1 supplier",
          "vehicle manufacturers or Tier 1 suppliers", _oem_or_tier1),
    Group("public_or_charity", "public body or charity", "public bodies and charities",
          _types("public", "charity")),
)}


def money(value: float) -> str:
    return f"£{value:,.0f}"


def percent(share: float, limit: float | None = None) -> str:
    """A share as a percentage; more decimals when rounding would hide which side of a limit it is."""
    for decimals in (1, 2, 4):
        text = f"{share * 100:.{decimals}f}"
        if limit is None or (float(text) / 100 == limit) == _close(share, limit):
            break
    return f"{text.rstrip('0').rstrip('.') if '.' in text else text} %"


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9


def within(value: np.ndarray, limit: float, totals: np.ndarray) -> np.ndarray:
    """value <= limit * totals, allowing for floating-point error (a millionth of a penny)."""
    return value <= limit * totals + 1e-9 * np.maximum(totals, 1.0)


def at_least(value: np.ndarray, limit: float, totals: np.ndarray) -> np.ndarray:
    return value >= limit * totals - 1e-9 * np.maximum(totals, 1.0)
