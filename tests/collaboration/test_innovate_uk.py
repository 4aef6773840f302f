"""The Innovate UK workbook importer: format-faithful fixture, row-level errors, all or nothing."""

from __future__ import annotations

from pathlib import Path

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


def test_an_excel_97_2003_xls_file_is_read_and_other_formats_are_refused_by_name(tmp_path):
    """The formats said on the pages, the command line and the guide (.xlsx or .xls) are the ones
    read: a real .xls (the ONS productivity workbook bundled for the atlas) opens and is then judged
    by its columns; the same bytes under a name of another format are refused by that name."""
    import shutil

    source = Path(__file__).resolve().parents[2] / "data/atlas/ons/labourproductivitylocalauthorities.xls"
    xls = tmp_path / "ons.xls"
    shutil.copy(source, xls)
    with pytest.raises(WorkbookError, match="no sheet has a 'Participant Name' column"):
        workbook_read(xls)  # opened and read: only its columns are wrong
    for name in ("ons.ods", "ons.csv", "ons.xlsm", "ons"):
        other = tmp_path / name
        shutil.copy(source, other)
        with pytest.raises(WorkbookError, match=r"the file must be an Excel workbook \(\.xlsx or \.xls\), not"):
            workbook_read(other)
