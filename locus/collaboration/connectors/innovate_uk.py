"""Innovate UK's published workbook "Innovate UK funded projects since 2004" (OGL v3).

One row per participant. The columns (in the published order) are those of COLUMNS; older
front-ends call the award "Grant Offered". Every row is read and checked before anything is
returned: a bad row, or a missing column, raises ``WorkbookError`` listing every problem with
its line and column, so an import is all or nothing. No Django here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from locus.collaboration.connectors.workbook_size import (
    MAX_CELLS,
    MAX_COLUMNS,
    WorkbookTooBig,
    sheet_too_big,
    xls_extents,
    xlsx_extents,
)
from locus.errors import ConnectorError

COLUMNS = (
    "Competition Reference", "Competition Title", "Programme Title", "Sector",
    "Application Number", "Project Number", "Project Title", "Public Description",
    "Competition Year", "Innovate UK Product Type", "Participant Name", "Is Lead Participant",
    "CRN", "Project Start Date", "Project End Date", "Award Offered (£)", "Total Costs (£)",
    "Actual Spend to Date (£)", "Participant Withdrawn From Project", "Project Status",
    "Enterprise Size", "Postcode", "Address Region", "Address LEP", "Address Local Authority",
    "In Multiple LEPs", "Industrial Strategy Challenge Fund (ISCF)")
REQUIRED = ("Competition Title", "Project Number", "Project Title", "Participant Name",
            "Is Lead Participant", "Total Costs (£)", "Enterprise Size", "Postcode",
            "Address Local Authority")
AWARD_NAMES = ("Award Offered (£)", "Grant Offered (£)", "Grant Offered")
# The formats read (python-calamine): Excel 2007+ workbooks and the older Excel 97-2003 format.
# Calamine could open others (.xlsm, .xlsb, .ods) but they are not tested here, so they are refused
# by their name, on the web and the command line alike.
WORKBOOK_SUFFIXES = (".xlsx", ".xls")
WORKBOOK_FORMATS = "an Excel workbook (.xlsx or .xls)"
MAX_ERRORS_SHOWN = 50
YES = {"yes", "y", "true", "1", "lead"}
NO = {"no", "n", "false", "0", "", "partner"}


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        if self.line == 0:  # the whole file, not a row of it
            return self.message
        return f"line {self.line}, column {self.field!r}: {self.message}"


class WorkbookError(ConnectorError):
    """The workbook cannot be imported; ``errors`` lists every problem found; ``sheet`` names the
    sheet they are on once the reader has chosen one (None for a problem with the whole file)."""

    def __init__(self, path: str, errors: list[RowError], *, sheet: str | None = None) -> None:
        self.path, self.errors, self.sheet = path, errors, sheet
        super().__init__(f"{Path(path).name}: nothing was imported. {len(errors)} "
                         f"problem{'' if len(errors) == 1 else 's'}: {self.problems()}")

    def problems(self) -> str:
        """The problems alone, to follow a colon ("fake.xlsx cannot be used: the file is empty"):
        so they start in lower case, as GOV.UK error messages do after a colon."""
        shown = "; ".join(str(e) for e in self.errors[:MAX_ERRORS_SHOWN])
        more = (f" (and {len(self.errors) - MAX_ERRORS_SHOWN} more)"
                if len(self.errors) > MAX_ERRORS_SHOWN else "")
        return shown[:1].lower() + shown[1:] + more


@dataclass(frozen=True)
class ParticipantRow:
    line: int
    competition: str
    competition_reference: str
    project_number: str
    project_title: str
    description: str
    year: int | None
    product_type: str
    participant: str
    is_lead: bool
    company_number: str
    start: dt.date | None
    end: dt.date | None
    award: float | None
    total_costs: float | None
    status: str
    enterprise_size: str
    postcode: str
    local_authority: str
    region: str
    withdrawn: bool


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _money(value: Any) -> float | None:
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        cleaned = re.sub(r"[£,\s]", "", str(value))
        number = float(cleaned)  # ValueError -> row error
    if number < 0:
        raise ValueError(f"is negative ({number:,.2f})")
    return number


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(str(value).strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{value!r} is not a date (use DD/MM/YYYY)")


def _year(value: Any, start: dt.date | None) -> int | None:
    text = _text(value)
    match = re.match(r"^(?:FY\s*)?(\d{4})", text)
    if match:
        return int(match.group(1))
    return start.year if start else None


def _flag(value: Any, field: str) -> bool:
    text = _text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"{_text(value)!r} is not Yes or No")


def _sheet_rows(path: Path) -> tuple[str, list[list[Any]]]:
    """The name and rows of the first sheet with a 'Participant Name' heading in its first ten rows."""
    from python_calamine import CalamineWorkbook

    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise WorkbookError(str(path), [RowError(0, "file", f"the file must be {WORKBOOK_FORMATS}, "
                                                          f"not {path.suffix or 'a file without an extension'}")])
    if path.stat().st_size == 0:
        raise WorkbookError(str(path), [RowError(0, "file", "the file is empty")])
    damaged = WorkbookError(str(path), [RowError(0, "file", f"the file is not {WORKBOOK_FORMATS}, "
                                                          "or it is damaged: save it again from "
                                                          "Excel and retry")])
    # measured before calamine may build any sheet: it builds a sheet whole, from A1 to its last
    # cell, as soon as it is asked for (a 1.5 KB .xlsx can ask for 512 GB, a few-KB .xls for
    # 540 MB)
    try:
        if path.suffix.lower() == ".xlsx":
            xlsx_extents(str(path))
        else:
            xls_extents(str(path))
    except WorkbookTooBig as exc:
        raise WorkbookError(str(path), [RowError(0, "file", str(exc))]) from None
    except Exception:  # zip, XML, OLE2 (olefile raises assorted errors) or BIFF damage
        raise damaged from None
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception:  # calamine raises its own error types for unreadable files
        raise damaged from None
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)  # measured above; checked again as calamine sees it
        last_row, last_column = (sheet.end or (-1, -1))  # 0-based; to_python below starts at A1
        if last_column + 1 > MAX_COLUMNS or (last_row + 1) * (last_column + 1) > MAX_CELLS:
            raise WorkbookError(str(path), [RowError(0, "file", sheet_too_big(
                name, last_row + 1, last_column + 1))])
        rows = sheet.to_python(skip_empty_area=False)
        if any("Participant Name" in [_text(c) for c in row] for row in rows[:10]):
            return name, rows
    raise WorkbookError(str(path), [RowError(1, "header", "no sheet has a 'Participant Name' "
                                                          "column: is this the funded-projects workbook?")])


def _header(rows: list[list[Any]], path: Path, sheet: str) -> tuple[int, dict[str, int]]:
    for number, row in enumerate(rows[:10]):
        names = [_text(c) for c in row]
        if "Participant Name" in names:
            columns = {name: i for i, name in enumerate(names) if name}
            award = next((a for a in AWARD_NAMES if a in columns), None)
            if award:
                columns["Award Offered (£)"] = columns[award]
            missing = [c for c in (*REQUIRED, "Award Offered (£)") if c not in columns]
            if missing:
                raise WorkbookError(str(path), [RowError(number + 1, c, "column is missing")
                                                for c in missing], sheet=sheet)
            return number, columns
    raise WorkbookError(str(path), [RowError(1, "header", "no header row found")], sheet=sheet)


def _parse_row(line: int, get, errors: list[RowError]) -> ParticipantRow | None:
    before = len(errors)

    def field(name: str, parse, required: bool = False):
        raw = get(name)
        if required and _text(raw) == "":
            errors.append(RowError(line, name, "is empty"))
            return None
        try:
            return parse(raw)
        except ValueError as exc:
            message = str(exc) if "is " in str(exc) else f"{_text(raw)!r} is not a number"
            errors.append(RowError(line, name, message))
            return None

    project = field("Project Number", _text, required=True)
    participant = field("Participant Name", _text, required=True)
    is_lead = field("Is Lead Participant", lambda v: _flag(v, "lead"))
    award = field("Award Offered (£)", _money)
    costs = field("Total Costs (£)", _money)
    start = field("Project Start Date", _date)
    end = field("Project End Date", _date)
    withdrawn_text = _text(get("Participant Withdrawn From Project")).lower()
    if len(errors) > before:
        return None
    return ParticipantRow(
        line=line, competition=_text(get("Competition Title")),
        competition_reference=_text(get("Competition Reference")), project_number=project,
        project_title=_text(get("Project Title")), description=_text(get("Public Description")),
        year=_year(get("Competition Year"), start), product_type=_text(get("Innovate UK Product Type")),
        participant=participant, is_lead=bool(is_lead), company_number=_text(get("CRN")),
        start=start, end=end, award=award, total_costs=costs, status=_text(get("Project Status")),
        enterprise_size=_text(get("Enterprise Size")), postcode=_text(get("Postcode")),
        local_authority=_text(get("Address Local Authority")), region=_text(get("Address Region")),
        withdrawn=withdrawn_text in {"withdrawn", "yes", "y", "true"})


def workbook_read(path: Path | str) -> list[ParticipantRow]:
    """Every participant row of the workbook; raises WorkbookError listing all problems."""
    path = Path(path)
    sheet, rows = _sheet_rows(path)
    header_at, columns = _header(rows, path, sheet)
    records, errors = [], []
    for offset, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        if not any(_text(c) for c in row):
            continue

        def get(name: str, row=row):
            i = columns.get(name)
            return row[i] if i is not None and i < len(row) else None

        record = _parse_row(offset, get, errors)
        if record is not None:
            records.append(record)
    if errors:
        raise WorkbookError(str(path), errors, sheet=sheet)
    if not records:
        raise WorkbookError(str(path), [RowError(header_at + 2, "rows", "the workbook has no "
                                                                      "participant rows")], sheet=sheet)
    return records
