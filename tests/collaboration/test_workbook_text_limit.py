"""A workbook's text is measured before calamine reads it, and the public upload is rate-limited
(QA H30, finding 1; ADR 28, second addendum). calamine gives every cell its own copy of the text
it shows, so a 2.5 MB .xlsx whose cells all show one 32,767-character shared string asked for
about 32 GB while passing every size limit. The bombs here are built at test time, small on disk,
and are refused by the measure: calamine is replaced by a stand-in that fails the test if reached.
"""

from __future__ import annotations

import html
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import olefile
import pytest
import python_calamine
from django.test import Client

from locus.accounts.roles import Role
from locus.collaboration.connectors import workbook_size
from locus.collaboration.connectors.innovate_uk import WorkbookError, workbook_read
from locus.collaboration.views import simulator as simulator_view
from tests.collaboration.fixtures.innovate_uk import ROWS, write_workbook
from tests.collaboration.test_pages import signed_in
from tests.collaboration.test_upload_limits import _DOC, _NS, _REL, IMPORT, SIMULATOR

ROOT = Path(__file__).resolve().parents[2]
ONS = ROOT / "data/atlas/ons"
ONS_XLS = ONS / "labourproductivitylocalauthorities.xls"
REAL = [ONS_XLS, ONS / "businessdemographyexceltables2024.xlsx",
        ONS / "regionalgrossvalueaddedbalancedperheadandincomecomponents-2.xlsx"]


def _column(number: int) -> str:
    return workbook_size.column_letters(number)


def shared_bomb(path: Path, rows: int, columns: int, length: int, cell: str | None = None) -> Path:
    """QA H30's mk.py: one shared string of ``length`` characters, shown by every cell."""
    cell = cell or '<c r="{ref}" t="s"><v>0</v></c>'
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{_REL}"><Relationship Id="rId1" '
                       f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{_NS}" xmlns:r="{_DOC}"><sheets>'
                           '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            f'<?xml version="1.0"?><Relationships xmlns="{_REL}"><Relationship Id="rId1" '
            f'Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
            f'Type="{_DOC}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/sharedStrings.xml": f'<?xml version="1.0"?><sst xmlns="{_NS}" count="1" uniqueCount="1">'
                                f'<si><t>{"x" * length}</t></si></sst>',
    }
    names = [_column(c) for c in range(1, columns + 1)]
    sheet = "".join(f'<row r="{r}">' + "".join(cell.format(ref=f"{n}{r}") for n in names) + "</row>"
                    for r in range(1, rows + 1))
    parts["xl/worksheets/sheet1.xml"] = (f'<?xml version="1.0"?><worksheet xmlns="{_NS}"><sheetData>'
                                         f"{sheet}</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            book.writestr(name, text)
    return path


@pytest.fixture
def calamine_unreachable(monkeypatch):
    """calamine replaced by a stand-in that fails the test if the reader asks it for anything."""
    asked = []

    class Unreachable:
        @staticmethod
        def from_path(path):
            asked.append(path)
            raise AssertionError(f"calamine was asked to read {path}")

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Unreachable)
    yield asked
    assert asked == [], "calamine was reached"


def test_a_small_file_whose_cells_all_show_one_long_text_is_refused_before_calamine(
        tmp_path, calamine_unreachable):
    # 14,000 cells x 32,767 characters = 459 million characters (about 1 GB for calamine and
    # Python), from a file of a few KB
    path = shared_bomb(tmp_path / "bomb.xlsx", rows=70, columns=200, length=32_767)
    assert path.stat().st_size < 200_000
    with pytest.raises(WorkbookError) as caught:
        workbook_read(path)
    problems = caught.value.problems()
    assert "the cells of sheet 'S' hold more than 400,000,000 characters of text" in problems
    assert "a text shown in many cells counts once for each cell" in problems
    assert "save it again" in problems


