"""`locus groups ...`: form, add (late joiners) and rebalance (drop-outs).

Exit codes: 0 success, 1 infeasible (the diagnosis is printed), 2 input errors (every bad
row is printed with file, line and field).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from locus.cli_support import OutputPathError, exit_statuses, fail, output_path_check
from locus.errors import PostcodeError
from locus.grouping.errors import (
    GroupingInfeasibleError,
    GroupingInputError,
    GroupingSettingsError,
)
from locus.grouping.explain import groups_explain
from locus.grouping.io import assignment_read, groups_write, problem_read
from locus.grouping.problem import Problem, Settings, Weights
from locus.grouping.report import report_build, report_write
from locus.grouping.solution import Solution

app = typer.Typer(help="Form fair, local, non-competing peer groups of firms.",
                  no_args_is_help=True)
console = Console()
err = Console(stderr=True, soft_wrap=True)

INPUT = typer.Argument(..., help="Cohort file (.csv or .xlsx); see docs/guide/peer-groups-engine.md")
OUT = typer.Option(Path("groups.csv"), "--out", help="Where to write id,group")
REPORT = typer.Option(None, "--report", help="Where to write the JSON report")
CURRENT = typer.Option(..., "--current", help="Current id,group file")


def _default_geocode() -> Callable[[str], tuple[float, float] | None] | None:
    """The bundled postcode table, if this installation has it (imported lazily)."""
    try:
        from locus.geography.postcodes import default_index
    except ImportError:
        return None
    index = default_index()

    def geocode(text: str) -> tuple[float, float] | None:
        found = index.lookup(text)
        if not found.has_location:
            raise PostcodeError(f"postcode {found.postcode!r} has no grid reference in the "
                                "bundled table; give lat and lon instead",
                                postcode=found.postcode, reason="no_location")
        return found.lat, found.lon

    return geocode


def _weights(text: str) -> Weights:
    values = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, number = item.partition("=")
        try:
            values[name.strip()] = float(number)
        except ValueError as exc:
            raise GroupingSettingsError(f"bad weight {item!r}; use name=number") from exc
    try:
        return Weights(**values)
    except TypeError as exc:
        raise GroupingSettingsError(f"unknown weight in {text!r}") from exc


def _fail(exc: Exception) -> None:
    if isinstance(exc, OutputPathError):
        fail(err, exc, code=2)
    if isinstance(exc, GroupingInputError):
        err.print(f"[bold red]{len(exc.errors)} input error(s); nothing was solved:[/]")
        for e in exc.errors:
            err.print(f"  {e.file}:{e.line if e.line is not None else '-'} [{e.field}] "
                      f"{e.message}", markup=False)
        raise typer.Exit(2)
    if isinstance(exc, GroupingSettingsError):
        err.print(f"[bold red]bad setting:[/] {escape(str(exc))}")
        raise typer.Exit(2)
    err.print("[bold red]No grouping keeps every rule (infeasible):[/]")
    for d in exc.diagnoses:
        err.print(f"  - [{d.constraint}] {d.message}", markup=False)
    raise typer.Exit(1)


def _show(solution: Solution, explanation) -> None:
    table = Table(title=f"{len(solution.groups)} groups")
    for col in ("group", "mode", "size", "themes shared", "furthest km", "mean pair cost"):
        table.add_column(col)
    for g in explanation.groups:
        table.add_row(g.label, g.mode, str(g.size), f"{g.pairs_sharing_theme}/{g.pairs}",
                      "-" if g.furthest_km is None else f"{g.furthest_km:.1f}",
                      f"{g.mean_pair_cost:.2f}")
    console.print(table)
    console.print(f"objective {solution.objective:.2f}  bound {solution.bound:.2f}  "
                  f"gap {100 * solution.gap:.1f}%  status {solution.status}  "
                  f"{solution.seconds:.1f} s")
    for u in solution.unplaced:
        err.print(f"[yellow]unplaced[/] {u.id}: {u.reason}", markup=True)


def _output(problem: Problem, settings: Settings, solution: Solution, out: Path,
            report: Path | None) -> None:
    explanation = groups_explain(problem=problem, settings=settings, solution=solution)
    groups_write(path=out, problem=problem, assignment=solution.assignment())
    if report is not None:
        report_write(path=report, report=report_build(settings=settings, solution=solution,
                                                      explanation=explanation))
    _show(solution, explanation)


def _outputs_check(out: Path, report: Path | None) -> None:
    """Refuse output paths that cannot be written before anything is solved (OutputPathError:
    "cannot write --out PATH: reason", the check every command shares)."""
    for option, path in (("--out", out), ("--report", report)):
        if path is not None:
            output_path_check(option, path)


def _settings(**kwargs) -> Settings:
    weights = _weights(kwargs.pop("weights"))
    workers = kwargs.pop("workers")
    strict = kwargs.pop("strict")
    return Settings(weights=weights, num_workers=workers, allow_unplaced=not strict, **kwargs)


@app.command("form")
@exit_statuses(fails="no grouping keeps every rule (the diagnosis is printed)")
def form(input: Path = INPUT, min_size: int = 8, max_size: int = 10, max_km: float = 40.0,
         competitor_km: float = 25.0, sector_cap: int = 2, time_limit: float = 10.0,
         seed: int = 1, workers: int = 2,
         weights: str = typer.Option("", help="e.g. themes=1,size=1,fairness=0.5"),
         strict: bool = typer.Option(False, help="Fail if anyone cannot be placed"),
         out: Path = OUT, report: Path | None = REPORT) -> None:
    """Form groups from INPUT and write id,group (and a JSON report)."""
    from locus.grouping.solve import groups_form

    try:
        settings = _settings(min_size=min_size, max_size=max_size, max_km=max_km,
                             competitor_km=competitor_km, sector_cap=sector_cap,
                             time_limit=time_limit, seed=seed, workers=workers,
                             weights=weights, strict=strict)
        _outputs_check(out, report)
        problem = problem_read(path=input, geocode=_default_geocode())
        solution = groups_form(problem=problem, settings=settings)
    except (GroupingInputError, GroupingInfeasibleError, GroupingSettingsError,
            OutputPathError) as exc:
        _fail(exc)
    _output(problem, settings, solution, out, report)


def _incremental(kind: str, input: Path, current: Path, settings_kwargs: dict, out: Path,
                 report: Path | None) -> None:
    from locus.grouping.incremental import groups_add_late_joiners, groups_rebalance

    run = groups_add_late_joiners if kind == "add" else groups_rebalance
    try:
        settings = _settings(**settings_kwargs, strict=False)
        _outputs_check(out, report)
        problem = problem_read(path=input, geocode=_default_geocode())
        solution = run(problem=problem, settings=settings,
                       current=assignment_read(path=current))
    except (GroupingInputError, GroupingInfeasibleError, GroupingSettingsError,
            OutputPathError) as exc:
        _fail(exc)
    _output(problem, settings, solution, out, report)
    for pid, frm, to in solution.moves:
        console.print(f"move {pid}: {frm or '(new)'} -> {to or '(unplaced)'}", markup=False)


WEIGHTS = typer.Option("", help="e.g. themes=1,size=1,fairness=0.5")


@app.command("add")
@exit_statuses(fails="no grouping keeps every rule (the diagnosis is printed)")
def add(input: Path = INPUT, current: Path = CURRENT, min_size: int = 8, max_size: int = 10,
        max_km: float = 40.0, competitor_km: float = 25.0, sector_cap: int = 2,
        time_limit: float = 10.0, seed: int = 1, workers: int = 2, weights: str = WEIGHTS,
        out: Path = OUT, report: Path | None = REPORT) -> None:
    """Place late joiners (in INPUT, not in --current) without moving anyone else."""
    _incremental("add", input, current, dict(
        min_size=min_size, max_size=max_size, max_km=max_km, competitor_km=competitor_km,
        sector_cap=sector_cap, time_limit=time_limit, seed=seed, workers=workers,
        weights=weights), out, report)


@app.command("rebalance")
@exit_statuses(fails="no grouping keeps every rule (the diagnosis is printed)")
def rebalance(input: Path = INPUT, current: Path = CURRENT, min_size: int = 8,
              max_size: int = 10, max_km: float = 40.0, competitor_km: float = 25.0,
              sector_cap: int = 2, time_limit: float = 10.0, seed: int = 1, workers: int = 2,
              weights: str = WEIGHTS, out: Path = OUT, report: Path | None = REPORT) -> None:
    """Restore group sizes after drop-outs (in --current, not in INPUT) with fewest moves."""
    _incremental("rebalance", input, current, dict(
        min_size=min_size, max_size=max_size, max_km=max_km, competitor_km=competitor_km,
        sector_cap=sector_cap, time_limit=time_limit, seed=seed, workers=workers,
        weights=weights), out, report)
