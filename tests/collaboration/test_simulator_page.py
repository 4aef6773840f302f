"""The mandate simulator page as a funder uses it: downloads, errors by their fields, plain labels."""

from __future__ import annotations

import base64
import html
import re

import pytest

from tests.collaboration.fixtures.innovate_uk import write_workbook

pytestmark = pytest.mark.django_db


def _upload(client, path, **fields):
    with path.open("rb") as handle:
        return client.post("/collaboration/simulator/upload/",
                           {"rule_set": "innovate-uk-crd", "workbook": handle, **fields})


def test_results_of_an_uploaded_workbook_can_be_downloaded(client, tmp_path):
    """The workbook is not stored, so a link back to the server cannot rebuild the results: the
    page carries the CSV itself (it used to link to /simulator/upload/&format=csv, a 404)."""
    page = _upload(client, write_workbook(tmp_path / "iuk.xlsx")).content.decode()
    href = html.unescape(re.search(r'id="results-csv" href="([^"]+)"', page).group(1))
    assert href.startswith("data:text/csv;charset=utf-8;base64,")
    csv_text = base64.b64decode(href.split(",", 1)[1]).decode()
    assert csv_text.splitlines()[0].startswith("rule_set,version,dimension")
    assert "innovate-uk-crd" in csv_text.splitlines()[1] and ",4,2," in csv_text.splitlines()[1]
    import csv
    import io
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert all(r["source"].startswith("Uploaded workbook iuk.xlsx") for r in rows)
    assert all(r["vintage"] == "2020-2021" for r in rows)
    assert all(r["licence"].startswith("Not known") for r in rows)  # an upload could be any file
    # the workbook gives every participant an Award Offered, so every row's money is grant
    assert rows and all(r["money_basis"] == "grant" and r["money_from_eligible_costs_gbp"] == "0.00"
                        for r in rows)
    assert "here it is the grant of every participant" in page


