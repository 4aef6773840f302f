"""Read cohorts from CSV or XLSX with row-level errors; write groups as CSV.

Columns: id, name, sic, employees (or size_band), postcode and/or lat, lon, themes, mode,
avoid, together, locked_group, previous_group. themes, avoid, together and previous_group
hold several values separated by ";". A postcode without lat/lon is resolved by the
`geocode` callable (postcode -> (lat, lon) or None). Any bad row makes the whole file fail
with a list of RowError(file, line, field, message); nothing is solved.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from locus.errors import PostcodeError
from locus.grouping.errors import GroupingInputError, RowError
from locus.grouping.problem import SIZE_BANDS, Mode, Participant, Problem, sic_normalise
from locus.textfile import TextFileError, csv_text_read, file_bytes_read

Geocode = Callable[[str], "tuple[float, float] | None"]
COLUMNS = ("id", "name", "sic", "employees", "size_band", "postcode", "lat", "lon", "themes",
           "mode", "avoid", "together", "locked_group", "previous_group")
REQUIRED = ("id", "sic")
MODES = {"online": Mode.ONLINE, "virtual": Mode.ONLINE, "in_person": Mode.IN_PERSON,
         "in person": Mode.IN_PERSON, "in-person": Mode.IN_PERSON, "either": Mode.EITHER,
         "any": Mode.EITHER, "": Mode.EITHER}
UK_BOX = (49.0, 61.5, -9.0, 2.5)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


Rows = tuple[list[str], list[tuple[int, dict[str, str]]]]


def _file_error(path: Path, message: str, line: int | None = None) -> GroupingInputError:
    return GroupingInputError([RowError(path.name, line, "file", message)])


def _bytes_read(path: Path) -> bytes:
    try:
        return file_bytes_read(path)
    except TextFileError as exc:
        raise _file_error(path, exc.reason, exc.line) from None


def _text_read(path: Path) -> str:
    """The text of a CSV file: UTF-8, with or without a byte order mark; anything else is
    refused (GroupingInputError) with what it is and how to save it. The reader is Locus's one
    (``locus.textfile``), so a command says the same of the same file."""
    try:
        return csv_text_read(path, workbook_advice="give it the .xlsx extension, or ")
    except TextFileError as exc:
        raise _file_error(path, exc.reason, exc.line) from None


def _rows_csv(path: Path) -> Rows:
    reader = csv.reader(io.StringIO(_text_read(path), newline=""))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        rows, start = [], reader.line_num + 1
        for row in reader:
            if any(c.strip() for c in row):
                rows.append((start, dict(zip(header, (c.strip() for c in row), strict=False))))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _file_error(path, f"not a readable CSV file: {exc}", reader.line_num) from None
    return header, rows


def _rows_xlsx(path: Path) -> Rows:
    from python_calamine import CalamineWorkbook

    _bytes_read(path)
    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    except Exception as exc:  # noqa: BLE001 - calamine raises several types for a bad workbook
        raise _file_error(path, f"cannot read the workbook ({type(exc).__name__}: {exc}); "
                          "open it in Excel and save it again, or save it as CSV UTF-8") \
            from None
    header = [_cell(h).lower() for h in sheet[0]] if sheet else []
    rows = []
    for number, row in enumerate(sheet[1:], start=2):
        cells = [_cell(c) for c in row]
        if any(cells):
            rows.append((number, dict(zip(header, cells, strict=False))))
    return header, rows


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


class _RowParser:
    """Turns one raw row into a Participant, collecting errors instead of raising."""

    def __init__(self, file: str, geocode: Geocode | None) -> None:
        self.file, self.geocode, self.errors = file, geocode, []

    def err(self, line: int, field: str, message: str) -> None:
        self.errors.append(RowError(self.file, line, field, message))

    def parse(self, line: int, row: dict[str, str]) -> Participant | None:
        before = len(self.errors)
        pid = row.get("id", "")
        if not pid:
            self.err(line, "id", "missing id")
        sic = self._sic(line, row.get("sic", ""))
        employees = self._employees(line, row.get("employees", ""))
        band = row.get("size_band", "") or None
        if band is not None and band not in SIZE_BANDS:
            self.err(line, "size_band", f"unknown size band {band!r}; use one of "
                     f"{', '.join(SIZE_BANDS)}")
        lat, lon = self._location(line, row)
        mode = MODES.get(row.get("mode", "").lower().replace("_", " ").replace("-", " ")
                         .replace("in person", "in_person"))
        if mode is None:
            self.err(line, "mode", f"unknown mode {row.get('mode')!r}; use online, in_person "
                     "or either")
        elif mode is Mode.IN_PERSON and lat is None and not self._located_error(line, before):
            self.err(line, "mode", "in-person participants need a postcode or lat/lon")
        if len(self.errors) > before:
            return None
        return Participant(
            id=pid, name=row.get("name", ""), sic=sic, employees=employees, size_band=band,
            lat=lat, lon=lon, postcode=row.get("postcode", "") or None,
            themes=frozenset(t.lower() for t in _split(row.get("themes", ""))),
            mode=mode, avoid=frozenset(_split(row.get("avoid", ""))),
            together=frozenset(_split(row.get("together", ""))),
            locked_group=row.get("locked_group", "") or None,
            previous_groups=frozenset(_split(row.get("previous_group", ""))))

    def _located_error(self, line: int, before: int) -> bool:
        return any(e.line == line and e.field in ("postcode", "lat", "lon")
                   for e in self.errors[before:])

    def _sic(self, line: int, text: str) -> str:
        if not text:
            self.err(line, "sic", "missing SIC 2007 code")
            return ""
        try:
            return sic_normalise(text)
        except ValueError as exc:
            self.err(line, "sic", str(exc))
            return ""

    def _employees(self, line: int, text: str) -> int | None:
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            self.err(line, "employees", f"{text!r} is not a number")
            return None
        if value < 0 or not value.is_integer():
            self.err(line, "employees", f"{text!r} must be a whole number of 0 or more")
            return None
        return int(value)

    def _location(self, line: int, row: dict[str, str]) -> tuple[float | None, float | None]:
        lat_t, lon_t, postcode = row.get("lat", ""), row.get("lon", ""), row.get("postcode", "")
        if lat_t or lon_t:
            try:
                lat, lon = float(lat_t), float(lon_t)
            except ValueError:
                self.err(line, "lat" if lat_t else "lon", "lat and lon must both be numbers")
                return None, None
            lo_lat, hi_lat, lo_lon, hi_lon = UK_BOX
            if not (lo_lat <= lat <= hi_lat and lo_lon <= lon <= hi_lon):
                self.err(line, "lat", f"({lat}, {lon}) is outside the UK")
                return None, None
            return lat, lon
        if not postcode:
            return None, None
        return self._geocode(line, postcode)

    def _geocode(self, line: int, postcode: str) -> tuple[float | None, float | None]:
        if self.geocode is None:
            self.err(line, "postcode", "postcode given without lat/lon and no geocoder")
            return None, None
        try:
            found = self.geocode(postcode)
        except PostcodeError as exc:
            self.err(line, "postcode", str(exc))
            return None, None
        if found is None:
            self.err(line, "postcode", f"unknown postcode {postcode!r}")
            return None, None
        return float(found[0]), float(found[1])


def _duplicates(parser: _RowParser, rows: list[tuple[int, dict[str, str]]]) -> None:
    first: dict[str, int] = {}
    for line, row in rows:
        pid = row.get("id", "")
        if pid and pid in first:
            parser.err(line, "id", f"duplicate id {pid!r} (first on line {first[pid]})")
        first.setdefault(pid, line)


def _cross_checks(parser: _RowParser, parts: list[tuple[int, Participant]],
                  all_ids: set[str]) -> None:
    avoided = {(p.id, o) for _, p in parts for o in p.avoid}
    for line, p in parts:
        for fld in ("avoid", "together"):
            for other in sorted(getattr(p, fld)):
                if other not in all_ids:
                    parser.err(line, fld, f"unknown id {other!r}")
                elif other == p.id:
                    parser.err(line, fld, "a participant cannot list itself")
        for other in sorted(p.together):
            if (p.id, other) in avoided or (other, p.id) in avoided:
                parser.err(line, "together", f"{other!r} is both avoided and kept together")


def problem_read(*, path: Path, geocode: Geocode | None = None) -> Problem:
    """Read a cohort file (.csv or .xlsx); raise GroupingInputError listing every bad row."""
    path = Path(path)
    reader = _rows_xlsx if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods") \
        else _rows_csv
    header, rows = reader(path)
    missing = [c for c in REQUIRED if c not in header]
    if "postcode" not in header and not {"lat", "lon"} <= set(header):
        missing.append("postcode (or lat and lon)")
    if missing:
        raise GroupingInputError([RowError(path.name, 1, c, "missing column") for c in missing])
    parser = _RowParser(path.name, geocode)
    parts: list[tuple[int, Participant]] = []
    for line, row in rows:
        p = parser.parse(line, row)
        if p is not None:
            parts.append((line, p))
    _duplicates(parser, rows)
    _cross_checks(parser, parts, {row.get("id", "") for _, row in rows} - {""})
    if parser.errors:
        raise GroupingInputError(sorted(parser.errors, key=lambda e: (e.line or 0, e.field)))
    return Problem(participants=tuple(p for _, p in parts))


def assignment_read(*, path: Path) -> dict[str, str]:
    """Read an id,group file (as written by `groups_write`); blank groups are skipped.

    A file that is missing, not UTF-8 or without the id and group columns raises
    GroupingInputError."""
    path = Path(path)
    reader = csv.DictReader(io.StringIO(_text_read(path), newline=""))
    try:
        fields = [f.strip().lower() for f in reader.fieldnames or []]
        missing = [c for c in ("id", "group") if c not in fields]
        if missing:
            raise GroupingInputError([RowError(path.name, 1, c, "missing column")
                                      for c in missing])
        reader.fieldnames = fields
        return {r["id"].strip(): (r["group"] or "").strip() for r in reader
                if (r["id"] or "").strip() and (r["group"] or "").strip()}
    except csv.Error as exc:
        raise _file_error(path, f"not a readable CSV file: {exc}", reader.line_num) from None


def groups_write(*, path: Path, problem: Problem, assignment: dict[str, str]) -> None:
    """Write id,group for every participant (blank group = unplaced), in input order."""
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["id", "group"])
        for p in problem.participants:
            writer.writerow([p.id, assignment.get(p.id, "")])


def problem_write(*, path: Path, problem: Problem) -> None:
    """Write a cohort in the input format (round-trips through `problem_read`)."""
    def join(values) -> str:
        return ";".join(sorted(values))

    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for p in problem.participants:
            writer.writerow([
                p.id, p.name, p.sic, "" if p.employees is None else p.employees,
                p.size_band or "", p.postcode or "", "" if p.lat is None else p.lat,
                "" if p.lon is None else p.lon, join(p.themes), p.mode.value, join(p.avoid),
                join(p.together), p.locked_group or "", join(p.previous_groups)])
