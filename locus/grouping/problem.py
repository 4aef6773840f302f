"""Typed definition of a group-formation problem: participants, weights and settings.

Everything here is plain data. Validation that needs the whole cohort (duplicate ids,
unknown ids in avoid/together, contradictions) lives in `problem_issues`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from locus.grouping.errors import GroupingSettingsError
from locus.grouping.sic import sic_code

# The 88 divisions of SIC 2007 (UK SIC 2007 = NACE Rev. 2 at division level).
SIC_DIVISIONS: frozenset[str] = frozenset(
    "01 02 03 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30"
    " 31 32 33 35 36 37 38 39 41 42 43 45 46 47 49 50 51 52 53 55 56 58 59 60 61 62 63 64 65"
    " 66 68 69 70 71 72 73 74 75 77 78 79 80 81 82 84 85 86 87 88 90 91 92 93 94 95 96 97 98"
    " 99".split()
)

# ONS/IDBR employment size bands -> representative head count (geometric mid-point).
SIZE_BANDS: dict[str, int] = {
    "0-4": 2, "5-9": 7, "10-19": 14, "20-49": 31, "50-99": 70, "100-249": 158,
    "250-499": 354, "500+": 700, "0-9": 3, "10-49": 22, "50-249": 112, "250+": 500,
}


class Mode(StrEnum):
    """How a participant can meet: online only, in person only, or either."""

    ONLINE = "online"
    IN_PERSON = "in_person"
    EITHER = "either"


def sic_normalise(text: str) -> str:
    """Return the SIC 2007 code as 4 (class) or 5 (UK subclass) digits, or raise ValueError.

    Accepts "62.01", "6201", "62012", "62.01/2", "62.1" (a spreadsheet's 62.10) and
    "6201.0"; a 3-digit number is taken as a class whose leading zero was lost ("111" -> "0111").
    The code must be in the UK SIC 2007 list (`locus.grouping.sic`); the error says which real
    codes are near it.
    """
    return sic_code(text)


@dataclass(frozen=True, kw_only=True)
class Participant:
    """One firm (its owner-manager) to be placed in a peer group."""

    id: str
    name: str = ""
    sic: str = ""
    employees: int | None = None
    size_band: str | None = None
    lat: float | None = None
    lon: float | None = None
    postcode: str | None = None
    themes: frozenset[str] = frozenset()
    mode: Mode = Mode.EITHER
    avoid: frozenset[str] = frozenset()
    together: frozenset[str] = frozenset()
    locked_group: str | None = None
    previous_groups: frozenset[str] = frozenset()

    @property
    def sic_class(self) -> str:
        return self.sic[:4]

    @property
    def sic_division(self) -> str:
        return self.sic[:2]

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def head_count(self) -> int | None:
        """Employees, or the representative head count of the size band, or None."""
        if self.employees is not None:
            return self.employees
        if self.size_band is not None:
            return SIZE_BANDS.get(self.size_band)
        return None

    @property
    def can_meet_online(self) -> bool:
        return self.mode in (Mode.ONLINE, Mode.EITHER)

    @property
    def can_meet_in_person(self) -> bool:
        return self.mode in (Mode.IN_PERSON, Mode.EITHER) and self.has_location


@dataclass(frozen=True, kw_only=True)
class Weights:
    """Weights of the soft goals. Each is the cost of one unit of that criterion.

    themes: a pair sharing no learning theme; size: a pair whose head counts differ tenfold;
    sector: each member beyond the per-division cap; travel: an in-person pair max_km apart;
    repeat: a pair that met once before (grows with the square of past meetings);
    fairness: how much the worst group's mean pair cost counts, per participant;
    in_person: an either-mode firm with a location placed in an online group.
    """

    themes: float = 1.0
    size: float = 1.0
    sector: float = 1.0
    travel: float = 1.0
    repeat: float = 2.0
    fairness: float = 0.5
    in_person: float = 1.0

    def __post_init__(self) -> None:
        for name in ("themes", "size", "sector", "travel", "repeat", "fairness", "in_person"):
            value = getattr(self, name)
            if not math.isfinite(value) or value < 0 or value > 1000:
                raise GroupingSettingsError(f"weight {name}={value} must be between 0 and 1000")


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Size bounds, distances, weights and solver controls."""

    min_size: int = 8
    max_size: int = 10
    max_km: float = 40.0
    competitor_km: float = 25.0
    sector_cap: int = 2
    weights: Weights = field(default_factory=Weights)
    time_limit: float = 10.0
    seed: int = 1
    num_workers: int = 2
    allow_unplaced: bool = True

    def __post_init__(self) -> None:
        if not 2 <= self.min_size <= self.max_size <= 60:
            raise GroupingSettingsError(
                f"group sizes must satisfy 2 <= min_size <= max_size <= 60 "
                f"(got {self.min_size}..{self.max_size})")
        if not (self.max_km > 0 and self.competitor_km >= 0):
            raise GroupingSettingsError("max_km must be > 0 and competitor_km >= 0")
        if self.sector_cap < 1:
            raise GroupingSettingsError("sector_cap must be at least 1")
        if not (0 < self.time_limit <= 24 * 3600):
            raise GroupingSettingsError("time_limit must be between 0 and 86400 seconds")
        if not 1 <= self.num_workers <= 64:
            raise GroupingSettingsError("num_workers must be between 1 and 64")


@dataclass(frozen=True, kw_only=True)
class Problem:
    """A cohort to group. Participants must have unique ids (see `problem_issues`)."""

    participants: tuple[Participant, ...]

    def by_id(self) -> dict[str, Participant]:
        return {p.id: p for p in self.participants}


@dataclass(frozen=True)
class Issue:
    """A validation problem tied to a participant id and a field."""

    participant_id: str
    field: str
    message: str


def problem_issues(*, problem: Problem) -> list[Issue]:
    """Cross-participant checks: duplicates, unknown ids, contradictions, missing locations."""
    issues: list[Issue] = []
    seen: set[str] = set()
    for p in problem.participants:
        if not p.id:
            issues.append(Issue("", "id", "missing id"))
        elif p.id in seen:
            issues.append(Issue(p.id, "id", f"duplicate id {p.id!r}"))
        seen.add(p.id)
    for p in problem.participants:
        issues.extend(_participant_issues(p, seen))
    avoided = problem_symmetric_pairs(problem=problem, attribute="avoid")
    for a, b in sorted(problem_symmetric_pairs(problem=problem, attribute="together") & avoided):
        issues.append(Issue(a, "together", f"{a!r} and {b!r} are both avoided and kept together"))
    return issues


def _participant_issues(p: Participant, ids: set[str]) -> list[Issue]:
    out: list[Issue] = []
    for fld in ("avoid", "together"):
        for other in sorted(getattr(p, fld)):
            if other not in ids:
                out.append(Issue(p.id, fld, f"unknown id {other!r}"))
            elif other == p.id:
                out.append(Issue(p.id, fld, "a participant cannot list itself"))
    if p.mode is Mode.IN_PERSON and not p.has_location:
        out.append(Issue(p.id, "mode", "in-person participants need a postcode or lat/lon"))
    if p.employees is not None and p.employees < 0:
        out.append(Issue(p.id, "employees", "employees cannot be negative"))
    if p.size_band is not None and p.size_band not in SIZE_BANDS:
        out.append(Issue(p.id, "size_band", f"unknown size band {p.size_band!r}"))
    return out


def problem_symmetric_pairs(*, problem: Problem, attribute: str) -> set[tuple[str, str]]:
    """Pairs (a, b) with a < b named in either participant's `avoid` or `together`."""
    pairs: set[tuple[str, str]] = set()
    for p in problem.participants:
        for other in getattr(p, attribute):
            if other != p.id:
                pairs.add((min(p.id, other), max(p.id, other)))
    return pairs
