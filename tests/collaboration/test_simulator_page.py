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
