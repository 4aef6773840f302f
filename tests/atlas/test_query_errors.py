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
