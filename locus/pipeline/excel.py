"""Read the ONS Excel workbooks with python-calamine into long Arrow tables.

Each reader names the sheets and cell ranges it uses (see ``data/atlas/SOURCES.md``): a header
row of years, then one row per area with its GSS/ITL code in column A. Suppressed cells
(``:``, ``[c]``, ``[x]``, ``..``, blank) become nulls; any other text in a value cell stops the
build naming the file, row and cell.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pyarrow as pa
from python_calamine import CalamineWorkbook

from locus.errors import DataFileError

_SUPPRESSED = {"", ":", "..", "-", "x", "c", "[c]", "[x]", "[z]", "[low]", "*"}
_MARKER = re.compile(r"^\[[a-z]{1,5}\]$")  # ONS shorthand: [c] confidential, [u] unreliable, ...
_GSS = re.compile(r"^[EWSNK]\d{8}$")
_YEAR = re.compile(r"(\d{4})")

BD_SHEETS: dict[str, tuple[str, ...]] = {
    "enterprise_births": ("Table 1.1a", "Table 1.1b", "Table 1.1c", "Table 1.1d"),
    "active_enterprises": ("Table 3.1a", "Table 3.1b", "Table 3.1c", "Table 3.1d"),
    "high_growth_enterprises": ("Table 7.1a", "Table 7.1b", "Table 7.1c", "Table 7.1d"),
    "active_enterprises_10plus": ("Table 7.3a", "Table 7.3b", "Table 7.3c", "Table 7.3d"),
}
BD_SURVIVAL_SHEETS = ("Table 5.1a", "Table 5.1b", "Table 5.1c", "Table 5.1d", "Table 5.1e")
BD_HEADER_ROW = 3  # 0-based: the fourth row holds the years
PRODUCTIVITY_SHEETS = {"gva_per_hour": "A3", "hours_worked": "Productivity Hours"}
PRODUCTIVITY_HEADER_ROW = 4
GVA_SHEETS = {"gva": "Table 1", "population": "Table 17"}
GVA_INDUSTRY_SHEET = "Table 6"
GVA_HEADER_ROW = 1


def _col(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def _open(path: Path) -> CalamineWorkbook:
    """Open .xls or .xlsx, recognised by content rather than by the file name."""
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    except Exception as exc:  # calamine raises its own types for corrupt/truncated files
        raise DataFileError(f"cannot read workbook ({exc})", path=str(path)) from exc


def _sheet(book: CalamineWorkbook, path: Path, name: str) -> list[list]:
    if name not in book.sheet_names:
        raise DataFileError(f"sheet {name!r} not found", path=str(path), field=name)
    try:
        return book.get_sheet_by_name(name).to_python()
    except Exception as exc:
        raise DataFileError(f"cannot read sheet ({exc})", path=str(path), field=name) from exc


def _number(cell, *, path: Path, sheet: str, row: int, col: int) -> float | None:
    if isinstance(cell, bool):
        raise DataFileError("boolean in a value cell", path=str(path), line=row + 1,
                            field=f"{sheet}!{_col(col)}{row + 1}")
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).strip()
    if text.lower() in _SUPPRESSED or _MARKER.match(text):
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        raise DataFileError(f"not a number: {text!r}", path=str(path), line=row + 1,
                            field=f"{sheet}!{_col(col)}{row + 1}") from None


def _year(cell, *, path: Path, sheet: str, row: int, col: int) -> int:
    match = _YEAR.search(str(int(cell)) if isinstance(cell, float) else str(cell))
    if not match:
        raise DataFileError(f"expected a year in the header, found {cell!r}", path=str(path),
                            line=row + 1, field=f"{sheet}!{_col(col)}{row + 1}")
    return int(match.group(1))


def _wide_rows(rows: list[list], *, path: Path, sheet: str, header_row: int, first_value_col: int,
               code_col: int = 0, code_pattern: re.Pattern | None = _GSS, value_cols=None):
    """Yield (line, code, name, year, value) from a wide sheet (years across)."""
    if len(rows) <= header_row + 1:
        raise DataFileError("sheet has no data rows (truncated?)", path=str(path), field=sheet)
    header = rows[header_row]
    cols = value_cols or range(first_value_col, len(header))
    years = {c: _year(header[c], path=path, sheet=sheet, row=header_row, col=c)
             for c in cols if str(header[c]).strip() != ""}
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        code = str(row[code_col]).strip() if len(row) > code_col else ""
        if code_pattern is not None and not code_pattern.match(code):
            continue
        for c, year in years.items():
            cell = row[c] if c < len(row) else ""
            yield r + 1, code, str(row[code_col + 1]).strip(), year, _number(
                cell, path=path, sheet=sheet, row=r, col=c)


def _table(columns: dict[str, list], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pydict(columns, schema=schema)


_LONG = pa.schema([("series", pa.string()), ("sheet", pa.string()), ("line", pa.int32()),
                   ("code", pa.string()), ("name", pa.string()), ("year", pa.int32()),
                   ("value", pa.float64())])


def _append(out: dict[str, list], series: str, sheet: str, items) -> None:
    for line, code, name, year, value in items:
        for key, val in zip(("series", "sheet", "line", "code", "name", "year", "value"),
                            (series, sheet, line, code, name, year, value), strict=True):
            out[key].append(val)


def _read_bd(path: Path) -> dict[str, pa.Table]:
    book = _open(path)
    out: dict[str, list] = {k: [] for k in _LONG.names}
    for series, sheets in BD_SHEETS.items():
        for sheet in sheets:
            rows = _sheet(book, path, sheet)
            _append(out, series, sheet, _wide_rows(rows, path=path, sheet=sheet,
                                                   header_row=BD_HEADER_ROW, first_value_col=2))
    for sheet in BD_SURVIVAL_SHEETS:
        rows = _sheet(book, path, sheet)
        header = [str(h).strip().lower() for h in rows[BD_HEADER_ROW]]
        try:
            survive_col = next(i for i, h in enumerate(header) if h.startswith("3-year survival"))
        except StopIteration:
            raise DataFileError("no '3-year survival' column", path=str(path),
                                line=BD_HEADER_ROW + 1, field=sheet) from None
        cohort = _year(rows[BD_HEADER_ROW][2], path=path, sheet=sheet, row=BD_HEADER_ROW, col=2)
        for r in range(BD_HEADER_ROW + 1, len(rows)):
            row = rows[r]
            code = str(row[0]).strip()
            if not _GSS.match(code):
                continue
            births = _number(row[2], path=path, sheet=sheet, row=r, col=2)
            survivors = _number(row[survive_col] if survive_col < len(row) else "", path=path,
                                sheet=sheet, row=r, col=survive_col)
            if survivors is None:
                continue
            _append(out, "cohort_births", sheet, [(r + 1, code, str(row[1]).strip(), cohort, births)])
            _append(out, "cohort_survivors_3y", sheet,
                    [(r + 1, code, str(row[1]).strip(), cohort, survivors)])
    return {"ons_bd": _table(out, _LONG)}


def _read_productivity(path: Path) -> dict[str, pa.Table]:
    book = _open(path)
    out: dict[str, list] = {k: [] for k in _LONG.names}
    for series, sheet in PRODUCTIVITY_SHEETS.items():
        rows = _sheet(book, path, sheet)
        _append(out, series, sheet, _wide_rows(rows, path=path, sheet=sheet,
                                               header_row=PRODUCTIVITY_HEADER_ROW, first_value_col=2))
    return {"ons_productivity": _table(out, _LONG)}


_ITL = re.compile(r"^TL[C-N][0-9A-Z]{0,2}$")


def _read_gva(path: Path) -> dict[str, pa.Table]:
    book = _open(path)
    out: dict[str, list] = {k: [] for k in _LONG.names}
    for series, sheet in GVA_SHEETS.items():
        rows = _sheet(book, path, sheet)
        _append(out, series, sheet, _wide_rows(rows, path=path, sheet=sheet, header_row=GVA_HEADER_ROW,
                                               first_value_col=3, code_col=1, code_pattern=_ITL))
    rows = _sheet(book, path, GVA_INDUSTRY_SHEET)
    ind: dict[str, list] = {k: [] for k in ("sheet", "line", "code", "name", "sic_code", "sic_desc",
                                            "year", "value")}
    header = rows[GVA_HEADER_ROW]
    years = {c: _year(header[c], path=path, sheet=GVA_INDUSTRY_SHEET, row=GVA_HEADER_ROW, col=c)
             for c in range(5, len(header))}
    for r in range(GVA_HEADER_ROW + 1, len(rows)):
        row = rows[r]
        code = str(row[1]).strip()
        if not _ITL.match(code):
            continue
        for c, year in years.items():
            value = _number(row[c], path=path, sheet=GVA_INDUSTRY_SHEET, row=r, col=c)
            for key, val in zip(ind, (GVA_INDUSTRY_SHEET, r + 1, code, str(row[2]).strip(),
                                      str(row[3]).strip(), str(row[4]).strip(), year, value),
                                strict=True):
                ind[key].append(val)
    schema = pa.schema([("sheet", pa.string()), ("line", pa.int32()), ("code", pa.string()),
                        ("name", pa.string()), ("sic_code", pa.string()), ("sic_desc", pa.string()),
                        ("year", pa.int32()), ("value", pa.float64())])
    return {"ons_gva": _table(out, _LONG), "ons_gva_industry": _table(ind, schema)}


def read_source(*, kind: str, path: Path) -> dict[str, pa.Table]:
    """Read one ONS workbook into named Arrow tables (``raw_<name>`` in DuckDB)."""
    readers = {"ons_bd": _read_bd, "ons_productivity": _read_productivity, "ons_gva": _read_gva}
    return readers[kind](path)
