"""`locus collaboration ...`: check consortia, run the mandate simulator and export network
indicators; `locus data fetch gtr` and `locus data import innovate-uk` (added to `locus data` by
``register_data``) fetch and import participant-level grants. Commands only parse arguments and
call services."""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from locus.cli_support import (
    django_setup,
    exit_statuses,
    fail,
    output_path_check,
    rows_print,
    text_file_read,
)
from locus.errors import LocusError

app = typer.Typer(help="Collaboration: consortium rules, grant data, mandate simulator, networks.",
                  no_args_is_help=True)
console = Console()
_django = django_setup
_fail = functools.partial(fail, console)
DEFAULT_CACHE = Path("var") / "gtr-cache"
# under <LOCUS_DATA_DIR> (never data/, whose copy is bundled: see export_network)
INDICATORS_NAME = "collaboration/network_indicators.csv"


@app.command("rule-sets")
@exit_statuses
def rule_sets() -> None:
    """List the rule sets with their version and status (sources: the web page or API)."""
    from locus.collaboration.rules.model import rule_set_list

    rows_print(console, ["id", "version", "status", "title"],
               [[rs.id, rs.version, rs.status, rs.title] for rs in rule_set_list()], whole=(0, 1, 2))


@app.command("check")
@exit_statuses(fails="the consortium fails a required check (the whole report is printed first)")
def check(consortium: Path = typer.Argument(..., exists=True, dir_okay=False,
                                            help="JSON file: {\"participants\": [...], "
                                            "\"parameters\": {}} as for the API."),
          rule_set: str = typer.Option("all", help="A rule set id, or 'all'.")) -> None:
    """Check a consortium against one rule set or all of them (with 'all', it passes when it passes
    every rule set). A missing or unreadable file, bad JSON or fields and an unknown rule set are
    wrong input."""
    from locus.collaboration.rules.engine import consortium_check, participants_validate
    from locus.collaboration.rules.model import FieldErrors, rule_set_list

    try:
        body = json.loads(text_file_read(consortium))
        if not isinstance(body, dict):
            raise FieldErrors([("(file)", 'give an object: {"participants": [...], "parameters": {}}')])
        participants = participants_validate(body.get("participants"))
        ids = [rs.id for rs in rule_set_list()] if rule_set == "all" else [rule_set]
        # every rule set is checked before anything is printed: bad input prints no half report
        reports = [consortium_check(rule_set_id=rs_id, participants=participants,
                                    parameters=body.get("parameters") if rule_set != "all" else {})
                   for rs_id in ids]
    except json.JSONDecodeError as exc:
        _fail(f"file {consortium}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
              code=2)
    except (LocusError, OSError) as exc:
        _fail(exc, code=2)
    for report in reports:
        verdict = "[green]passes[/green]" if report.passed else "[red]fails[/red]"
        console.print(f"\n[bold]{report.title}[/bold] (v{report.version}): {verdict}")
        for c in report.checks:
            mark = "PASS" if c.passed else ("ADVICE" if c.severity == "advisory" else "FAIL")
            console.print(f"  {mark:6} {c.label}: {c.message}")
    if not all(report.passed for report in reports):
        raise typer.Exit(1)


@exit_statuses
def import_innovate_uk(workbook: Path = typer.Argument(..., exists=True, dir_okay=False,
                                                       help="Innovate UK funded-projects workbook (.xlsx or .xls)."),
                       name: str = typer.Option(None, help="Label for the dataset.")) -> None:
    """Import Innovate UK's funded-projects workbook (all rows or nothing; re-import replaces).

    A file that is not the funded-projects workbook, or has a bad cell, is wrong input (every
    problem is listed with its line and column; nothing is imported)."""
    _django()
    from locus.collaboration.selectors import participant_datasets
    from locus.collaboration.services import innovate_uk_import

    try:
        summary = innovate_uk_import(path=workbook, display_name=name)
    except LocusError as exc:  # the workbook's content (ADR 0031: wrong input)
        _fail(exc, code=2)
        return
    title = next((d.title for d in participant_datasets() if d.key == summary["dataset"]), summary["dataset"])
    console.print(_imported_sentence(summary, title=title), soft_wrap=True)


_MATCH_WORDS = {"identifier": "by Companies House number or other identifier", "exact": "by exact name",
                "fuzzy": "by a close name", "review": "left for review", "new": "new to the registry"}


