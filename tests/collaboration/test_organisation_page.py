"""An organisation's profile: what each figure is, for projects imported participant by participant."""

from __future__ import annotations

import re

import pytest

from locus.collaboration.models import Organisation
from tests.collaboration.fixtures.innovate_uk import write_workbook

pytestmark = pytest.mark.django_db


def test_an_imported_innovate_uk_project_shows_its_award_not_unknown(client, tmp_path):
    """The workbook gives each participant's 'Award Offered'; the project's award is their sum
    (Cardiff University £400,000 + Welding Giants plc £150,000), and it is listed first (2020)
    before the AHRC projects that have no year."""
    from locus.collaboration.services import innovate_uk_import

    innovate_uk_import(path=write_workbook(tmp_path / "iuk.xlsx"))
    cardiff = Organisation.objects.get(name="Cardiff University")
    page = client.get(f"/collaboration/organisations/{cardiff.pk}/").content.decode()
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", page[page.index('id="projects"'):], re.S)
    first = re.sub(r"<[^>]+>", " ", rows[1])
    assert "Digital twin for welding" in first and "£550,000" in first, first


def test_a_network_only_partner_is_not_said_to_share_no_projects(client):
    """Cardiff University and Swansea University are linked in Nesta's network of Wales (many
    collaborations) but share no project in the loaded project data: a '0' under 'Shared projects'
    beside a weight of 32 read as a contradiction."""
    cardiff = Organisation.objects.get(name="Cardiff University")
    page = client.get(f"/collaboration/organisations/{cardiff.pk}/").content.decode()
    table = page[page.index('id="partners"'):page.index('id="partners-note"')]
    swansea = re.search(r"Swansea University</a></td>(.*?)</tr>", table, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", swansea)
    assert cells[1] == "–" and cells[2].isdigit() and int(cells[2]) > 1, cells
    assert "Collaborations in a network" in table
