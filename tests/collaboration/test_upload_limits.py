"""Workbook uploads cannot exhaust a worker: a sheet's size is measured before it is read, an
over-size body is refused by its declared length before it is received, and another site's page
cannot send the simulator an upload (QA H11, defects 1 and 4)."""

from __future__ import annotations

import html
import time
import tracemalloc
import zipfile

import pytest
from django.test import Client

from locus.accounts.roles import Role
from locus.collaboration.connectors import workbook_size
from locus.collaboration.connectors.innovate_uk import WorkbookError, workbook_read
from locus.collaboration.uploads import MAX_UPLOAD_BYTES
from tests.collaboration.fixtures.innovate_uk import ROWS, write_workbook
from tests.collaboration.test_pages import signed_in

pytestmark = pytest.mark.django_db

SIMULATOR = "/collaboration/simulator/upload/"
IMPORT = "/collaboration/data/import/"
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def crafted(path, cells: str):
    """A minimal valid .xlsx whose one sheet, 'S', holds the given <row> XML (QA's mkx.py)."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
        'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{_REL}"><Relationship Id="rId1" '
                       f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{_NS}" xmlns:r="{_DOC}"><sheets>'
                           '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{_REL}"><Relationship '
                                      f'Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
                                      '</Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet xmlns="{_NS}"><sheetData>{cells}'
                                    '</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            book.writestr(name, text)
    return path


def corners(path, far: str, row: int):
    """One value in A1 and one in the far corner: a 1.5 KB file declaring a huge sheet."""
    return crafted(path, f'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
                         f'<row r="{row}"><c r="{far}{row}" t="inlineStr"><is><t>y</t></is></c></row>')


@pytest.mark.parametrize(("far", "row", "cell"), [("XFD", 1048576, "XFD1048576"),
                                                  ("Z", 1000000, "Z1000000")])
def test_a_tiny_workbook_declaring_a_huge_sheet_is_refused_without_reading_it(tmp_path, far, row, cell):
    """The 1.5 KB file that made calamine ask for 512 GB (and abort the worker), and the one that
    held a worker 7.8 s at 1.5 GB, are refused at once, in a few MB, naming the cell."""
    path = corners(tmp_path / "big.xlsx", far, row)
    assert path.stat().st_size < 2000
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(WorkbookError) as caught:
            workbook_read(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 2
    assert peak < 50 * 1024 * 1024
    assert f"sheet 'S' uses cell {cell}, so it spans {row:,} rows" in caught.value.problems()
    assert "at most 200 columns and 10,000,000 cells" in caught.value.problems()


def test_the_simulator_refuses_such_a_workbook_with_a_400(client, tmp_path):
    with corners(tmp_path / "big.xlsx", "XFD", 1048576).open("rb") as handle:
        response = client.post(SIMULATOR, {"workbook": handle})
    assert response.status_code == 400
    assert "big.xlsx cannot be used: sheet 'S' uses cell XFD1048576" in html.unescape(response.content.decode())


def test_the_analysts_import_refuses_it_too(client, tmp_path):
    signed_in(client, Role.ANALYST)
    with corners(tmp_path / "big.xlsx", "XFD", 1048576).open("rb") as handle:
        response = client.post(IMPORT, {"workbook": handle})
    assert response.status_code == 400 and "uses cell XFD1048576" in response.content.decode()


def test_cells_without_references_are_placed_one_by_one(tmp_path):
    """Excel always writes r="A1"; a writer that does not is measured by position (expat)."""
    wide = "".join('<c t="inlineStr"><is><t>x</t></is></c>' for _ in range(201))
    with pytest.raises(WorkbookError, match="uses cell GS1, so it spans 1 rows by 201 columns"):
        workbook_read(crafted(tmp_path / "wide.xlsx", f"<row>{wide}</row>"))
    narrow = '<c s="1" r="GR5"/>'  # formatted, with a reference after another attribute: counted
    with pytest.raises(WorkbookError, match="no sheet has a 'Participant Name' column"):
        workbook_read(crafted(tmp_path / "ok.xlsx", f'<row r="5">{narrow}</row>'))
    formatted = '<c s="1" r="GS5"/>'  # past 200 columns even though only formatted
    with pytest.raises(WorkbookError, match="uses cell GS5"):
        workbook_read(crafted(tmp_path / "formatted.xlsx", f'<row r="5">{formatted}</row>'))


def test_a_workbook_that_unpacks_past_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook_size, "MAX_UNZIPPED_BYTES", 4000)
    path = corners(tmp_path / "bomb.xlsx", "B", 2)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/sharedStrings.xml", "<sst>" + " " * 10_000 + "</sst>")
    with pytest.raises(WorkbookError, match="it unpacks to"):
        workbook_read(path)


def test_a_normal_workbook_is_still_read(tmp_path):
    path = write_workbook(tmp_path / "iuk.xlsx")
    assert workbook_size.xlsx_extents(str(path)) == {
        "Innovate UK funded projects": workbook_size.SheetExtent(rows=len(ROWS) + 1, columns=27)}
    assert len(workbook_read(path)) == len(ROWS)


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.parametrize("url", [SIMULATOR, IMPORT])
def test_an_over_size_upload_is_refused_by_its_length_before_it_is_read(client, url):
    signed_in(client, Role.ANALYST)
    length = MAX_UPLOAD_BYTES * 3 // 2
    response = client.generic("POST", url, b"", content_type="multipart/form-data; boundary=x",
                              CONTENT_LENGTH=str(length), **{"wsgi.input": Unreadable()})
    assert response.status_code == 400
    assert "The selected file must be 80 MB or smaller (it is 120.0 MB)" in response.content.decode()


def test_another_sites_page_cannot_send_the_simulator_an_upload(tmp_path):
    """The simulator sets no cookie for visitors (so no CSRF token): a cross-site POST is refused
    by the headers browsers send, before the body is read; the site's own page and scripts work."""
    client = Client(enforce_csrf_checks=True)
    for headers in ({"HTTP_SEC_FETCH_SITE": "cross-site"}, {"HTTP_SEC_FETCH_SITE": "same-site"},
                    {"HTTP_ORIGIN": "https://evil.example"}, {"HTTP_ORIGIN": "null"}):
        response = client.generic("POST", SIMULATOR, b"", content_type="multipart/form-data; boundary=x",
                                  CONTENT_LENGTH="100", **{"wsgi.input": Unreadable()}, **headers)
        assert response.status_code == 403, headers
        assert "Sorry, your form could not be sent" in response.content.decode()
    path = write_workbook(tmp_path / "iuk.xlsx")
    for headers in ({"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"},
                    {"HTTP_ORIGIN": "http://testserver"}, {}):
        with path.open("rb") as handle:
            response = client.post(SIMULATOR, {"workbook": handle}, **headers)
        assert response.status_code == 200, headers
    assert not client.get("/collaboration/simulator/").cookies


def test_the_analysts_import_needs_the_csrf_token(tmp_path):
    client = Client(enforce_csrf_checks=True)
    signed_in(client, Role.ANALYST)
    with write_workbook(tmp_path / "iuk.xlsx").open("rb") as handle:
        response = client.post(IMPORT, {"workbook": handle})
    assert response.status_code == 403 and "Sorry, your form could not be sent" in response.content.decode()
    token = client.get("/collaboration/data/").cookies["csrftoken"].value
    with write_workbook(tmp_path / "iuk.xlsx").open("rb") as handle:
        response = client.post(IMPORT, {"workbook": handle, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
