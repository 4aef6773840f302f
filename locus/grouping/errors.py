"""Error types of the group-formation engine (all subclasses of GroupingError)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from locus.errors import GroupingError


@dataclass(frozen=True)
class RowError:
    """One problem with one input row: which file, line and field, and what is wrong."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}" + (f", line {self.line}" if self.line is not None else "")
        return f"{where}, field {self.field!r}: {self.message}"


@dataclass(frozen=True)
class Diagnosis:
    """Why a problem (or part of it) cannot be solved.

    constraint: a machine-readable code (`locus.grouping.wording.DIAGNOSIS_CODES`);
    message: the plain-words explanation, made from `facts` (the numbers and ids behind it) by
    `locus.grouping.wording.diagnosis_text`, so a program that stores the code and facts can
    show today's wording later; participant_ids: who is involved.
    """

    constraint: str
    message: str
    participant_ids: tuple[str, ...] = ()
    facts: Mapping[str, object] = field(default_factory=dict, compare=False)

    @property
    def code(self) -> str:
        return self.constraint

    def __str__(self) -> str:
        return f"[{self.constraint}] {self.message}"

    @classmethod
    def of(cls, code: str, ids: tuple[str, ...] = (), **facts) -> Diagnosis:
        """A diagnosis whose message is made from its facts."""
        from locus.grouping.wording import diagnosis_text

        return cls(code, diagnosis_text(code, facts), tuple(ids), dict(facts))


class GroupingInputError(GroupingError):
    """The input data is malformed; nothing was solved. Carries every row-level error."""

    def __init__(self, errors: list[RowError] | tuple[RowError, ...]) -> None:
        self.errors = tuple(errors)
        lines = "\n".join(f"  - {e}" for e in self.errors[:50])
        more = f"\n  ... and {len(self.errors) - 50} more" if len(self.errors) > 50 else ""
        super().__init__(f"{len(self.errors)} input error(s):\n{lines}{more}")


class GroupingSettingsError(GroupingError):
    """A setting is out of range (for example min_size > max_size)."""


class GroupingInfeasibleError(GroupingError):
    """No grouping keeps every rule (sizes, competitors and firms kept apart, keep-together
    links, locks, meeting mode, distance); carries a diagnosis for each cause."""

    def __init__(self, diagnoses: list[Diagnosis] | tuple[Diagnosis, ...]) -> None:
        self.diagnoses = tuple(diagnoses)
        body = "\n".join(f"  - {d.message}" for d in self.diagnoses)
        super().__init__(f"no grouping keeps every rule:\n{body}")