def _imported_sentence(summary: dict, *, title: str) -> str:
    """``innovate_uk_import``'s summary in words, for people (not a Python dict)."""
    def n(count: int, word: str) -> str:
        return f"{count:,} {word}{'' if count == 1 else 's'}"

    matches = summary.get("matches") or {}
    matched = "; ".join(f"{count:,} {_MATCH_WORDS.get(kind, kind)}" for kind, count in matches.items() if count)
    text = (f"[green]Imported[/green] {n(summary['projects'], 'project')} and "
            f"{n(summary['participations'], 'participation')} from {escape(str(summary.get('file', '')))} as "
            f"\"{escape(title)}\" (dataset {escape(summary['dataset'])}).")
    if matched:
        text += f" Organisations: {matched}."
    if summary.get("withdrawn_skipped"):
        text += f" Skipped {n(summary['withdrawn_skipped'], 'withdrawn row')}."
    if summary.get("replaced_from_earlier_imports"):
        text += (f" Replaced {n(summary['replaced_from_earlier_imports'], 'project')} that an earlier "
                 "import held.")
    return text


@exit_statuses
def fetch_gtr(since: str = typer.Option(None, help="Only projects starting on or after this "
                                        "date (YYYY-MM-DD)."),
              funder: str = typer.Option(None, help="Lead funder, e.g. 'Innovate UK' or 'EPSRC'."),
              cache_dir: Path = typer.Option(DEFAULT_CACHE, help="Resumable on-disk cache."),
              max_pages: int = typer.Option(None, help="Stop after this many pages of 100."),
              delay: float = typer.Option(0.5, help="Seconds between requests (be polite)."),
              fresh: bool = typer.Option(False, help="Ignore cached pages of project lists.")) -> None:
    """Fetch projects, organisations and funds from Gateway to Research and import them.

    Uses API 2 with JSON v7, a polite delay, retries with back-off and an on-disk cache: an
    interrupted run resumes from the cache when started again, without duplicates."""
    _django()
    from locus.collaboration.connectors.gtr import DiskCache, GtrClient
    from locus.collaboration.connectors.gtr_records import gtr_fetch
    from locus.collaboration.gtr_import import gtr_import

    try:
        start = dt.date.fromisoformat(since) if since else None
    except ValueError:
        _fail(LocusError(f"--since {since!r} is not a date (use YYYY-MM-DD)"), code=2)
    folder = cache_dir / f"{(funder or 'all').replace(' ', '-').lower()}-{since or 'all'}"
    if fresh:
        for path in folder.glob("*.json"):
            if '"totalPages"' in path.read_text(errors="ignore")[:400]:
                path.unlink()
    try:
        client = GtrClient(cache=DiskCache(folder), delay=delay)
        result = gtr_fetch(client, funder=funder, since=start, max_pages=max_pages)
        summary = gtr_import(result=result, funder=funder, since=start)
    except LocusError as exc:
        _fail(exc)
    console.print(f"[green]Fetched[/green] {result.pages} page(s), {result.requests} request(s), "
                  f"{result.cache_hits} from the cache; imported {summary}")


@app.command("simulate")
@exit_statuses
def simulate_cmd(rule_set: str = typer.Option(..., help="Rule set id (see rule-sets)."),
                 param: list[str] = typer.Option(None, help="Parameter override name=value."),
                 funder: str = typer.Option(None, help="Only this funder's projects."),
                 out: Path = typer.Option(None, help="Write the full result as CSV here.")) -> None:
    """Apply a rule set to the loaded participant-level portfolio.

    An unknown rule set, a bad --param and an --out that cannot be written (its folder must exist)
    are wrong input, refused before anything runs; no participant-level data loaded is status 1."""
    _django()
    from locus.collaboration.selectors import portfolio_get, portfolio_provenance
    from locus.collaboration.simulation import MONEY_BASIS_MIXED, result_csv, simulate

    try:
        if out:
            output_path_check("--out", out)
        bad = [p for p in (param or []) if "=" not in p or not p.split("=", 1)[0].strip()]
        if bad:
            raise LocusError(f"--param takes name=value, such as --param max_partners=8 (got {bad[0]!r})")
    except LocusError as exc:
        _fail(exc, code=2)
        return
    overrides = {k.strip(): v.strip() for k, v in (p.split("=", 1) for p in (param or []))}
    try:
        portfolio = portfolio_get(funder=funder)
    except LocusError as exc:  # a --funder it does not know
        _fail(exc, code=2)
        return
    if not len(portfolio):
        _fail(LocusError("No participant-level data is loaded: run 'locus data import "
                         "innovate-uk FILE.xlsx' or 'locus data fetch gtr' first."))
        return
    try:
        result = simulate(portfolio, rule_set_id=rule_set, parameters=overrides)
    except (LocusError, ValueError) as exc:  # an unknown rule set or parameter value
        _fail(exc, code=2)
        return
    console.print(f"{result.compliant_projects:,} of {result.projects:,} projects "
                  f"({(result.project_share or 0):.1%}) and {(result.money_share or 0):.1%} of "
                  f"£{result.money:,.0f} would comply with {result.rule_set_title}.")
    console.print(f"Money basis: {result.money_basis}"
                  + (f" (£{result.money_from_eligible_costs:,.0f} of it eligible costs)"
                     if result.money_basis == MONEY_BASIS_MIXED else "") + ".")
    for change in result.changes:
        console.print(f"  - {change['text']}")
    if out:
        out.write_text(result_csv(result, provenance=portfolio_provenance()), encoding="utf-8")
        console.print(f"[green]Wrote[/green] {out}")


