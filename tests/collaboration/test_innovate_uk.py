"""The Innovate UK workbook importer: format-faithful fixture, row-level errors, all or nothing."""

from __future__ import annotations

import pytest

from locus.collaboration.connectors.innovate_uk import COLUMNS, WorkbookError, workbook_read
from tests.collaboration.fixtures.innovate_uk import ROWS, write_workbook


def test_reads_every_participant_row(tmp_path):
    rows = workbook_read(write_workbook(tmp_path / "iuk.xlsx"))
    assert len(rows) == len(ROWS)
    lead = rows[0]
    assert lead.project_number == "10012345" and lead.is_lead and lead.year == 2020
    assert lead.award == 350000 and lead.total_costs == 700000 and lead.company_number == "01234567"
    assert lead.start.isoformat() == "2020-04-01" and lead.postcode == "M1 1AA"
    assert rows[7].withdrawn and not rows[6].withdrawn


def test_older_grant_offered_column_is_accepted(tmp_path):
    columns = tuple("Grant Offered (£)" if c == "Award Offered (£)" else c for c in COLUMNS)
    renamed = [{("Grant Offered (£)" if k == "Award Offered (£)" else k): v for k, v in r.items()}
               for r in ROWS]
    rows = workbook_read(write_workbook(tmp_path / "old.xlsx", renamed, columns))
    assert rows[0].award == 350000


def test_missing_columns_are_all_named(tmp_path):
    columns = tuple(c for c in COLUMNS if c not in ("Total Costs (£)", "Postcode"))
    with pytest.raises(WorkbookError) as caught:
        workbook_read(write_workbook(tmp_path / "bad.xlsx", columns=columns))
    assert {e.field for e in caught.value.errors} == {"Total Costs (£)", "Postcode"}
    assert "nothing was imported" in str(caught.value)


def test_bad_rows_are_all_reported_with_line_and_column(tmp_path):
    rows = [dict(r) for r in ROWS]
    rows[1]["Total Costs (£)"] = "lots"
    rows[2]["Award Offered (£)"] = -5
    rows[3]["Participant Name"] = ""
    rows[4]["Is Lead Participant"] = "Maybe"
    rows[5]["Project Start Date"] = "31/02/2021"
    with pytest.raises(WorkbookError) as caught:
        workbook_read(write_workbook(tmp_path / "bad.xlsx", rows))
    found = {(e.line, e.field) for e in caught.value.errors}
    assert found == {(3, "Total Costs (£)"), (4, "Award Offered (£)"), (5, "Participant Name"),
                     (6, "Is Lead Participant"), (7, "Project Start Date")}
    assert "negative" in str(caught.value) and "'lots' is not a number" in str(caught.value)


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook")
    with pytest.raises(WorkbookError, match="notes.xlsx: nothing was imported. 1 problem: the file is not an Excel workbook"):
        workbook_read(path)
