"""The page of one place: every figure on it names where it comes from."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["E47000001", "E92000001", "TLD33"])
def test_each_figure_of_a_place_says_where_it_comes_from(client, code):
    html = client.get(f"/places/{code}/").content.decode()
    for figure in ("population", "density"):
        cell = re.search(rf'<dd[^>]*id="{figure}"[^>]*>(.*?)</dd>', html, re.S)
        assert cell, figure
        assert 'class="govuk-body-s locus-source"' in cell.group(1), figure
    assert "population above divided by the land area above" in html


@pytest.mark.parametrize("code, heading", [("E47000001", "Neighbouring Combined Authorities"),
                                           ("E08000003", "Neighbouring local authority districts"),
                                           ("TLD33", "Neighbouring ITL3 areas")])
def test_neighbours_are_said_to_be_the_places_sharing_a_boundary_not_statistical_ones(client, code, heading):
    html = client.get(f"/places/{code}/").content.decode()
    assert f'<h2 class="govuk-heading-m" id="neighbours-heading">{heading}</h2>' in html
    intro = html.split('id="neighbours-heading">')[1].split('<ul')[0]
    assert "share a boundary with" in intro and "not the statistical neighbours" in intro
    assert 'aria-labelledby="neighbours-heading"' in html


def test_the_boundary_and_the_districts_population_name_publisher_vintage_and_licence(client):
    """The boundary line named no licence, and the districts' population column no source at all."""
    from html import escape

    from locus.geography.sources import geo_source

    html = client.get("/places/E47000001/").content.decode()
    boundary, pop = geo_source("lad_boundaries"), geo_source("mysociety")
    line = html.split('id="boundary-source">')[1].split("</p>")[0]
    assert all(escape(x) in line for x in (boundary.publisher, boundary.title, boundary.vintage, boundary.licence))
    table = html.split('id="members"')[1]
    assert "Population (2020)" in table.split("</thead>")[0]
    note = table.split("</table>")[1].split('id="members-source">')[1].split("</p>")[0]
    assert all(escape(x) in note for x in (pop.publisher, pop.title, pop.vintage, pop.licence))


def test_the_population_says_it_is_not_the_atlas_figure_and_names_both_publications(client):
    """Greater Manchester's 2020 population is 2,848,286 here (mySociety register) and 2,856,110 in
    the atlas (ONS regional accounts, Table 17): the page says which it is, beside the figure (QA H19
    defect 7), without claiming a reason Locus has not checked."""
    html = client.get("/places/E47000001/").content.decode()
    cell = re.search(r'<dd[^>]*id="population"[^>]*>(.*?)</dd>', html, re.S).group(1)
    assert "2,848,286" in cell and "mySociety register, mid-2020 estimates" in cell
    note = re.search(r'id="population-vintage">(.*?)</span>', cell, re.S).group(1)
    assert "Not the atlas&#39;s figure" in note or "Not the atlas's figure" in note
    assert "regional accounts" in note and "Table 17, published 24 April 2024" in note
    assert "different publications of different vintages" in note
    assert "revis" not in note and "first published" not in note  # no unchecked reason


def test_the_atlas_population_indicator_names_the_other_2020_figure():
    from locus.pipeline.catalogue import INDICATORS

    population = next(i for i in INDICATORS if i.id == "population")
    assert "mySociety register" in population.definition and "Table 17" in population.definition