def test_the_refusal_stays_small_in_a_separate_process(tmp_path):
    """calamine's allocations are not Python's: the whole process's peak resident memory says
    that nothing was built (QA's 2.5 MB tiny32k.xlsx asked for about 32 GB)."""
    path = shared_bomb(tmp_path / "bomb.xlsx", rows=70, columns=200, length=32_767)
    code = ("import re, sys\nfrom locus.collaboration.connectors.innovate_uk import WorkbookError, "
            "workbook_read\ntry:\n    workbook_read(sys.argv[1])\nexcept WorkbookError as exc:\n"
            "    print(exc.problems())\nwith open('/proc/self/status') as s:\n"
            "    print(int(re.search(r'VmHWM:\\s+(\\d+) kB', s.read()).group(1)) // 1024)\n")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    problems, peak_mb = done.stdout.rsplit("\n", 2)[:2]
    assert "characters of text" in problems
    assert int(peak_mb) < 150, f"refusing the bomb peaked at {peak_mb} MB"


@pytest.mark.parametrize("cell", [
    '<c r="{ref}" t="s"><f>"x"</f><v>0</v></c>',        # a formula before the value
    "<c r='{ref}' s='1' t = 's' ><v> 0 </v></c>",       # other quotes and spaces
    '<x:c r="{ref}" t="s"><x:v>0</x:v></x:c>',          # a namespace prefix
    '<c t="s"><v>0</v></c>',                            # no reference: placed by expat
])
def test_every_way_of_writing_a_shared_string_cell_is_counted(tmp_path, monkeypatch, cell):
    monkeypatch.setattr(workbook_size, "MAX_TEXT_CHARS", 99_999)
    path = shared_bomb(tmp_path / "bomb.xlsx", rows=10, columns=10, length=1_000, cell=cell)
    if "x:c" in cell:  # the prefix must be declared
        with zipfile.ZipFile(path) as book:
            parts = {i.filename: book.read(i) for i in book.infolist()}
        parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
            b"<worksheet ", b'<worksheet xmlns:x="' + _NS.encode() + b'" ')
        with zipfile.ZipFile(path, "w") as book:
            for name, data in parts.items():
                book.writestr(name, data)
    with pytest.raises(workbook_size.WorkbookTooBig, match="more than 99,999 characters"):
        workbook_size.xlsx_extents(str(path))
    monkeypatch.setattr(workbook_size, "MAX_TEXT_CHARS", 101_000)  # 100 cells x 1,000: allowed
    # each cell's index counts too (one character, or three with its spaces)
    assert 100_100 <= workbook_size.xlsx_extents(str(path))["S"].text <= 100_300


@pytest.mark.parametrize("kind", ['t="inlineStr"', "", 't="n"', 't="b"'])
def test_repeated_inline_text_counts_too_whatever_the_cell_type(tmp_path, monkeypatch, kind):
    """calamine takes an <is>'s text whatever the cell's type says, so every one counts."""
    monkeypatch.setattr(workbook_size, "MAX_TEXT_CHARS", 50_000)
    inline = f'<c r="{{ref}}" {kind}><is><t>' + "y" * 1_000 + "</t></is></c>"
    path = shared_bomb(tmp_path / "inline.xlsx", rows=10, columns=10, length=1, cell=inline)
    with pytest.raises(workbook_size.WorkbookTooBig, match="characters of text"):
        workbook_size.xlsx_extents(str(path))


@pytest.mark.parametrize("chunk", [*range(100, 140), 997])  # > the longest tag here
def test_cells_split_between_chunks_are_counted_once(tmp_path, monkeypatch, chunk):
    """The sheet is read in 1 MB pieces: wherever a piece ends (inside a cell, at its end tag,
    after it), each cell is counted once (QA's 4,000,000-cell file once lost 3 of them)."""
    monkeypatch.setattr(workbook_size, "_CHUNK", chunk)
    path = shared_bomb(tmp_path / "cells.xlsx", rows=30, columns=7, length=37)
    assert workbook_size.xlsx_extents(str(path))["S"].text == 30 * 7 * (37 + 1)  # and its index


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_the_measure_is_what_calamine_builds_on_real_workbooks(path):
    """On real workbooks (ONS, written by Excel: shared strings in .xlsx, SST in .xls) the text
    measured for each sheet covers the text calamine gives Python (an .xlsx's numbers count too,
    as their digits; an .xls counts exactly)."""
    from python_calamine import CalamineWorkbook

    extents = (workbook_size.xls_extents if path.suffix == ".xls" else
               workbook_size.xlsx_extents)(str(path))
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        text = sum(len(value) for row in rows for value in row if isinstance(value, str))
        if path.suffix == ".xls":
            assert extents[name].text == text, name
        else:
            assert text <= extents[name].text <= 2 * text + 100_000, name


