"""The `locus` command line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from locus.cli import app

runner = CliRunner()


@pytest.mark.parametrize("args", [[], ["serve"], ["load"], ["data"], ["data", "postcodes"],
                                  ["users"], ["users", "create"]])
def test_every_command_has_help(args):
    result = runner.invoke(app, [*args, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


@pytest.mark.django_db
def test_load_is_idempotent_and_reports():
    result = runner.invoke(app, ["load", "--force"])
    assert result.exit_code == 0, result.output
    assert "621" in result.output
    again = runner.invoke(app, ["load"])
    assert again.exit_code == 0 and "up to date" in again.output


@pytest.mark.django_db
def test_users_create_refuses_an_unknown_role():
    result = runner.invoke(app, ["users", "create", "bob", "--email", "b@example.org",
                                 "--role", "wizard", "--password", "long-enough-passphrase-1"])
    assert result.exit_code == 2 and "Unknown role" in result.output


def test_generated_cli_reference_is_up_to_date():
    from pathlib import Path

    from locus.clidocs import cli_reference_markdown

    path = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
    assert path.read_text() == cli_reference_markdown(app), "run `make docs` to regenerate docs/cli.md"


def test_an_error_prints_on_one_line_exactly_as_raised():
    """A long path is not broken at the console's width, and brackets in it are not Rich markup."""
    import io

    import typer
    from rich.console import Console

    from locus.cli_support import fail
    from locus.errors import LocusError

    out = io.StringIO()
    console = Console(file=out, width=40, color_system=None)
    message = "file /tmp/a-very-long-folder-name/[bold]draft[/bold] v2/missing.csv: cannot read the file"
    with pytest.raises(typer.Exit) as exited:
        fail(console, LocusError(message))
    assert exited.value.exit_code == 1
    assert out.getvalue() == f"Error: {message}\n"
