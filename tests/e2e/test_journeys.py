"""The main journeys of the foundation, in a real browser, with an accessibility check on each page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e


def test_find_greater_manchester_and_see_its_map_and_districts(page: Page, live_url):
    page.goto(live_url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Locus")
    assert_accessible(page)

    page.get_by_label("Find a place").fill("Manchester")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/places/\?q=Manchester"))
    assert_accessible(page)

    page.get_by_role("link", name="Greater Manchester (Combined Authority)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Greater Manchester")
    page.wait_for_function("window.mapReady === true", timeout=20000)
    assert page.locator("#area-map canvas").count() == 1
    assert page.evaluate("window.mapFeatureCount") >= 11  # the CA and its ten districts
    rows = page.locator("#members tbody tr")
    expect(rows).to_have_count(10)
    expect(page.locator("#members")).to_contain_text("Wigan")
    assert_accessible(page)


def test_geocode_a_postcode_from_the_search_box(page: Page, live_url):
    page.goto(live_url + "/places/")
    page.get_by_label("Find a place").fill("sw1a 1aa")
    page.get_by_role("button", name="Search").click()
    result = page.locator("#postcode-result")
    expect(result).to_contain_text("Westminster")
    expect(result).to_contain_text("London")
    assert_accessible(page)
    result.get_by_role("link", name="Westminster").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Westminster")
    assert_accessible(page)


def test_a_mistyped_postcode_gets_an_error_summary(page: Page, live_url):
    page.goto(live_url + "/places/")
    page.get_by_label("Find a place").fill("M1 1A")
    page.get_by_role("button", name="Search").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("not a valid UK postcode")
    expect(page).to_have_title(re.compile("^Error:"))
    assert_accessible(page)


def test_pages_read_without_javascript(browser, live_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_url + "/places/E47000001/")
    expect(page.locator("#members tbody tr")).to_have_count(10)
    expect(page.locator("svg.locus-outline")).to_have_count(1)  # the server-drawn map
    page.goto(live_url + "/places/?q=Leeds")
    expect(page.locator("a[href='/places/E08000035/']")).to_be_visible()
    context.close()


def test_data_sources_api_docs_and_not_found(page: Page, live_url):
    for path in ("/data-sources/", "/accessibility/", "/accounts/sign-in/"):
        page.goto(live_url + path)
        assert_accessible(page)
    response = page.goto(live_url + "/places/E99999999/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)
    response = page.goto(live_url + "/api/v1/docs")
    assert response.status == 200
    expect(page.locator("#swagger-ui")).to_be_visible()
