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


# Byte-order marks of the encodings other than UTF-8 that Windows tools write (PowerShell 5's `>`
# and Excel's "Unicode text" write UTF-16 little-endian), longest first: UTF-32 LE starts as UTF-16 LE
_OTHER_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
               (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def text_file_read(path) -> str:
    """A text file given on the command line, as UTF-8 with or without a byte-order mark.

    Raises LocusError naming the file, and the line for a byte that is not UTF-8, when it cannot
    be read or is in another encoding ("save it as UTF-8")."""
    from pathlib import Path

    from locus.errors import LocusError

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LocusError(f"file {path}: cannot read it ({exc.strerror or exc})") from None
    for bom, name in _OTHER_BOMS:
        if data.startswith(bom):
            raise LocusError(f"file {path}: the text is {name}, not UTF-8: save it as UTF-8 "
                             "(Excel: \"CSV UTF-8\"; PowerShell: Out-File -Encoding utf8)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise LocusError(f"file {path}, line {line}: byte 0x{data[exc.start]:02x} is not UTF-8 text: "
                         "save the file as UTF-8") from None
