"""Problem definition: SIC codes, settings validation, cross-participant checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from locus.grouping import GroupingSettingsError, Problem, Settings, Weights
from locus.grouping.problem import problem_issues, sic_normalise
from tests.grouping.helpers import firm


@pytest.mark.parametrize("text,code", [("62.01", "6201"), ("6201", "6201"), ("62012", "62012"),
                                       ("62.01/2", "62012"), ("10.2", "1020"), ("111", "0111"),
                                       ("6201.0", "6201"), (" 01.11 ", "0111")])
def test_sic_normalise(text, code):
    assert sic_normalise(text) == code


@pytest.mark.parametrize("text", ["04.11", "abc", "12", "620123", "", "62.1", "12.34", "62019"])
def test_sic_rejects(text):
    with pytest.raises(ValueError):
        sic_normalise(text)


@pytest.mark.parametrize("kwargs", [{"min_size": 9, "max_size": 8}, {"min_size": 1},
                                    {"max_km": 0}, {"sector_cap": 0}, {"time_limit": 0},
                                    {"num_workers": 0}])
def test_settings_validation(kwargs):
    with pytest.raises(GroupingSettingsError):
        Settings(**kwargs)


def test_weights_validation():
    with pytest.raises(GroupingSettingsError):
        Weights(themes=-1)


def test_problem_issues():
    parts = (firm("a", avoid=frozenset({"b"})), firm("b", together=frozenset({"a"})),
             firm("a"), firm("c", avoid=frozenset({"zz"})))
    issues = problem_issues(problem=Problem(participants=parts))
    fields = {(i.participant_id, i.field) for i in issues}
    assert ("a", "id") in fields and ("c", "avoid") in fields and ("a", "together") in fields


def test_package_imports_without_django():
    code = ("import sys, locus.grouping, locus.grouping.cli, locus.grouping.incremental; "
            "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) "
            "else 0)")
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=str(root), env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr
