"""Networks by place, read by a place analyst: no empty table without a reason, plain labels."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_combined_authorities_for_the_welsh_network_say_why_there_are_none(client):
    page = client.get("/collaboration/network/", {"level": "ca"}).content.decode()
    assert 'id="places"' not in page  # no table of nothing
    reason = re.search(r'id="no-places">(.*?)</p>', page, re.S).group(1)
    assert "Combined Authorities cover parts of England only" in reason


def test_the_most_central_organisations_show_types_in_words(client):
    page = client.get("/collaboration/network/").content.decode()
    table = page[page.index('id="central"'):]
    cells = re.findall(r'<td class="govuk-table__cell">([^<]*)</td>', table)
    assert "University or college" in cells
    assert not {"university", "unknown", "public", "business"} & set(cells)


def _section(page: str) -> str:
    return page[page.index('id="collaboration-heading"'):page.index("</section>", page.index('id="collaboration-heading"'))]


def test_a_sized_network_with_no_business_pair_here_does_not_ask_to_import_sizes(client, tmp_path):
    """Cardiff's one link in the imported Innovate UK workbook joins a university and a large
    business: there is no pair of sized businesses to count, but the workbook has sizes, so the
    place section must not tell the reader to import the workbook it is reading."""
    from locus.collaboration.models import Dataset
    from locus.collaboration.services import innovate_uk_import
    from tests.collaboration.fixtures.innovate_uk import write_workbook

    innovate_uk_import(path=write_workbook(tmp_path / "iuk.xlsx"))
    section = _section(client.get("/places/W06000015/").content.decode())
    imported = section[section.index("Innovate UK funded projects"):]
    assert "None to count: no link here joins two businesses whose sizes are both known" in imported
    assert "these data have no business sizes" not in imported
    assert "these data have no business sizes" in section  # Nesta's Welsh network has none
    key = Dataset.objects.get(key__startswith="innovate-uk").key
    network = client.get("/collaboration/network/", {"dataset": key}).content.decode()
    assert 'id="no-sizes"' not in network and "sizes not known" not in network


def test_every_network_in_a_place_section_names_its_source_vintage_and_licence(client):
    section = _section(client.get("/places/W06000015/").content.decode())
    assert re.search(r"Source: Nesta[^<]*, 2006-2016\. Licence: [^<]*Open Government Licence", section), section[-600:]


def test_a_licence_that_starts_a_sentence_is_not_glued_to_the_source_by_a_semicolon(client):
    """Nesta's licence text begins "No licence stated ...": "2006-2016; No licence" put a capital
    after a semicolon; every source line now says "Licence: ..." instead."""
    for url in ("/collaboration/network/", "/collaboration/data/"):
        page = client.get(url).content.decode()
        assert "; No licence" not in page and "Licence: No licence stated by the repository" in page


def test_a_places_collaboration_section_counts_types_in_plain_plurals(client):
    """"16 business, 7 public body, 2 university or college" read as a list of labels, and
    "rto or catapult" lost its capitals: the counts are in words, with plurals."""
    page = client.get("/places/W06000011/").content.decode()  # Swansea
    section = page[page.index('id="collaboration-heading"'):]
    sentence = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", section.split("</p>", 1)[0]))
    assert re.search(r"\d+ businesses", sentence) and re.search(r"\d+ public bodies", sentence), sentence
    assert re.search(r"\d+ universities or colleges", sentence), sentence
    assert re.search(r"\d+ whose type is not known", sentence), sentence
    assert " business," not in sentence and "public body," not in sentence


@pytest.mark.parametrize("dataset", ["nope", "he-providers"])
def test_a_dataset_that_is_not_a_network_is_an_error_by_its_field_not_a_404(client, dataset):
    """?dataset=nope was a 404 page: the page now says so by the Network field and shows the first
    network; its CSV download answers a 400 naming the parameter and the keys it takes."""
    response = client.get("/collaboration/network/", {"dataset": dataset})
    page = response.content.decode()
    assert response.status_code == 400
    assert '<li><a href="#dataset">Choose a network from the list' in page
    assert 'aria-describedby="dataset-error"' in page and 'id="dataset-error"' in page
    assert "<title>Error: " in page and "Nesta" in page  # the first network is still shown
    csv = client.get("/collaboration/network/indicators.csv", {"dataset": dataset})
    assert csv.status_code == 400 and csv.content.decode().startswith("dataset: no network dataset")
    assert "wales-network-2017" in csv.content.decode()


def test_an_empty_dataset_is_the_default_network(client):
    response = client.get("/collaboration/network/", {"dataset": ""})
    assert response.status_code == 200 and "govuk-error-summary" not in response.content.decode()
    assert client.get("/collaboration/network/indicators.csv", {"dataset": ""}).status_code == 200
