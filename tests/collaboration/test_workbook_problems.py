"""A refused workbook's bad rows, on the simulator's upload and the Data page's import alike: the
file and sheet named once, then one summary entry per row (line, column, problem) linking to the
file input, the first 20 rows only and then how many more (QA review H20, F14)."""

from __future__ import annotations

import html
import re

import pytest

from locus.accounts.roles import Role
from tests.collaboration.fixtures.innovate_uk import ROWS, write_workbook
from tests.collaboration.test_pages import signed_in

pytestmark = pytest.mark.django_db

PAGES = ("/collaboration/simulator/upload/", "/collaboration/data/import/")


def _bad_workbook(path, bad: int):
    rows = [dict(ROWS[i % len(ROWS)]) for i in range(max(bad, len(ROWS)))]
    for i in range(bad):
        rows[i]["Total Costs (£)"] = "lots"
    rows[0]["Is Lead Participant"] = "maybe"   # two problems in one row: still one entry
    return write_workbook(path, rows)


def _post(client, url, path):
    if url.endswith("/import/"):
        signed_in(client, Role.ANALYST)
    with path.open("rb") as handle:
        response = client.post(url, {"rule_set": "innovate-uk-crd", "workbook": handle})
    assert response.status_code == 400
    return html.unescape(response.content.decode())


def _summary(page: str) -> str:
    start = page.index('class="govuk-error-summary"')
    return page[start:page.index("</div></div>", start)]


@pytest.mark.parametrize("url", PAGES)
def test_each_bad_row_is_one_entry_under_the_file_and_sheet_named_once(client, tmp_path, url):
    page = _post(client, url, _bad_workbook(tmp_path / "consortium-with-errors.xlsx", 4))
    summary = _summary(page)
    assert summary.count("consortium-with-errors.xlsx") == 1
    assert ("consortium-with-errors.xlsx, sheet ‘Innovate UK funded projects’: 4 rows need fixing"
            in summary)
    entries = re.findall(r'<li><a href="#(\w+)">(.*?)</a></li>', summary)
    assert [field for field, _ in entries] == ["workbook"] * 4
    assert entries[0][1] == ("Line 2: column 'Is Lead Participant': 'maybe' is not Yes or No; "
                             "column 'Total Costs (£)': 'lots' is not a number")
    assert [text.split(":")[0] for _, text in entries] == ["Line 2", "Line 3", "Line 4", "Line 5"]
    # the file input says it too, without repeating every row
    assert re.search(r'<p id="workbook-error" class="govuk-error-message">.*4 rows need fixing, '
                     r'listed at the top of the page</p>', page)


@pytest.mark.parametrize("url", PAGES)
def test_many_bad_rows_are_capped_at_twenty_then_counted(client, tmp_path, url):
    page = _post(client, url, _bad_workbook(tmp_path / "many.xlsx", 200))
    summary = _summary(page)
    entries = re.findall(r'<li><a href="#workbook">(.*?)</a></li>', summary)
    assert len(entries) == 21 and entries[-1] == "And 180 more rows need fixing"
    assert max(len(e) for e in entries) < 200   # no run-on link of every error joined
    assert "200 rows need fixing" in summary


def test_a_whole_file_problem_is_still_one_message_naming_the_file(client, tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    for url in PAGES:
        page = _post(client, url, path)
        assert "empty.xlsx cannot be used: the file is empty" in page
        assert "rows need fixing" not in page
