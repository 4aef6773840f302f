"""What every `locus` command module shares: Django set-up on demand and the error exit.

Kept apart from `locus.cli` so that room CLIs (imported by `locus.cli`) need not import it back.
"""

from __future__ import annotations

import os

import typer
from rich.console import Console


def django_setup() -> None:
    """Configure Django for a command that needs the database (settings from the environment)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def fail(console: Console, exc: Exception, code: int = 1) -> None:
    """Print the error in one line and exit with ``code`` (never a traceback for a LocusError)."""
    console.print(f"[red]Error:[/red] {exc}")
    raise typer.Exit(code)
