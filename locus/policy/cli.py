"""`locus policy ...`: import a newer STIP Compass edition; print the cost model."""

from __future__ import annotations

import functools
from pathlib import Path

import typer
from rich.console import Console

from locus.cli_support import django_setup, exit_statuses, fail, output_path_check
from locus.errors import LocusError

app = typer.Typer(help="Policy learning: the case library's STIP layer and the cost model.",
                  no_args_is_help=True)
console = Console(stderr=True)
_django = django_setup
_fail = functools.partial(fail, console)
REPO_ROOT = Path(__file__).resolve().parents[2]
CODEBOOK = REPO_ROOT / "data" / "policy" / "stip_codebook.json"


@app.command("import-stip")
@exit_statuses
def import_stip(
    file: Path = typer.Argument(..., help="A STIP Compass extract: STIP_Survey.csv ('|'-separated, "
                                "from stip.oecd.org) or a comma-separated .csv/.csv.gz."),
    codebook: Path = typer.Option(CODEBOOK, help="Codebook JSON for theme, target-group and "
                                  "instrument labels (made by data/policy/derive_codebook.py)."),
    bundle_out: Path = typer.Option(None, help="Also write the compact bundle here (to replace "
                                    "data/policy/stip_compass_2021.jsonl.gz)."),
    dry_run: bool = typer.Option(False, help="Read and check the file only."),
):
    """Replace the STIP Compass layer of the library from an extract (re-runnable)."""
    from locus.policy.stip import codebook_read, stip_bundle_write, stip_extract_read

    try:
        if bundle_out:
            output_path_check("--bundle-out", bundle_out)
        if dry_run or bundle_out:
            edition = stip_extract_read(file, codebook=codebook_read(codebook))
            console.print(f"Read {len(edition.initiatives):,} initiatives ({edition.edition} "
                          f"edition); skipped {len(edition.skipped)} without a name.")
            if bundle_out:
                stats = stip_bundle_write(edition, bundle_out)
                console.print(f"[green]Wrote[/green] {bundle_out} ({stats['bytes']:,} bytes)")
            if dry_run:
                return
        _django()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        from locus.policy.loaders import stip_import

        summary = stip_import(extract=file, codebook_path=codebook,
                              say=lambda s: console.print(f"  {s}"))
    except LocusError as exc:  # the extract, the codebook or an option (ADR 0031)
        _fail(exc, code=2)
    lost = summary.get("links_lost", 0)
    console.print(f"[green]Imported[/green] {summary['initiatives']:,} initiatives of the {summary['edition']} "
                  f"edition with {summary['tags']:,} tags; {summary['links_kept']:,} links from local cases kept"
                  + (f", {lost:,} lost (their initiative is not in this edition)" if lost else ""))


@app.command("cost-model")
@exit_statuses
def cost_model(file: Path = typer.Option(REPO_ROOT / "data" / "policy" / "cost_model.yaml",
                                         help="Cost-model assumptions (YAML).")):
    """Print the default scenario: cost per measure, total, and the biggest sensitivities."""
    from locus.policy import costs
    from locus.policy.files import cost_assumptions_read

    try:
        assumptions, _, _ = cost_assumptions_read(file)
        result = costs.breakdown(costs.defaults(assumptions))
    except LocusError as exc:  # the assumptions file
        _fail(exc, code=2)
    for m, title in costs.MEASURES.items():
        typer.echo(f"Measure {m}: £{result.by_measure[m]:,.0f}  {title}")
    typer.echo(f"Total: £{result.total:,.0f} a year ({costs.verdict(result.total)} the brief's "
               "£10-15m a year)")
    typer.echo(f"  {costs.reliance(assumptions, result).sentence()}")
    typer.echo(f"  the range: {costs.BRIEF_SOURCE}, {costs.BRIEF_SECTION}")
    mine = [a.label for a in assumptions.values() if a.basis == "assumption"]
    typer.echo(f"  {len(assumptions) - len(mine)} inputs come from cited sources (each with its "
               f"section in {file.name}); {len(mine)} are Locus's assumptions, which you can change")
    for s in costs.sensitivity(assumptions)[:5]:
        typer.echo(f"  swing £{s.swing:,.0f}: {s.label} ({_plain(s.low_value)} to {_plain(s.high_value)})")


def _plain(value: float) -> str:
    """3000000 -> '3,000,000', 0.25 -> '0.25' (never '3e+06')."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