def test_a_real_shaped_workbook_is_far_below_the_limit(tmp_path):
    path = write_workbook(tmp_path / "iuk.xlsx")
    text = workbook_size.xlsx_extents(str(path))["Innovate UK funded projects"].text
    assert 0 < text < workbook_size.MAX_TEXT_CHARS / 10_000
    assert len(workbook_read(path)) == len(ROWS)


def _xls_all_labels_show_the_longest_text(path: Path) -> Path:
    """A copy of the ONS .xls whose every LABELSST cell shows the SST's longest string (the
    stream keeps its size, so olefile writes it back in place)."""
    shutil.copy(ONS_XLS, path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        data = bytearray(ole.openstream("Workbook").read())
        pos, longest = 0, None
        while pos + 4 <= len(data):
            code, size = struct.unpack_from("<HH", data, pos)
            if code == 0x00FC:
                lengths = workbook_size._xls_shared_lengths(bytes(data), pos)
                longest = max(range(len(lengths)), key=lengths.__getitem__)
            elif code == 0x00FD:
                struct.pack_into("<I", data, pos + 10, longest)
            pos += 4 + size
        ole.write_stream("Workbook", bytes(data))
    return path


def test_an_xls_whose_cells_show_one_long_text_is_refused_before_calamine(
        tmp_path, monkeypatch, calamine_unreachable):
    """calamine copies an SST string into every LABELSST cell as it does a shared string: the
    .xls is measured the same way (limit lowered: the real file is too small for 400 million)."""
    monkeypatch.setattr(workbook_size, "MAX_TEXT_CHARS", 100_000)
    assert max(e.text for e in workbook_size.xls_extents(str(ONS_XLS)).values()) < 10_000
    path = _xls_all_labels_show_the_longest_text(tmp_path / "bomb.xls")
    with pytest.raises(WorkbookError, match="the cells of sheet '.+' hold more than 100,000 "):
        workbook_read(path)


@pytest.mark.django_db
def test_the_simulator_refuses_the_bomb_with_a_400(client, tmp_path, calamine_unreachable):
    with shared_bomb(tmp_path / "bomb.xlsx", 70, 200, 32_767).open("rb") as handle:
        response = client.post(SIMULATOR, {"workbook": handle})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "bomb.xlsx cannot be used: the cells of sheet 'S' hold more than 400,000,000" in page


# -- the public upload's rate limit --

def _post(client: Client, url: str = SIMULATOR, name: str = "x.xlsx"):
    return client.post(url, {"workbook": (_file(name))})


def _file(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"not a workbook")


@pytest.mark.django_db
def test_the_simulator_upload_answers_429_past_the_limit_per_client(calamine_unreachable):
    first, other = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    for _ in range(simulator_view.UPLOADS_PER_CLIENT):
        assert _post(first).status_code == 400  # read (and refused as damaged), not throttled
    refused = _post(first)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 61
    page = html.unescape(refused.content.decode())
    assert "You have sent 5 workbooks in the last minute" in page
    assert "Wait until " in page and ", then try again" in page
    assert 'class="govuk-error-summary"' in page
    assert _post(other).status_code == 400  # another client is not held back


@pytest.mark.django_db
def test_choosing_settings_is_not_counted(calamine_unreachable):
    client = Client(REMOTE_ADDR="192.0.2.3")
    for _ in range(simulator_view.UPLOADS_PER_CLIENT + 2):
        response = client.post(SIMULATOR, {"update": "1", "rule_set": "apc"})
        assert response.status_code == 200
    assert _post(client).status_code == 400


@pytest.mark.django_db
def test_the_analysts_import_is_not_limited(client):
    signed_in(client, Role.ANALYST)
    for _ in range(simulator_view.UPLOADS_PER_CLIENT + 2):
        assert _post(client, IMPORT).status_code == 400
