"""Participants as columns: one row per participant, grouped into consortia by a project index.

The same table serves the consortium checker (one project) and the mandate simulator (tens of
thousands of projects), so a rule means the same thing in both. No Django here.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

ORGANISATION_TYPES = ("business", "research", "rto", "public", "charity", "unknown")
SIZES = ("unknown", "micro", "small", "medium", "large")
SME_SIZES = ("micro", "small", "medium")
TIERS = ("none", "vehicle_manufacturer", "tier1")
ROLES = ("lead", "partner")


@dataclass(frozen=True)
class Participant:
    """One organisation in a consortium, as the checker and the API take it."""

    name: str
    role: str = "partner"
    organisation_type: str = "business"
    size: str | None = None
    country: str = "GB"
    eligible_costs: float = 0.0
    tier: str | None = None
    publishes: bool = False
    claims_funding: bool = True
    grant_requested: float | None = None   # pounds; None when not given
    controlled_by: str | None = None       # group or parent under whose control it is


@dataclass
class ParticipantTable:
    """Column arrays, all of the same length; ``project`` says which consortium a row is in."""

    project: np.ndarray      # int64, 0..n_projects-1
    n_projects: int
    org_type: np.ndarray     # int8 index into ORGANISATION_TYPES
    size: np.ndarray         # int8 index into SIZES
    tier: np.ndarray         # int8 index into TIERS
    country: np.ndarray      # int32 index into ``countries``
    countries: tuple[str, ...]
    costs: np.ndarray        # float64, eligible costs in GBP
    is_lead: np.ndarray      # bool
    publishes: np.ndarray    # bool
    claims: np.ndarray       # bool
    grant: np.ndarray        # float64, grant requested in GBP; NaN where not known
    control: np.ndarray      # int64: rows sharing a value are under common control

    def __len__(self) -> int:
        return len(self.project)

    def per_project_sum(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.project, weights=values,
                           minlength=self.n_projects).astype(np.float64)

    def per_project_count(self, mask: np.ndarray) -> np.ndarray:
        return np.bincount(self.project, weights=mask.astype(np.float64),
                           minlength=self.n_projects).astype(np.int64)

    def per_project_max(self, values: np.ndarray, mask: np.ndarray) -> np.ndarray:
        out = np.zeros(self.n_projects)
        np.maximum.at(out, self.project[mask], values[mask])
        return out

    def totals(self) -> np.ndarray:
        return self.per_project_sum(self.costs)


def _codes(values: Iterable[str | None], vocabulary: Sequence[str], default: str) -> np.ndarray:
    index = {name: i for i, name in enumerate(vocabulary)}
    return np.fromiter((index.get(v or default, index[default]) for v in values), dtype=np.int8)


def _control_codes(control: Sequence[Hashable | None] | None, n: int) -> np.ndarray:
    """Rows with the same key share a code; a row without a key is independent of every other."""
    if control is None:
        return np.arange(n, dtype=np.int64)
    codes: dict[Hashable, int] = {}
    out = np.empty(n, dtype=np.int64)
    for i, key in enumerate(control):
        out[i] = codes.setdefault(key, len(codes)) if key is not None else -1 - i
    return out


def table_from_columns(*, project: Sequence[int], org_type: Sequence[str | None],
                       size: Sequence[str | None], country: Sequence[str | None],
                       costs: Sequence[float | None], is_lead: Sequence[bool],
                       tier: Sequence[str | None] | None = None,
                       publishes: Sequence[bool] | None = None,
                       claims: Sequence[bool] | None = None,
                       grant: Sequence[float | None] | None = None,
                       control: Sequence[Hashable | None] | None = None,
                       n_projects: int | None = None) -> ParticipantTable:
    """Build a table from plain columns (names, not codes); missing costs count as zero, a
    missing grant is NaN (not known). ``control`` keys mark rows under common control (compare
    them within a project: give keys that include the project when they could repeat)."""
    n = len(project)
    project_arr = np.asarray(project, dtype=np.int64)
    country_names = tuple(sorted({(c or "").upper() for c in country}))
    country_index = {c: i for i, c in enumerate(country_names)}
    return ParticipantTable(
        project=project_arr,
        n_projects=int(n_projects if n_projects is not None else
                       (project_arr.max() + 1 if n else 0)),
        org_type=_codes(org_type, ORGANISATION_TYPES, "unknown"),
        size=_codes(size, SIZES, "unknown"),
        tier=_codes(tier if tier is not None else [None] * n, TIERS, "none"),
        country=np.fromiter((country_index[(c or "").upper()] for c in country), dtype=np.int32,
                            count=n),
        countries=country_names,
        costs=np.nan_to_num(np.asarray([c if c is not None else 0.0 for c in costs],
                                       dtype=np.float64)),
        is_lead=np.asarray(is_lead, dtype=bool),
        publishes=np.asarray(publishes if publishes is not None else [False] * n, dtype=bool),
        claims=np.asarray(claims if claims is not None else [True] * n, dtype=bool),
        grant=np.asarray([g if g is not None else np.nan for g in grant] if grant is not None
                         else np.full(n, np.nan), dtype=np.float64),
        control=_control_codes(control, n),
    )


def _norm(name: str | None) -> str:
    return " ".join((name or "").casefold().split())


def control_keys(participants: Sequence[Participant]) -> list[str | None]:
    """One consortium's control keys: participants naming the same ``controlled_by`` share a key,
    and so does a participant whose own name is what others give as ``controlled_by``."""
    parents = {_norm(p.controlled_by) for p in participants if _norm(p.controlled_by)}
    return [_norm(p.controlled_by) or (_norm(p.name) if _norm(p.name) in parents else None)
            for p in participants]


def table_from_participants(participants: Sequence[Participant]) -> ParticipantTable:
    """A one-project table for the consortium checker."""
    return table_from_columns(
        project=[0] * len(participants),
        org_type=[p.organisation_type for p in participants],
        size=[p.size for p in participants],
        country=[p.country for p in participants],
        costs=[p.eligible_costs for p in participants],
        is_lead=[p.role == "lead" for p in participants],
        tier=[p.tier for p in participants],
        publishes=[p.publishes for p in participants],
        claims=[p.claims_funding for p in participants],
        grant=[p.grant_requested for p in participants],
        control=control_keys(participants),
        n_projects=1,
    )
