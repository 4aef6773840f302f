"""Reading a text file someone gives Locus (a consortium JSON, a cohort CSV, a sites CSV): the one
reader every command uses, so that each says the same thing about the same file.

UTF-8 with or without a byte-order mark is read. Anything else is refused with a `TextFileError`
that names the file, the line when there is one, what the file is and how to save it as UTF-8:
UTF-16 or UTF-32 with a byte-order mark (what PowerShell 5's ``>`` and Excel's "Unicode text"
write), UTF-16 without one (NUL bytes), a workbook or other ZIP archive, and a byte that is not
UTF-8 (Windows-1252 and the like). No Django here: the grouping core reads its cohorts with it.
"""

from __future__ import annotations

from pathlib import Path

from locus.errors import DataFileError

SAVE_AS_UTF8 = 'save it as UTF-8 (CSV UTF-8 in Excel; PowerShell: Out-File -Encoding utf8)'

# Byte-order marks of the encodings other than UTF-8 that Windows tools write, longest first:
# UTF-32 LE starts as UTF-16 LE does
_OTHER_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
               (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


class TextFileError(DataFileError):
    """A file that cannot be read as UTF-8 text. ``str()`` is "file PATH[, line N]: REASON";
    ``reason`` alone is for callers that name the file their own way (the grouping's row errors)."""

    def __init__(self, path: Path, reason: str, line: int | None = None) -> None:
        self.reason = reason
        super().__init__(reason, path=str(path), line=line)


def file_bytes_read(path: str | Path) -> bytes:
    """The bytes of a file, or TextFileError saying it is missing, a folder or unreadable."""
    path = Path(path)
    if not path.exists():
        raise TextFileError(path, "file not found")
    if path.is_dir():
        raise TextFileError(path, "is a folder, not a file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise TextFileError(path, f"cannot read it: {exc.strerror or exc}") from None


def utf8_text_read(path: str | Path, *, workbook_advice: str = "") -> str:
    """The text of a file in UTF-8, with or without a byte-order mark (dropped).

    ``workbook_advice`` is put before "save it as UTF-8" when the file is a workbook, for a
    command that also reads workbooks ("give it the .xlsx extension, or ")."""
    path = Path(path)
    return utf8_text_decode(file_bytes_read(path), path, workbook_advice=workbook_advice)


def utf8_text_decode(data: bytes, path: str | Path, *, workbook_advice: str = "") -> str:
    """``utf8_text_read`` for bytes already read (a decompressed .gz, say): ``path`` is named in
    the errors."""
    path = Path(path)
    for bom, name in _OTHER_BOMS:
        if data.startswith(bom):
            raise TextFileError(path, f"the file is {name} text, not UTF-8: {SAVE_AS_UTF8}")
    if data.startswith(b"PK\x03\x04"):
        raise TextFileError(path, "the file is a workbook (.xlsx) or another ZIP archive, not text: "
                            f"{workbook_advice}{SAVE_AS_UTF8}")
    if b"\x00" in data:
        line = data[:data.index(b"\x00")].count(b"\n") + 1
        raise TextFileError(path, "the file holds NUL bytes (UTF-16 text without a byte-order mark, "
                            f"or not a text file): {SAVE_AS_UTF8}", line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise TextFileError(path, f"byte 0x{data[exc.start]:02x} is not UTF-8 (the file is in another "
                            f"encoding, such as Windows-1252): {SAVE_AS_UTF8}", line) from None
    if not text.strip():
        raise TextFileError(path, "the file is empty" if not data else "the file holds only blank lines")
    return text


def csv_text_read(path: str | Path, *, workbook_advice: str = "") -> str:
    """``utf8_text_read`` for a comma-separated file: also refuses a first line that has semicolons
    but no commas (what Excel writes as "CSV" where the decimal mark is a comma), which would
    otherwise read as one column and give a "missing column" for every column."""
    text = utf8_text_read(path, workbook_advice=workbook_advice)
    first = text.lstrip("\r\n").split("\n", 1)[0]
    if ";" in first and "," not in first:
        raise TextFileError(Path(path), "the first line has semicolons, not commas: save it as "
                            "comma-separated CSV (CSV UTF-8 in Excel)", line=1)
    return text
