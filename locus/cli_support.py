"""What every `locus` command module shares: Django set-up on demand and the error exit.

Kept apart from `locus.cli` so that room CLIs (imported by `locus.cli`) need not import it back.
"""

from __future__ import annotations

import os

import typer
from rich.console import Console
from rich.markup import escape


def django_setup() -> None:
    """Configure Django for a command that needs the database (settings from the environment)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def fail(console: Console, exc: Exception, code: int = 1) -> None:
    """Print the error in one line and exit with ``code`` (never a traceback for a LocusError).

    The message is printed as typed (square brackets in a file name are not Rich markup) and not
    broken at the console's width, so a long path stays whole for copying and searching."""
    console.print(f"[red]Error:[/red] {escape(str(exc))}", soft_wrap=True)
    raise typer.Exit(code)
