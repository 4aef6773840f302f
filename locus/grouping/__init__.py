"""Group-formation engine: fair, local, non-competing peer groups of firms (no Django).

Public API:
    groups_form(*, problem, settings) -> Solution
    groups_add_late_joiners(*, problem, settings, current) -> Solution
    groups_rebalance(*, problem, settings, current) -> Solution
    groups_explain(*, problem, settings, solution) -> Explanation
    problem_read(*, path, geocode=None) -> Problem     (CSV or XLSX; row-level errors)
"""

from __future__ import annotations

from locus.grouping.errors import (
    Diagnosis,
    GroupingInfeasibleError,
    GroupingInputError,
    GroupingSettingsError,
    RowError,
)
from locus.grouping.problem import Mode, Participant, Problem, Settings, Weights
from locus.grouping.solution import Group, Solution, Unplaced
from locus.grouping.solve import groups_form

__all__ = [
    "Diagnosis", "Group", "GroupingInfeasibleError", "GroupingInputError",
    "GroupingSettingsError", "Mode", "Participant", "Problem", "RowError", "Settings",
    "Solution", "Unplaced", "Weights", "groups_form",
]
