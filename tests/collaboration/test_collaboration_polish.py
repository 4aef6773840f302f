"""Small fixes from the QA review (H20, "Collaboration: polish"): money in the grant error has £
signs, an empty needs= is no need, an empty simulation says what the data hold, and an imported
file's name is not published as a dataset's name."""

from __future__ import annotations

import html
import re

import pytest

from locus.collaboration.models import Dataset
from tests.collaboration.fixtures.innovate_uk import write_workbook

pytestmark = pytest.mark.django_db


def test_the_grant_error_shows_pounds(client):
    page = html.unescape(client.get("/collaboration/check/", {
        "action": "check", "rule_set": "all", "n": "2", "lead": "0",
        "p0-name": "Acme Ltd", "p0-type": "business", "p0-size": "small", "p0-costs": "500000",
        "p0-grant": "2000000", "p0-publishes": "no", "p0-claims": "yes",
        "p1-name": "Cardiff University", "p1-type": "research", "p1-costs": "300000",
        "p1-publishes": "yes", "p1-claims": "yes"}).content.decode())
    assert ("the grant requested (£2,000,000) cannot be more than the organisation's eligible "
            "costs (£500,000)") in page


def test_an_empty_need_is_no_need_and_an_unknown_one_is_said_in_words(client):
    page = html.unescape(client.get("/collaboration/partners/", {
        "search": "1", "description": "marine energy", "needs": "", "types": ""}).content.decode())
    assert "Unknown need" not in page and "unknown need" not in page and "Suggested partners" in page
    page = html.unescape(client.get("/collaboration/partners/", {
        "search": "1", "description": "marine energy", "needs": "unicorn"}).content.decode())
    assert 'href="#needs-sme"' in page and "Choose what your consortium lacks from the list" in page
    assert "research_or_rto" not in re.sub(r'(id|for|value|href)="[^"]*"', "", page)


def test_no_matching_projects_says_which_funders_and_years_the_data_hold(client, tmp_path):
    from locus.collaboration.services import innovate_uk_import

    innovate_uk_import(path=write_workbook(tmp_path / "iuk.xlsx"))
    page = html.unescape(client.get("/collaboration/simulator/", {
        "run": "1", "year_from": "2030"}).content.decode())
    assert "No projects match those filters. The participant-level data hold:" in page
    coverage = re.search(r'<ul class="govuk-list govuk-list--bullet" id="coverage">(.*?)</ul>', page, re.S)
    assert coverage and "Innovate UK: 2020 to 2021 (4 projects)" in coverage.group(1)


def test_an_imported_files_name_is_not_published_as_the_datasets_name(client, tmp_path):
    from locus.collaboration.services import innovate_uk_import

    innovate_uk_import(path=write_workbook(tmp_path / "board-draft-grants.xlsx"))
    dataset = Dataset.objects.get(key__startswith="innovate-uk:")
    assert "board-draft" not in dataset.title and "board-draft" not in dataset.covers
    assert dataset.title.startswith("Innovate UK funded projects 2020-2021 (imported copy ")
    assert dataset.summary["file"] == "board-draft-grants.xlsx"  # kept for analysts
    for url in ("/collaboration/simulator/", "/collaboration/data/"):
        assert "board-draft" not in client.get(url).content.decode()
