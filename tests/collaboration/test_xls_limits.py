"""An old-format .xls upload is measured before calamine builds any sheet (ADR 28, addendum): a
workbook with one cell moved to IV65536, the last cell the format allows, made calamine build
65,536 x 256 cells (a peak of about 1 GB, measured) before the size check after it refused the
file. The crafted file is made here from the ONS .xls bundled for the atlas; no binary is kept."""

from __future__ import annotations

import html
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import olefile
import pytest

from locus.collaboration.connectors.innovate_uk import WorkbookError, workbook_read
from locus.collaboration.connectors.workbook_size import xls_extents

ONS_XLS = Path(__file__).resolve().parents[2] / "data/atlas/ons/labourproductivitylocalauthorities.xls"
NUMBER = 0x0203


def far_cell(path: Path, row: int = 65535, column: int = 255) -> Path:
    """A copy of the ONS .xls whose first NUMBER cell on its second sheet ('A1') is moved to
    (row, column), 0-based: the stream keeps its size, so olefile can write it back in place."""
    shutil.copy(ONS_XLS, path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        data = bytearray(ole.openstream("Workbook").read())
        pos, sheets = 0, 0
        while pos + 4 <= len(data):
            code, size = struct.unpack_from("<HH", data, pos)
            sheets += code == 0x0809  # BOF: the globals, then one per sheet
            if sheets == 3 and code == NUMBER:
                struct.pack_into("<HH", data, pos + 4, row, column)
                break
            pos += 4 + size
        else:
            raise AssertionError("no NUMBER record on the second sheet")
        ole.write_stream("Workbook", bytes(data))
    return path


# VmHWM, the process's own peak resident memory (ru_maxrss would carry pytest's over the exec)
_PEAK = """
import re, sys
from locus.collaboration.connectors.innovate_uk import WorkbookError, workbook_read
try:
    workbook_read(sys.argv[1])
except WorkbookError as exc:
    print(exc.problems())
with open("/proc/self/status") as status:
    print(int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1)) // 1024)
"""


def test_a_far_cell_is_refused_before_calamine_builds_the_sheet(tmp_path):
    path = far_cell(tmp_path / "far.xls")
    with pytest.raises(WorkbookError) as caught:
        workbook_read(path)
    assert "sheet 'A1' uses cell IV65536, so it spans 65,536 rows by 256 columns" in \
        caught.value.problems()
    # calamine's allocations are not Python's (tracemalloc misses them): the peak resident
    # memory of a process that reads the file says whether the sheet was built (1 GB) or not
    done = subprocess.run([sys.executable, "-c", _PEAK, str(path)], capture_output=True,
                          text=True, check=True, cwd=Path(__file__).resolve().parents[2])
    problems, peak_mb = done.stdout.rsplit("\n", 2)[:2]
    assert "uses cell IV65536" in problems
    assert int(peak_mb) < 150, f"reading the refused file peaked at {peak_mb} MB"


def test_a_sheet_over_the_column_limit_is_refused_and_a_wide_one_within_it_is_not(tmp_path):
    with pytest.raises(WorkbookError, match=r"uses cell GS\d+, so it spans \d+ rows by 201 columns"):
        workbook_read(far_cell(tmp_path / "wide.xls", row=0, column=200))
    # 200 columns is allowed: the file is then judged on its contents (no participants sheet)
    with pytest.raises(WorkbookError, match="no sheet has a 'Participant Name' column"):
        workbook_read(far_cell(tmp_path / "ok.xls", row=0, column=199))


def test_the_measure_bounds_what_calamine_builds():
    """On a real workbook, every sheet's measured extent covers the block calamine builds (it
    counts blank formatted cells too, as the .xlsx measure does)."""
    from python_calamine import CalamineWorkbook

    extents = xls_extents(str(ONS_XLS))
    book = CalamineWorkbook.from_path(str(ONS_XLS))
    assert set(extents) == set(book.sheet_names)
    for name in book.sheet_names:
        last_row, last_column = book.get_sheet_by_name(name).end
        assert extents[name].rows >= last_row + 1 and extents[name].columns >= last_column + 1


@pytest.mark.parametrize("content", [b"", b"not a workbook at all", b"\xd0\xcf\x11\xe0" * 200])
def test_a_file_that_is_not_an_xls_is_called_damaged(tmp_path, content):
    path = tmp_path / "bad.xls"
    path.write_bytes(content)
    with pytest.raises(WorkbookError, match="the file is empty|or it is damaged"):
        workbook_read(path)


@pytest.mark.django_db
def test_the_simulator_refuses_it_with_a_400(client, tmp_path):
    with far_cell(tmp_path / "far.xls").open("rb") as handle:
        response = client.post("/collaboration/simulator/upload/", {"workbook": handle})
    assert response.status_code == 400
    assert "far.xls cannot be used: sheet 'A1' uses cell IV65536" in \
        html.unescape(response.content.decode())
