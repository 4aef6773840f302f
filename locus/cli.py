"""The `locus` command line: serve, load, data, users, and each room's commands.

Every command has --help. Long steps show progress bars (rich).
"""

from __future__ import annotations

import functools
import sys
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from locus.cli_support import django_setup, exit_statuses, fail, output_path_check
from locus.errors import LocusError

app = typer.Typer(help="Locus: open platform for UK local innovation ecosystems.",
                  no_args_is_help=True, add_completion=False)
data_app = typer.Typer(help="Fetch and import external data, and rebuild the derived tables bundled in data/.", no_args_is_help=True)
users_app = typer.Typer(help="Manage users and their roles.", no_args_is_help=True)
app.add_typer(data_app, name="data")
app.add_typer(users_app, name="users")
console = Console(stderr=True)
_django = django_setup
_fail = functools.partial(fail, console)
REPO_ROOT = Path(__file__).resolve().parent.parent


def _migrate_and_load(force: bool = False) -> dict:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from locus.loading import bundled_data_load

    return bundled_data_load(force=force, say=lambda step: console.print(f"  {step}"))


@app.command()
@exit_statuses
def load(force: bool = typer.Option(False, help="Reload even if the bundled data has not changed.")):
    """Create or update the database and load the bundled data (one transaction per dataset)."""
    _django()
    try:
        started = time.perf_counter()
        summary = _migrate_and_load(force=force)
    except LocusError as exc:
        _fail(exc)
    console.print(f"[green]Loaded[/green] in {time.perf_counter() - started:.1f} s: {summary}")


@app.command()
@exit_statuses
def serve(host: str = typer.Option("127.0.0.1", help="Address to listen on."),
          port: int = typer.Option(8000, help="Port to listen on."),
          workers: int = typer.Option(2, help="Worker processes."),
          skip_load: bool = typer.Option(False, help="Do not migrate or load data first.")):
    """Serve Locus with gunicorn (migrates and loads bundled data on first run)."""
    _django()
    started = time.perf_counter()
    try:
        if not skip_load:
            console.print("Preparing the database and bundled data…")
            _migrate_and_load()
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
    except LocusError as exc:
        _fail(exc)
    __import__("django.db").db.connections.close_all()  # forked workers must not share this DB connection
    from locus.server import run_gunicorn

    console.print(f"Ready in {time.perf_counter() - started:.1f} s. "
                  f"Serving Locus at http://{host}:{port}/ (Ctrl+C to stop)")
    run_gunicorn(host=host, port=port, workers=workers)


@data_app.command("postcodes")
@exit_statuses
def data_postcodes(
    source: Path = typer.Option(None, help="Folder of ONS NSPL-derived postcode CSVs, or a full "
                                "NSPL CSV.", show_default="../shared/data/postcodes beside the repo"),
    out: Path = typer.Option(None, help="Where to write the compact table.",
                             show_default="data/geography/postcodes.parquet"),
    include_northern_ireland: bool = typer.Option(
        False, help="Include BT postcodes: only if you hold the Northern Ireland licence."),
):
    """Rebuild the postcode table (postcode -> lat/long -> LAD by point in polygon)."""
    from rich.progress import Progress

    from locus.geography.postcodes import NOT_BUNDLED_AREAS
    from locus.geography.postcodes_build import build_postcode_table

    source = source or REPO_ROOT.parent / "shared" / "data" / "postcodes"
    out = out or REPO_ROOT / "data" / "geography" / "postcodes.parquet"
    boundaries = REPO_ROOT / "data" / "geography" / "lad_2023_buc.geojson"
    try:
        output_path_check("--out", out)
    except LocusError as exc:
        _fail(exc, code=2)
    try:
        with Progress(console=console) as bar:
            tasks: dict[str, int] = {}

            def progress(step: str, done: int, total: int) -> None:
                if step not in tasks:
                    tasks[step] = bar.add_task(step, total=total)
                bar.update(tasks[step], completed=done, total=total)

            stats = build_postcode_table(
                source_dir=source, boundaries=boundaries, out=out, progress=progress,
                exclude_areas=() if include_northern_ireland else NOT_BUNDLED_AREAS)
    except LocusError as exc:  # the source files (ADR 0031: wrong input)
        _fail(exc, code=2)
    console.print(f"[green]Wrote[/green] {out}: {stats}")


def _typed_in() -> bool:
    """Whether standard input is a terminal (a person typing), not a pipe or a file."""
    return sys.stdin.isatty()


@users_app.command("create")
@exit_statuses
def users_create(username: str = typer.Argument(..., help="Letters, digits and @ . + - _ only, "
                                                "at most 150 characters, and no existing user's "
                                                "name in any case (the admin site's rules)."),
                 email: str = typer.Option(..., help="Email address."),
                 role: str = typer.Option("analyst", help="administrator, analyst, "
                                          "'programme manager', facilitator or 'firm member'."),
                 password: str = typer.Option(None, help="The password (it stays in your shell's "
                                              "history).", show_default="asked for twice, not shown; "
                                              "piped in, the first line of standard input")):
    """Create a user with a role (exits with 2, creating nothing, when anything is refused)."""
    _django()
    from locus.accounts.services import user_create, username_validate

    try:
        username = username_validate(username=username)  # before asking for a password
        if password is None and _typed_in():
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        elif password is None:  # a script: printf '%s\n' "$PASSWORD" | locus users create ...
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise LocusError("No password: give --password, type it in a terminal, or pipe it "
                                 "in as the first line of standard input.")
        user = user_create(username=username, email=email, password=password, role=role)
    except LocusError as exc:
        _fail(exc, code=2)
    console.print(f"[green]Created[/green] {escape(user.get_username())} ({escape(role)}).")


def _register_rooms() -> None:
    """Rooms that ship CLI commands (each a Typer app named ``app`` in its own module).

    Imports are explicit so that a broken room fails loudly instead of silently losing its
    commands. A room may also add commands under ``locus data`` by defining
    ``register_data(data_app)``.
    """
    from locus.atlas import cli as atlas_cli
    from locus.collaboration import cli as collaboration_cli
    from locus.grouping import cli as grouping_cli
    from locus.peers import cli as peers_cli
    from locus.peers import demo_cli
    from locus.pipeline import cli as pipeline_cli
    from locus.policy import cli as policy_cli

    app.command("build")(pipeline_cli.build)
    app.add_typer(pipeline_cli.atlas_app, name="atlas")
    atlas_cli.register(pipeline_cli.atlas_app)
    rooms = (("groups", grouping_cli), ("peers", peers_cli), ("demo", demo_cli),
             ("policy", policy_cli), ("collaboration", collaboration_cli))
    for name, room in rooms:
        app.add_typer(room.app, name=name)
        register_data = getattr(room, "register_data", None)
        if register_data is not None:
            register_data(data_app)


_register_rooms()


def main() -> None:
    try:
        app()
    except LocusError as exc:  # pragma: no cover - last resort
        console.print(f"[red]Error:[/red] {escape(str(exc))}", soft_wrap=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
