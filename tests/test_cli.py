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