def test_the_simulator_csv_download_names_the_loaded_datasets(client, tmp_path):
    import csv
    import io

    from locus.collaboration.services import innovate_uk_import

    innovate_uk_import(path=write_workbook(tmp_path / "iuk.xlsx"))
    response = client.get("/collaboration/simulator/", {"rule_set": "innovate-uk-crd", "run": "1",
                                                        "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows and all("Innovate UK funded projects 2020-2021 (imported copy " in r["source"] for r in rows)
    assert all(r["licence"] == "Open Government Licence v3.0" and r["vintage"] == "2020-2021"
               for r in rows)
    assert all(r["money_basis"] == "grant" for r in rows)


def _field_error(page: str, field: str) -> str | None:
    """The error message shown by the field (GOV.UK pattern), if the input points at it."""
    message = re.search(rf'<p id="{field}-error" class="govuk-error-message">.*?</span>\s*(.*?)</p>', page, re.S)
    described = re.search(rf'id="{field}"[^>]*aria-describedby="[^"]*{field}-error', page)
    return html.unescape(message.group(1)) if message and described else None


def test_a_bad_setting_for_an_upload_is_shown_by_the_upload_forms_own_field(client, tmp_path):
    response = _upload(client, write_workbook(tmp_path / "iuk.xlsx"),
                       **{"param-innovate-uk-crd-max_research_share": "lots"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#u-param-max_research_share"' in page
    assert "maximum share" in (_field_error(page, "u-param-max_research_share") or "").lower()
    assert _field_error(page, "workbook") is None  # the workbook was fine


def test_a_bad_workbook_is_named_by_the_file_field(client, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"not a workbook")
    page = _upload(client, path).content.decode()
    assert "fake.xlsx cannot be used" in (_field_error(page, "workbook") or "")


def test_years_that_are_not_years_are_errors_not_ignored(client, tmp_path):
    from locus.collaboration.services import innovate_uk_import

    innovate_uk_import(path=write_workbook(tmp_path / "iuk.xlsx"))
    page = client.get("/collaboration/simulator/", {"run": "1", "year_from": "20201"}).content.decode()
    assert 'href="#year_from"' in page and _field_error(page, "year_from") == "From year must be a year, like 2020"
    assert 'id="results"' not in page and 'value="20201"' in page
    page = client.get("/collaboration/simulator/", {"run": "1", "year_from": "2022", "year_to": "2020"}).content.decode()
    assert _field_error(page, "year_to") == "To year must be the same as or after the from year"
    page = client.get("/collaboration/simulator/", {"run": "1", "year_from": " 2020 "}).content.decode()
    assert 'id="results"' in page


def test_a_bad_setting_and_a_bad_year_are_reported_together_even_when_no_project_matches(client, tmp_path):
    from locus.collaboration.services import innovate_uk_import

    innovate_uk_import(path=write_workbook(tmp_path / "iuk.xlsx"))
    query = {"run": "1", "rule_set": "apc", "param-apc-min_match_funding": "abc"}
    page = client.get("/collaboration/simulator/", {**query, "year_from": "20201"}).content.decode()
    assert re.findall(r'<li><a href="#([\w-]+)">', page) == ["param-min_match_funding", "year_from"]
    page = client.get("/collaboration/simulator/", {**query, "funder": "Nobody"}).content.decode()
    assert _field_error(page, "param-min_match_funding") and "No projects match" not in page


def test_a_workbook_over_the_limit_is_measured_in_the_same_megabytes_as_the_limit(client, tmp_path):
    from locus.collaboration.uploads import MAX_UPLOAD_BYTES

    path = tmp_path / "big.xlsx"
    with path.open("wb") as out:
        out.truncate(MAX_UPLOAD_BYTES + 1)  # one byte over: not "84 MB, the largest is 84 MB"
    page = _upload(client, path).content.decode()
    assert _field_error(page, "workbook") == "The selected file must be 80 MB or smaller (it is 80.1 MB)"


@pytest.mark.parametrize("name,content", [
    ("empty.xlsx", b""), ("fake.xlsx", b"not a workbook"), ("notes.txt", b"hello"), (None, None)])
def test_upload_errors_follow_one_style(client, tmp_path, name, content):
    """GOV.UK error messages: a capital only at the start (not after a colon: "fake.xlsx cannot
    be used: The file is empty" read as two sentences glued together) and no full stop at the end,
    on the simulator's upload and the Data page's import alike."""
    from locus.accounts.roles import Role
    from tests.collaboration.test_pages import signed_in

    def upload(url):
        if name is None:
            return client.post(url, {"rule_set": "innovate-uk-crd"}).content.decode()
        path = tmp_path / name
        path.write_bytes(content)
        with path.open("rb") as handle:
            return client.post(url, {"rule_set": "innovate-uk-crd", "workbook": handle}).content.decode()

    messages = [_field_error(upload("/collaboration/simulator/upload/"), "workbook")]
    signed_in(client, Role.ANALYST)
    messages.append(_field_error(upload("/collaboration/data/import/"), "workbook"))
    for message in messages:
        assert message and (message[0].isupper() or message.startswith(f"{name} ")), messages
        assert not re.search(r": [A-Z]", message) and not message.endswith("."), messages


def test_the_results_say_which_year_a_project_counts_in(client, tmp_path):
    page = _upload(client, write_workbook(tmp_path / "iuk.xlsx")).content.decode()
    assert "Year: Innovate UK's competition year (2020 for 2020/21)" in html.unescape(page)


def test_the_results_name_the_data_they_come_from(client, tmp_path):
    from locus.collaboration.services import innovate_uk_import

    innovate_uk_import(path=write_workbook(tmp_path / "iuk.xlsx"))
    page = html.unescape(client.get("/collaboration/simulator/", {"run": "1"}).content.decode())
    source = re.search(r'id="portfolio-source">(.*?)</p>', page, re.S).group(1)
    assert re.fullmatch(r"Data: Innovate UK funded projects 2020-2021 \(imported copy [0-9a-f]{6}\), "
                        r"Innovate UK \(UK Research and Innovation\), 2020-2021\. Licence: Open "
                        r"Government Licence v3\.0\.", source), source
    uploaded = html.unescape(_upload(client, write_workbook(tmp_path / "mine.xlsx")).content.decode())
    assert "Data: mine.xlsx, the workbook you uploaded (not stored)." in uploaded


def test_the_upload_fields_name_the_formats_that_are_read(client):
    """Both workbook fields say .xlsx or .xls, as the code reads (it said ".xlsx" and took .xls)."""
    from locus.accounts.roles import Role
    from tests.collaboration.test_pages import signed_in

    page = client.get("/collaboration/simulator/").content.decode()
    signed_in(client, Role.ANALYST)
    data = client.get("/collaboration/data/").content.decode()
    for html_text in (page, data):
        label = re.search(r'<label[^>]*for="workbook">([^<]*)</label>', html_text).group(1)
        assert label.endswith("(.xlsx or .xls)"), label
        assert 'id="workbook-hint"' in html_text and "80 MB" in html_text
        assert re.search(r'id="workbook"[^>]*aria-describedby="workbook-hint"', html_text)


def test_the_organisation_type_table_counts_participations_and_changes_read_as_sentences(client, tmp_path):
    """The type table counts participations (a university in two projects is 2), so its column
    says so rather than "Projects"; a change's money follows its sentence instead of trailing
    after the full stop ("... each). (£550,000 of funding ...)")."""
    page = _upload(client, write_workbook(tmp_path / "iuk.xlsx"),
                   rule_set="ukri-collaboration-mandate").content.decode()
    table = page[page.index('id="by-organisation"'):]
    table = table[:table.index("</table>")]
    assert ">Participations</th>" in table and ">In projects that comply</th>" in table
    assert ">Projects</th>" not in table
    by_year = page[page.index('id="by-year"'):]
    assert ">Projects</th>" in by_year[:by_year.index("</table>")]
    changes = page[page.index('id="changes"'):page.index("</ul>", page.index('id="changes"'))]
    assert ". (" not in changes and "of funding in those projects).</li>" in changes


@pytest.mark.parametrize("value", ["", " "])
def test_an_empty_rule_set_is_the_default_rule_set(client, tmp_path, value):
    """rule_set= (empty) on the page or the upload applies the default rule set, not an error."""
    from locus.collaboration.views.simulator import DEFAULT_RULE_SET

    page = client.get("/collaboration/simulator/", {"rule_set": value}).content.decode()
    assert "nknown rule set" not in page and "govuk-error-summary" not in page
    assert re.search(rf'<option value="{DEFAULT_RULE_SET}" selected', page)
    upload = _upload(client, write_workbook(tmp_path / "iuk.xlsx"), rule_set=value)
    assert upload.status_code == 200 and "govuk-error-summary" not in upload.content.decode()


def test_an_unknown_portfolio_is_an_error_by_its_field(client, tmp_path):
    """?dataset=nope simulated nothing without saying why: the Portfolio field says to choose one."""
    from locus.collaboration.services import innovate_uk_import

    innovate_uk_import(path=write_workbook(tmp_path / "iuk.xlsx"))
    page = client.get("/collaboration/simulator/", {"run": "1", "dataset": "nope"}).content.decode()
    assert '<li><a href="#dataset">Choose a portfolio from the list' in page
    assert re.search(r'<select[^>]*id="dataset"[^>]*aria-describedby="dataset-hint dataset-error"', page)
    assert 'id="dataset-error"' in page and 'id="results' not in page