def _bundled_data_dir() -> Path:
    """The repository's data/ folder (the bundled inputs, under version control)."""
    from django.conf import settings

    return Path(settings.LOCUS_BUNDLED_DATA).resolve()


@app.command("export-network")
@exit_statuses
def export_network(dataset: str = typer.Option("wales-network-2017", help="Dataset key."),
                   out: Path = typer.Option(None, help="CSV or .parquet path.",
                                            show_default=f"<LOCUS_DATA_DIR>/{INDICATORS_NAME}"),
                   levels: str = typer.Option("lad,itl3", help="Area levels, comma-separated."),
                   overwrite_bundled: bool = typer.Option(
                       False, "--overwrite-bundled",
                       help="Allow --out inside the repository's data/ folder: only to regenerate the "
                            "bundled data/collaboration/network_indicators.csv (data/collaboration/SOURCES.md).")
                   ) -> None:
    """Write network indicators per place (the atlas pipeline reads this table as an input).

    The table goes to <LOCUS_DATA_DIR>/collaboration/network_indicators.csv unless --out says
    otherwise (its folder must exist: it is never created). An --out inside the repository's data/
    folder is refused (exit 2) without --overwrite-bundled, so that an export never replaces the
    bundled file by accident. An unknown dataset is wrong input."""
    _django()
    from django.conf import settings

    from locus.collaboration.indicators import network_indicators_export

    if out is None:  # Locus's own data folder: made on first use, as `locus build` makes its atlas/
        out = Path(settings.LOCUS_DATA_DIR) / INDICATORS_NAME
        out.parent.mkdir(parents=True, exist_ok=True)
    bundled = _bundled_data_dir()
    if out.resolve().is_relative_to(bundled) and not overwrite_bundled:
        _fail(LocusError(f"--out {out} is inside the repository's bundled data folder ({bundled}): "
                         "give another path, or add --overwrite-bundled to regenerate the bundled file "
                         "on purpose (data/collaboration/SOURCES.md)"), code=2)
    try:
        output_path_check("--out", out)
        rows = network_indicators_export(dataset_key=dataset, out=out,
                                         levels=[lv.strip() for lv in levels.split(",")])
    except LocusError as exc:  # the --out path, or an unknown dataset key
        _fail(exc, code=2)
    console.print(f"[green]Wrote[/green] {rows} rows to {escape(str(out))}", soft_wrap=True)  # the path whole


def _group(parent: typer.Typer, name: str, help_text: str) -> typer.Typer:
    """The sub-app ``name`` of ``parent``: reused if another room added it already."""
    for info in parent.registered_groups:
        if info.name == name and info.typer_instance is not None:
            return info.typer_instance
    group = typer.Typer(help=help_text, no_args_is_help=True)
    parent.add_typer(group, name=name)
    return group


def register_data(data_app: typer.Typer) -> None:
    """Add `locus data fetch gtr` and `locus data import innovate-uk`."""
    fetch = _group(data_app, "fetch", "Fetch data from external services into the database.")
    imports = _group(data_app, "import", "Import published data files into the database.")
    fetch.command("gtr")(fetch_gtr)
    imports.command("innovate-uk")(import_innovate_uk)
