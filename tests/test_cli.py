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


PASSWORD = "long-enough-passphrase-1"


def _create(username, *extra, password=PASSWORD, **kwargs):
    args = ["users", "create", username, "--email", "qa@example.org", *extra]
    return runner.invoke(app, args + (["--password", password] if password else []), **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "message"), [
    ("", "Give a username: it cannot be empty or only spaces."),
    ("   ", "Give a username: it cannot be empty or only spaces."),
    ("bad name!", "The username 'bad name!' may only contain letters, digits and @ . + - _"),
    ("semi;colon", "may only contain letters, digits"),
    ("a" * 151, "The username is 151 characters long: it must be 150 characters or fewer."),
    ("b" * 200, "The username is 200 characters long"),
])
def test_users_create_refuses_a_username_the_admin_site_would_refuse(username, message):
    """One line, exit 2, no traceback and no user (QA H10 defects 5 and 6)."""
    from django.contrib.auth import get_user_model

    result = _create(username)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    assert result.output.startswith("Error: ") and message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_users_create_keeps_the_admin_sites_username_rules():
    from django.contrib.auth import get_user_model

    ok = _create("a" * 150, "--role", "analyst")
    assert ok.exit_code == 0, ok.output
    spaced = _create("  ann.o'neil  ".replace("'", ""))  # surrounding spaces are dropped
    assert spaced.exit_code == 0 and "Created ann.oneil (analyst)." in spaced.output
    names = set(get_user_model().objects.values_list("username", flat=True))
    assert names == {"a" * 150, "ann.oneil"}
    for taken, message in (("ann.oneil", "A user called 'ann.oneil' already exists."),
                           ("ANN.ONEIL", "A user called 'ann.oneil' already exists: 'ANN.ONEIL' "
                                         "differs only in case, which is not allowed.")):
        refused = _create(taken)
        assert refused.exit_code == 2 and message in " ".join(refused.output.split()), refused.output
    assert get_user_model().objects.count() == 2


@pytest.mark.django_db
def test_users_create_asks_for_the_password_only_after_the_username_is_accepted(monkeypatch):
    from django.contrib.auth import authenticate

    monkeypatch.setattr("locus.cli._typed_in", lambda: True)
    asked = []
    monkeypatch.setattr("typer.prompt", lambda text, **kw: asked.append((text, kw)) or PASSWORD)
    bad = _create("bad name!", password=None)
    assert bad.exit_code == 2 and asked == []
    good = _create("zoe", password=None)
    assert good.exit_code == 0 and "Created zoe (analyst)." in good.output, good.output
    assert asked == [("Password", {"hide_input": True, "confirmation_prompt": True})]
    assert authenticate(username="zoe", password=PASSWORD) is not None


@pytest.mark.django_db
def test_users_create_off_a_terminal_reads_the_password_from_the_first_line_of_input():
    """A script pipes the password in (not in its shell history, no 'may be echoed' warning)."""
    from django.contrib.auth import authenticate, get_user_model

    good = _create("zoe", password=None, input=f"{PASSWORD}\n")
    assert good.exit_code == 0 and "Created zoe (analyst)." in good.output, good.output
    assert PASSWORD not in good.output and "echoed" not in good.output
    assert authenticate(username="zoe", password=PASSWORD) is not None
    none = _create("yan", password=None, input="")
    assert none.exit_code == 2 and "Error: No password: give --password" in none.output
    short = _create("yan", password=None, input="short\n")
    assert short.exit_code == 2 and "Password must be 12 characters or more" in short.output
    assert not get_user_model().objects.filter(username="yan").exists()
