"""What the engine returns: groups, unplaced participants, quality figures and run facts."""

from __future__ import annotations

from dataclasses import dataclass, field

from locus.grouping.errors import Diagnosis


@dataclass(frozen=True)
class Group:
    label: str
    mode: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Unplaced:
    """A participant left out of the groups. reason: plain words, made from `code` (a
    diagnosis code such as "partner_shortage", or "no_compatible_group", "groups_full",
    "blocked") and `facts` by `locus.grouping.wording.unplaced_text`."""

    id: str
    reason: str
    code: str = ""
    facts: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, kw_only=True)
class Solution:
    """A grouping and how good it is.

    objective: the composite cost (lower is better; see docs/methodology/grouping.md);
    bound: a proven lower bound on it; gap = (objective - bound) / objective;
    status: OPTIMAL (proved) or FEASIBLE; phases: objective after each solver phase.
    """

    groups: tuple[Group, ...]
    unplaced: tuple[Unplaced, ...]
    objective: float
    bound: float
    gap: float
    seconds: float
    status: str
    diagnoses: tuple[Diagnosis, ...] = ()
    phases: dict[str, float] = field(default_factory=dict)
    stats: dict[str, object] = field(default_factory=dict)
    moves: tuple[tuple[str, str, str], ...] = ()

    def assignment(self) -> dict[str, str]:
        """Participant id -> group label (unplaced participants are absent)."""
        return {pid: g.label for g in self.groups for pid in g.members}

    def group(self, label: str) -> Group:
        for g in self.groups:
            if g.label == label:
                return g
        raise KeyError(label)
