"""Error types of the group-formation engine (all subclasses of GroupingError)."""

from __future__ import annotations

from dataclasses import dataclass

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
    """Why a problem (or part of it) cannot be solved: the constraint and who is involved."""

    constraint: str
    message: str
    participant_ids: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"[{self.constraint}] {self.message}"


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
    """No grouping satisfies the hard constraints; carries a diagnosis for each cause."""

    def __init__(self, diagnoses: list[Diagnosis] | tuple[Diagnosis, ...]) -> None:
        self.diagnoses = tuple(diagnoses)
        body = "\n".join(f"  - {d}" for d in self.diagnoses)
        super().__init__(f"the grouping problem is infeasible:\n{body}")
