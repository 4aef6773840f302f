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


def _project_rows(page: str) -> list[str]:
    table = page[page.index('id="projects"'):]
    table = table[:table.index("</table>")]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)[1:]]


def test_ahrc_projects_say_their_year_is_not_in_the_export_and_why(client):
    """The bundled GtR AHRC export has no dates at all (they were corrupted upstream and removed):
    the Year column must say so rather than stay blank, and the page must say why and where the
    dates are (each project's Gateway to Research page)."""
    turing = Organisation.objects.get(name="The Alan Turing Institute")
    page = client.get(f"/collaboration/organisations/{turing.pk}/").content.decode()
    rows = _project_rows(page)
    assert rows and all("Not in the data" in row for row in rows), rows
    note = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[page.index('id="projects-years"'):]))
    assert "Gateway to Research: AHRC projects" in note and "corrupted" in note
    assert "Gateway to Research" in note.split("corrupted", 1)[1]


def test_a_project_with_a_start_date_but_no_year_shows_the_start_year(client):
    """A source may give a start date and no year of its own (a GtR fetch stores both, an
    Innovate UK row without 'Competition Year' only its start): the start date's year is shown."""
    import datetime as dt

    from locus.collaboration.models import Dataset, Participation, Project

    dataset = Dataset.objects.create(key="test-dated", title="Test projects", covers="test",
                                     kind="fetched", publisher="test", licence="OGL", vintage="2021")
    org = Organisation.objects.create(name="Dated Projects Ltd", normalised_name="dated projects",
                                      org_type="business")
    project = Project.objects.create(dataset=dataset, reference="T/1", title="A dated project",
                                     funder="Innovate UK", start_date=dt.date(2021, 4, 1))
    Participation.objects.create(project=project, organisation=org, is_lead=True)
    page = client.get(f"/collaboration/organisations/{org.pk}/").content.decode()
    assert "2021" in _project_rows(page)[0]
    assert 'id="projects-years"' not in page  # every listed project has a year: no note


def test_an_organisation_with_no_partners_is_told_why_without_blaming_only_the_ahrc_export(client):
    """Nuaire is in Nesta's network of Wales with only a link to itself: the note said the AHRC
    export lists leads only, which is not why a network organisation has no partners."""
    from locus.collaboration.models import Organisation

    nuaire = Organisation.objects.get(name="Nuaire Ltd")
    page = client.get(f"/collaboration/organisations/{nuaire.pk}/").content.decode()
    assert "No partners are recorded in the loaded data" in page
    assert "no loaded network links this organisation to another" in page
    # its topics (Nesta's) still let the finder suggest partners for it, on that evidence alone
    assert f"?organisation={nuaire.pk}&amp;search=1" in page and 'id="no-partner-search"' not in page
    assert "No collaborations are recorded for Nuaire Ltd" in page
    cardiff = Organisation.objects.get(ukprn="10007814")
    assert f"?organisation={cardiff.pk}&amp;search=1" in client.get(
        f"/collaboration/organisations/{cardiff.pk}/").content.decode()
