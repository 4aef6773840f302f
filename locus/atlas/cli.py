"""``locus atlas load`` and ``locus atlas sites-import``: the Django side of the atlas CLI.

``register(atlas_app)`` adds these commands to the pipeline's ``locus atlas`` group (called from
``locus/cli.py``); they only parse arguments and call the atlas services.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.console import Console

from locus.errors import LocusError

console = Console(stderr=True)


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _fail(exc: Exception) -> None:
    console.print(f"[red]Error:[/red] {exc}")
    raise typer.Exit(1)


def load(atlas_dir: Path = typer.Option(None, "--atlas-dir", help="A built atlas [default: <LOCUS_DATA_DIR>/atlas]."),
         build: bool = typer.Option(False, "--build", help="Build it first from data/atlas if missing or stale."),
         force: bool = typer.Option(False, "--force", help="Load even if this build is already live.")) -> None:
    """Load a built atlas into the database (all or nothing; the previous atlas stays if it fails)."""
    _django()
    from django.conf import settings

    from locus.atlas.bundled import atlas_bundled_load, atlas_dir_default
    from locus.atlas.services import atlas_load

    try:
        if build:
            summary = atlas_bundled_load(atlas_dir=atlas_dir or atlas_dir_default(),
                                         data_dir=Path(settings.LOCUS_BUNDLED_DATA) / "atlas", force=force,
                                         say=lambda m: console.print(f"  {m}"))
            console.print(f"[green]Done[/green]: {summary}")
            return
        done = atlas_load(atlas_dir=atlas_dir or atlas_dir_default(), say=lambda m: console.print(f"  {m}"))
    except LocusError as exc:
        _fail(exc)
        return
    console.print(f"[green]Loaded[/green] build {done.checksum[:12]} ({sum(done.rows.values())} rows) in "
                  f"{done.load_seconds:.1f} s; it is now live.")


def sites_import(file: Path = typer.Argument(..., help="CSV with name,type,postcode,source,date_checked "
                                             "[,website,notes,latitude,longitude]."),
                 dry_run: bool = typer.Option(False, "--dry-run", help="Check every row; import nothing.")) -> None:
    """Import commercialisation-infrastructure sites into the registry (nothing if any row is wrong)."""
    _django()
    from django.db import transaction

    from locus.atlas.infrastructure import SiteImportError, sites_import_csv

    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(LocusError(f"cannot read {file}: {exc}"))
        return
    try:
        with transaction.atomic():
            created = sites_import_csv(text=text)
            if dry_run:
                transaction.set_rollback(True)
    except SiteImportError as exc:
        for error in exc.errors:
            console.print(f"  {file}: {error}")
        _fail(LocusError(f"{len(exc.errors)} problem(s); nothing was imported"))
        return
    console.print(f"[green]{'Checked' if dry_run else 'Imported'}[/green] {len(created)} sites from {file}.")


def register(atlas_app: typer.Typer) -> None:
    atlas_app.command("load")(load)
    atlas_app.command("sites-import")(sites_import)
