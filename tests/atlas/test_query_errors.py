"""A query parameter with a value that is not valid, on the map page, its JSON and the downloads: a 400
that names the parameter (a GOV.UK error at the field on the page), never a silent substitute or a
missing-page 404, as in the API."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _year_group(page: str) -> str:
    return page.split('<label class="govuk-label govuk-label--s" for="year">')[0].rsplit("<div", 1)[1] + \
        page.split('<label class="govuk-label govuk-label--s" for="year">')[1].split("</select>")[0]


@pytest.mark.parametrize("year", ["abc", "2019.0", "-1", "1800", "99999999999999999999", "\u0662\u0660\u0661\u0669"])
def test_a_year_that_is_not_a_year_is_a_400_with_an_error_at_the_year_box(client, year):
    response = client.get("/atlas/", {"measure": "ind:gva_per_hour", "year": year})
    page = response.content.decode()
    assert response.status_code == 400 and "<title>Error: " in page
    summary = page.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert 'href="#year"' in summary and "is not a year" in summary and "latest year" in summary
    group = _year_group(page)
    assert "govuk-form-group--error" in group and 'aria-describedby="year-error"' in group
    assert "govuk-select--error" in group and f'value="{year}"' not in group
    # the map shown is the default year's, and its heading says which year that is
    heading = page.split('id="map-heading">')[1].split("</h2>")[0]
    default = client.get("/atlas/", {"measure": "ind:gva_per_hour"}).content.decode()
    assert heading == default.split('id="map-heading">')[1].split("</h2>")[0] and heading.endswith("2022")
    assert 'id="map-table"' in page


def test_latest_or_a_blank_year_is_the_default_map_without_an_error(client):
    for year in ("", "latest"):
        response = client.get("/atlas/", {"year": year})
        assert response.status_code == 200 and 'id="year-error"' not in response.content.decode()


def test_a_year_given_for_a_weak_link_gap_says_that_it_does_not_apply(client):
    response = client.get("/atlas/", {"measure": "gap:knowledge_exchange", "year": "2015"})
    page = response.content.decode()
    assert response.status_code == 200
    note = page.split('id="year-note">')[1].split("</div>")[0]
    assert "latest assessment, not 2015" in note
    assert 'id="year-note"' not in client.get("/atlas/", {"measure": "gap:knowledge_exchange"}).content.decode()


def test_map_data_json_names_a_year_that_is_not_a_year(client):
    response = client.get("/atlas/map-data.json", {"year": "abc"})
    assert response.status_code == 400 and response.json()["detail"].startswith("year: 'abc' is not a year")
    assert client.get("/atlas/map-data.json", {"year": "2019"}).status_code == 200


@pytest.mark.parametrize("url, param, words", [
    ("/atlas/download/pathway.csv?area=XX1", "area", "XX1"),
    ("/atlas/download/indicator-values.xlsx", "area", "Give an area code"),
    ("/atlas/download/neighbours.geojson?area=nowhere", "area", "NOWHERE"),
    ("/atlas/download/map.csv?measure=ind:zzz", "measure", "zzz"),
    ("/atlas/download/map.csv?level=county", "level", "county"),
    ("/atlas/download/map.geojson?year=abc", "year", "abc"),
    ("/atlas/download/weak-links.csv?level=itl2", "level", "itl2"),
    ("/atlas/download/opportunities.csv?ca=TLD33", "ca", "not a Combined Authority"),
    ("/atlas/download/compare.csv?areas=E47000001", "areas", "at least 2"),
    ("/atlas/download/infrastructure.csv?kind=castle", "kind", "castle"),
    ("/atlas/download/pathway.csv?area=TLD33&area=TLD34", "area", "given 2 times"),
])
def test_a_download_with_a_bad_parameter_is_a_400_naming_it(client, url, param, words):
    response = client.get(url)
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    detail = response.json()["detail"]
    assert detail.startswith(f"{param}: ") and words in detail
    page = client.get(url, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")  # a browser
    html = page.content.decode()
    assert page.status_code == 400 and "<title>Error: This download cannot be made" in html
    assert f"<code>{param}</code>" in html and 'href="/atlas/downloads/"' in html
    assert "Page not found" not in html


def test_a_good_download_still_works_after_the_checks(client):
    for url in ("/atlas/download/pathway.csv?area=TLD33", "/atlas/download/infrastructure.csv?kind=university",
                "/atlas/download/map.csv?measure=ind:gva_per_hour&level=ca&year=latest"):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv"), url


def test_map_data_json_refuses_a_parameter_given_twice_as_the_api_does(client):
    response = client.get("/atlas/map-data.json?level=ca&level=lad")
    assert response.status_code == 400 and response.json()["detail"] == "level: given 2 times; give level once."


def _summary(page: str) -> str:
    return page.split("govuk-error-summary__list")[1].split("</ul>")[0]


@pytest.mark.parametrize("query, shown", [
    ({"sort": "zz"}, "is not a column (rank, name or value)"),
    ({"sort": "name", "order": "zz"}, "is not a sort order (asc or desc)"),
])
def test_an_unknown_sort_column_or_order_is_a_400_with_an_error_at_the_tables_headings(client, query, shown):
    response = client.get("/atlas/", {"measure": "stage:research", "level": "ca", **query})
    page = response.content.decode()
    assert response.status_code == 400 and "<title>Error: " in page
    summary = _summary(page)
    assert 'href="#sort"' in summary and "\u201czz\u201d" in summary and shown in summary
    assert 'id="sort"' in page.split('id="map-table"')[1].split("</thead>")[0]  # the link lands on the Rank heading
    assert '<p id="sort-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ' in page
    assert 'aria-describedby="sort-error"' in page.split('id="map-table"')[1].split(">")[0]  # the table's tag
    # the table shown is the default one: rank order for a bad column, ascending for a bad order
    if query["sort"] == "zz":
        ranks = [int(r) for r in _ranks(page)]
        assert ranks == sorted(ranks) and len(ranks) > 10
    else:
        names = [r.split(">")[-1] for r in page.split('id="map-table"')[1].split("</tbody>")[0]
                 .split('</a> <span class="locus-source">')[:-1]]
        assert names == sorted(names) and len(names) == 15


def _ranks(page: str) -> list[str]:
    body = page.split('id="map-table"')[1].split("<tbody")[1].split("</tbody>")[0]
    return [row.split('govuk-table__cell--numeric">')[1].split("<")[0] for row in body.split("<tr")[1:]
            if row.split('govuk-table__cell--numeric">')[1].split("<")[0].isdigit()]


def test_a_valid_sort_has_no_error(client):
    response = client.get("/atlas/", {"level": "ca", "sort": "value", "order": "desc"})
    assert response.status_code == 200 and 'id="sort-error"' not in response.content.decode()


@pytest.mark.parametrize("param, values, field", [
    ("level", ["ca", "lad"], "level"),
    ("measure", ["stage:research", "ind:gva_per_hour"], "measure"),
    ("year", ["2019", "2020"], "year"),
    ("sort", ["name", "value"], "sort"),
    ("order", ["asc", "desc"], "sort"),
])
def test_a_parameter_given_twice_on_the_map_page_is_a_400_at_its_field_as_in_map_data_json(client, param, values, field):
    query = "&".join(f"{param}={v}" for v in values)
    response = client.get(f"/atlas/?{query}")
    page = response.content.decode()
    assert response.status_code == 400 and "<title>Error: " in page
    summary = _summary(page)
    assert f'href="#{field}"' in summary and f"gives {param} 2 times" in summary
    assert all(f"\u201c{v}\u201d" in summary for v in values)
    assert f'id="{field}-error"' in page
    if param == "level":  # the default map is shown under the error, never one of the two silently
        heading = page.split('id="map-heading">')[1].split("</h2>")[0]
        assert ": ITL3 areas, " in heading and "Combined" not in heading and "district" not in heading
    as_json = client.get(f"/atlas/map-data.json?{query}")
    if param not in ("sort", "order"):  # map-data.json does not sort: it ignores those
        assert as_json.status_code == 400 and as_json.json()["detail"].startswith(f"{param}: given 2 times")
