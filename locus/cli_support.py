"""What every `locus` command module shares: Django set-up on demand and the error exit.

Kept apart from `locus.cli` so that room CLIs (imported by `locus.cli`) need not import it back.
"""

from __future__ import annotations

import inspect
import os

import typer
from rich.console import Console
from rich.markup import escape

from locus.errors import LocusError


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


def rows_print(console: Console, headers: list[str], rows: list[list[str]], *,
               whole: tuple[int, ...] = (0,)) -> None:
    """Print a list for people in a terminal and for programs in a pipe, never cutting a value
    someone must copy into another command (the columns numbered in ``whole``, such as an id).

    On a terminal wide enough to show those columns whole, a table whose other columns wrap.
    Otherwise (a pipe, a file, or a terminal too narrow) plain lines: a header, then one row a
    line, values separated by tabs (``cut -f1`` gives the ids)."""
    from rich.cells import cell_len
    from rich.table import Table

    def narrowest(number: int) -> int:  # a whole value, or the longest word of a wrapped one
        values = [headers[number], *(row[number] for row in rows)]
        words = values if number in whole else [w for v in values for w in v.split()]
        return max((cell_len(w) for w in words), default=0)

    # each column has a space either side and a border line after it, plus the first border
    if console.is_terminal and sum(narrowest(n) + 3 for n in range(len(headers))) + 1 <= console.width:
        table = Table(*headers)
        for number in whole:
            table.columns[number].no_wrap = True
        for row in rows:
            table.add_row(*(escape(value) for value in row))
        console.print(table)
        return
    # written as is: Rich would turn the tabs into spaces
    console.file.write("".join("\t".join(row) + "\n" for row in [headers, *rows]))


def text_file_read(path) -> str:
    """A text file given on the command line, as UTF-8 with or without a byte-order mark.

    Raises LocusError (``locus.textfile.TextFileError``) naming the file, and the line when there is
    one, when it cannot be read or is in another encoding: Locus's one reader, which the grouping
    core uses for its cohort files too."""
    from locus.textfile import utf8_text_read

    return utf8_text_read(path)


# The one sentence every command's --help ends with (ADR 0031 and its addendum). A command whose
# status 1 means "the thing evaluated fails" (collaboration check, groups) names that case instead.
_WRONG_INPUT = ("2 when the input is wrong (a file, a code, an option value or an output path; the "
                "message says which and what to do)")
EXIT_STATUSES = f"Exit status: 0 when it worked; {_WRONG_INPUT}; 1 when Locus could not do it otherwise."


def exit_statuses(command=None, *, fails: str = ""):
    """Decorator: end the command's help (its docstring) with ``EXIT_STATUSES``; with ``fails``
    ("the consortium fails a required check (the whole report is printed first)"), the variant where 1 means that."""
    sentence = (f"Exit status: 0 when it worked; 1 when {fails}; "
                f"{_WRONG_INPUT}.") if fails else EXIT_STATUSES

    def decorate(function):
        doc = inspect.cleandoc(function.__doc__ or "")
        function.__doc__ = f"{doc}\n\n{sentence}" if doc else sentence
        return function

    return decorate(command) if command is not None else decorate


class OutputPathError(LocusError):
    """An output path given on the command line that cannot be written (bad input: exit 2)."""


def output_path_check(option: str, path) -> None:
    """Refuse, before any work, an output file that cannot be written: raise OutputPathError
    "cannot write --out PATH: reason". A missing folder is refused, never created (a typo in a
    folder name must not scatter exports). Probes by creating the file (removed again) or opening
    an existing one for appending (its content is left as it is)."""
    from pathlib import Path

    path = Path(path)

    def refuse(reason: str) -> None:
        raise OutputPathError(f"cannot write {option} {path}: {reason}")

    if path.is_dir():
        refuse("it is a folder; give a file name")
    folder = path.parent
    if not folder.exists():
        refuse(f"the folder {folder} does not exist (Locus does not create folders: make it first, "
               "or give another path)")
    if not folder.is_dir():
        refuse(f"{folder} is a file, not a folder")
    existed = path.exists()
    try:
        with open(path, "ab" if existed else "xb"):
            pass
    except OSError as exc:
        refuse(f"{exc.strerror or exc} ({'cannot replace it' if existed else f'cannot create a file in {folder}'})")
    if not existed:
        path.unlink(missing_ok=True)
