"""Run the simulator on an uploaded workbook without storing it (a portfolio in memory)."""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest

from locus.collaboration.classify import enterprise_size_parse, org_type_guess
from locus.collaboration.connectors.innovate_uk import (
    WORKBOOK_FORMATS,
    WORKBOOK_SUFFIXES,
    ParticipantRow,
    WorkbookError,
    workbook_read,
)
from locus.collaboration.simulation import Portfolio, Provenance
from locus.errors import CollaborationError
from locus.geography.models import Area, Level
from locus.geography.postcodes import default_index

MAX_UPLOAD_MB = 80
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024  # MB here as in the message: 1,048,576 bytes


# the request around the file: boundaries, the file's headers and the form's other fields
MAX_FORM_OVERHEAD_BYTES = 1024 * 1024


def _megabytes(size: int) -> str:
    return f"{math.ceil(size / 1024 / 1024 * 10) / 10:.1f} MB"  # never "80.0 MB, more than 80 MB"


def request_size_problem(request: HttpRequest) -> str | None:
    """The same "must be 80 MB or smaller" as upload_problem, from the request's declared length,
    before the body is read: call it before anything touches request.POST or request.FILES (the
    CSRF check reads them, so upload views are csrf_exempt and csrf_protect an inner view). Under
    WSGI Django never reads past CONTENT_LENGTH, so the declared length is the most it receives."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None  # Django reads no body for a length it cannot read
    if length > MAX_UPLOAD_BYTES + MAX_FORM_OVERHEAD_BYTES:
        return f"The selected file must be {MAX_UPLOAD_MB} MB or smaller (it is {_megabytes(length)})"
    return None


def upload_problem(upload: UploadedFile) -> str | None:
    """What is wrong with the file itself, in GOV.UK's words for a file upload ("The selected file
    must be ..."), or None; the simulator's upload and the Data page's import both ask."""
    if upload.size > MAX_UPLOAD_BYTES:
        return f"The selected file must be {MAX_UPLOAD_MB} MB or smaller (it is {_megabytes(upload.size)})"
    if Path(upload.name or "upload.xlsx").suffix.lower() not in WORKBOOK_SUFFIXES:
        return f"The selected file must be {WORKBOOK_FORMATS}"
    return None


ROWS_SHOWN = 20  # bad rows listed one by one; the rest are counted ("and 180 more rows ...")


@dataclass(frozen=True)
class BadRow:
    """One row of a workbook that needs fixing: its line and each column's problem."""
    line: int
    problems: list[tuple[str, str]]  # (column, problem)

    @property
    def text(self) -> str:
        """Line 3: column 'Total Costs (£)': 'lots' is not a number; column ..."""
        return f"Line {self.line}: " + "; ".join(
            f"column '{column}': {problem}" if column not in ("header", "rows") else problem
            for column, problem in self.problems)


@dataclass(frozen=True)
class WorkbookReport:
    """A workbook's bad rows for a page: the file (and sheet) named once, then one entry per
    row, the first ROWS_SHOWN of them, and how many more need fixing. The simulator's upload
    and the Data page's import show it with the same component (collaboration/_macros.html)."""
    file: str
    sheet: str | None
    rows: list[BadRow]
    total: int      # rows that need fixing, shown or not

    @property
    def more(self) -> int:
        return self.total - len(self.rows)

    @property
    def heading(self) -> str:
        sheet = f", sheet ‘{self.sheet}’" if self.sheet else ""
        return (f"{self.file}{sheet}: {self.total:,} "
                f"{'row needs' if self.total == 1 else 'rows need'} fixing")


def workbook_report(exc: WorkbookError, *, name: str) -> WorkbookReport | None:
    """The bad rows of a refused workbook, or None when the problem is the whole file (empty,
    damaged, too big: one message says it). The sheet is the one the reader took (``exc.sheet``)."""
    row_errors = [e for e in exc.errors if e.line]
    if not row_errors:
        return None
    rows = [BadRow(line, [(e.field, e.message) for e in errors])
            for line, errors in groupby(sorted(row_errors, key=lambda e: e.line), key=lambda e: e.line)]
    return WorkbookReport(file=Path(name).name, sheet=exc.sheet, rows=rows[:ROWS_SHOWN], total=len(rows))


def workbook_rows_from_upload(upload: UploadedFile) -> list[ParticipantRow]:
    problem = upload_problem(upload)
    if problem:
        raise CollaborationError(problem)
    suffix = Path(upload.name or "upload.xlsx").suffix.lower()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(upload.name).name or f"workbook{suffix}")  # errors name the user's file
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            return workbook_read(path)
        except WorkbookError as exc:
            report = workbook_report(exc, name=upload.name or path.name)
            if report is None:
                raise
            raise WorkbookRowsError(report) from exc


class WorkbookRowsError(CollaborationError):
    """An uploaded workbook has rows that need fixing; ``report`` lists them for the page."""

    def __init__(self, report: WorkbookReport) -> None:
        self.report = report
        super().__init__(report.heading)


def portfolio_from_rows(rows: list[ParticipantRow]) -> Portfolio:
    rows = [r for r in rows if not r.withdrawn]
    lads = {a.code: a for a in Area.objects.filter(level=Level.LAD)
            .select_related("parent", "combined_authority")}
    by_name = {a.name.lower(): a.code for a in lads.values()}
    found = default_index().lookup_many([r.postcode or "" for r in rows], on_error="none")
    lad_codes = [(loc.lad_code if loc and loc.lad_code else by_name.get(r.local_authority.lower(), ""))
                 for r, loc in zip(rows, found, strict=True)]
    types, sizes = [], []
    for r in rows:
        kind, size = enterprise_size_parse(r.enterprise_size)
        if not kind:
            kind = org_type_guess(r.participant)[0]
        types.append(kind)
        sizes.append(size)
    names = {code: a.name for code, a in lads.items()}
    names |= {a.parent_id: a.parent.name for a in lads.values() if a.parent_id}
    names |= {a.combined_authority_id: a.combined_authority.name for a in lads.values()
              if a.combined_authority_id}
    return Portfolio(
        project=[r.project_number for r in rows], funder=["Innovate UK"] * len(rows),
        year=[r.year for r in rows], org_type=types, size=sizes, country=["GB"] * len(rows),
        is_lead=[r.is_lead for r in rows], costs=[r.total_costs for r in rows],
        grant=[r.award for r in rows], lad=lad_codes,
        itl3=[(lads[c].parent_id or "") if c in lads else "" for c in lad_codes],
        ca=[(lads[c].combined_authority_id or "") if c in lads else "" for c in lad_codes],
        area_names=names)


def upload_provenance(*, name: str, rows: list[ParticipantRow]) -> Provenance:
    """An uploaded workbook's provenance for the CSV: Locus cannot know where the file came from,
    so the licence says so (Innovate UK publishes its own workbook under the OGL v3.0)."""
    years = sorted({r.year for r in rows if r.year})
    return Provenance(
        source=f"Uploaded workbook {name} (read as Innovate UK's funded-projects workbook; not kept)",
        vintage=f"{years[0]}-{years[-1]}" if years else "not known",
        licence="Not known: an uploaded file (Innovate UK publishes its funded-projects workbook "
                "under the Open Government Licence v3.0)")
