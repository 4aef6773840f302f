"""`locus groups form|add|rebalance` through typer's CliRunner."""

from __future__ import annotations

import csv
import json

from typer.testing import CliRunner

from locus.grouping import Mode, Problem
from locus.grouping.cli import app
from locus.grouping.io import problem_write
from tests.grouping.helpers import cluster, cohort

runner = CliRunner()


def test_form_writes_groups_and_report(tmp_path):
    path = tmp_path / "in.csv"
    problem_write(path=path, problem=cohort(60, seed=2))
    out, report = tmp_path / "groups.csv", tmp_path / "report.json"
    result = runner.invoke(app, ["form", str(path), "--min-size", "6", "--max-size", "8",
                                 "--max-km", "40", "--time-limit", "1", "--seed", "1",
                                 "--out", str(out), "--report", str(report),
                                 "--weights", "themes=2,fairness=0.3"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 60 and all(r["group"] for r in rows)
    data = json.loads(report.read_text())
    for key in ("objective", "bound", "gap", "seconds", "status", "groups", "firms"):
        assert key in data
    assert data["settings"]["weights"]["themes"] == 2.0
    assert data["groups"][0]["summary"].startswith(data["groups"][0]["label"])
    assert "objective" in result.output


def test_input_errors_exit_2_and_list_rows(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("id,sic,lat,lon\na,6201,53,-2\na,99999x,53,-2\n,6201,53,-2\n")
    result = runner.invoke(app, ["form", str(path), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    assert "in.csv:3 [id] duplicate id" in result.output
    assert "in.csv:3 [sic]" in result.output and "in.csv:4 [id] missing id" in result.output
    assert not (tmp_path / "o.csv").exists()


def test_bad_setting_exits_2(tmp_path):
    path = tmp_path / "in.csv"
    problem_write(path=path, problem=cohort(20, seed=2))
    result = runner.invoke(app, ["form", str(path), "--min-size", "9", "--max-size", "4"])
    assert result.exit_code == 2


def test_infeasible_exits_1_with_diagnosis(tmp_path):
    parts = cluster("P", 7, lat=50.12, lon=-5.54, mode=Mode.IN_PERSON)
    path = tmp_path / "in.csv"
    problem_write(path=path, problem=Problem(participants=tuple(parts)))
    result = runner.invoke(app, ["form", str(path), "--strict", "--time-limit", "1",
                                 "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 1
    assert "[in_person_shortage] No grouping can place P00" in result.output
    assert "hard constraint" not in result.output


def test_add_and_rebalance(tmp_path):
    problem = cohort(70, seed=6)
    problem = Problem(participants=tuple(
        p.__class__(**{**p.__dict__, "together": frozenset(), "avoid": frozenset()})
        for p in problem.participants))
    first = tmp_path / "first.csv"
    problem_write(path=first, problem=Problem(participants=problem.participants[:60]))
    g1 = tmp_path / "g1.csv"
    assert runner.invoke(app, ["form", str(first), "--min-size", "6", "--max-size", "9",
                               "--time-limit", "1", "--out", str(g1)]).exit_code == 0
    full = tmp_path / "full.csv"
    problem_write(path=full, problem=problem)
    g2 = tmp_path / "g2.csv"
    result = runner.invoke(app, ["add", str(full), "--current", str(g1), "--min-size", "6",
                                 "--max-size", "9", "--time-limit", "1", "--out", str(g2)])
    assert result.exit_code == 0, result.output
    assert "(new) ->" in result.output
    fewer = tmp_path / "fewer.csv"
    problem_write(path=fewer, problem=Problem(participants=problem.participants[5:]))
    g3 = tmp_path / "g3.csv"
    result = runner.invoke(app, ["rebalance", str(fewer), "--current", str(g2),
                                 "--min-size", "6", "--max-size", "9", "--time-limit", "1",
                                 "--out", str(g3)])
    assert result.exit_code == 0, result.output
