"""Collaboration journeys in a real browser: check a consortium, run the simulator, find partners."""

from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import Page, expect

from tests.collaboration.fixtures.innovate_uk import write_workbook
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e


def fill_organisation(page: Page, number: int, name: str, kind: str, costs: str,
                      size: str | None = None) -> None:
    page.get_by_label("Name", exact=True).nth(number - 1).fill(name)
    page.locator(f"#p{number - 1}-type").select_option(kind)
    if size:
        page.locator(f"#p{number - 1}-size").select_option(size)
    page.locator(f"#p{number - 1}-costs").fill(costs)


def test_check_a_consortium_and_see_whom_to_add(page: Page, live_url):
    page.goto(live_url + "/")
    page.get_by_role("banner").get_by_role("link", name="Collaboration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Collaboration")
    assert_accessible(page)
    page.get_by_role("link", name="Check a consortium").first.click()
    assert_accessible(page)
    fill_organisation(page, 1, "Acme Coatings Ltd", "business", "700000", "large")
    fill_organisation(page, 2, "Swansea University", "research", "300000")
    page.get_by_role("button", name="Add another organisation").click()
    expect(page.locator("#p2-name")).to_be_visible()
    fill_organisation(page, 3, "Tiny Sensors Ltd", "business", "0", "micro")
    page.get_by_role("button", name="Check consortium").click()
    expect(page).to_have_url(re.compile(r"#results$"))  # the page opens at the results, not the form
    expect(page.locator("#results")).to_be_in_viewport()
    summary = page.locator("#summary")
    expect(summary).to_contain_text("Innovate UK collaborative research and development")
    row = summary.get_by_role("row", name=re.compile("Innovate UK collaborative"))
    expect(row).to_contain_text("Passes")
    expect(summary.get_by_role("row", name=re.compile("Horizon Europe"))).to_contain_text("Fails")
    expect(page.locator("#rs-horizon-europe-ria")).to_contain_text("Add partners from 2 more")
    assert_accessible(page)


def test_check_match_funding_and_common_control(page: Page, live_url):
    page.goto(live_url + "/collaboration/check/")
    fill_organisation(page, 1, "Carmaker plc", "business", "4000000", "large")
    fill_organisation(page, 2, "Motors Ltd", "business", "1000000", "small")
    page.get_by_text("More about organisation 1").click()
    page.locator("#p0-tier").select_option("vehicle_manufacturer")
    page.locator("#p0-grant").fill("1.5m")
    page.get_by_text("More about organisation 2").click()
    page.locator("#p1-grant").fill("1m")
    page.get_by_label("Group or parent that controls it (optional)").nth(1).fill("Carmaker plc")
    assert_accessible(page)
    page.get_by_role("button", name="Check consortium").click()
    summary = page.locator("#summary")
    expect(summary.get_by_role("row", name=re.compile("Advanced Propulsion"))).to_contain_text("Passes")
    expect(page.locator("#rs-apc")).to_contain_text("so the project is 50 % match funded")
    expect(page.locator("#rs-horizon-europe-ria")).to_contain_text("Has 1 independent organisation")
    assert_accessible(page)


def test_checker_errors_are_summarised_and_linked(page: Page, live_url):
    page.goto(live_url + "/collaboration/check/")
    fill_organisation(page, 1, "Acme Ltd", "business", "-10", "small")
    page.get_by_role("button", name="Check consortium").click()
    expect(page).to_have_title(re.compile("^Error:"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Organisation 1: the eligible costs must be an amount in pounds")
    assert_accessible(page)



def test_a_twenty_organisation_check_fits_in_the_url_the_server_accepts(page: Page, live_url):
    """The checker is a GET form: 20 organisations and a full description make a request line
    longer than gunicorn's default 4,094 bytes, which answered a bare 414."""
    rows = {"n": "20", "rule_set": "all", "lead": "0", "action": "check",
            "description": "Hydrogen fuel cell power trains for buses and coaches, " * 18}
    for i in range(20):
        rows |= {f"p{i}-name": f"Northern Advanced Manufacturing and Engineering Partner {i:02d} Ltd",
                 f"p{i}-type": "business" if i else "research", f"p{i}-size": "" if i == 0 else "small",
                 f"p{i}-country": "GB", f"p{i}-costs": "250,000", f"p{i}-tier": "", f"p{i}-publishes": "no",
                 f"p{i}-claims": "yes", f"p{i}-grant": "100,000", f"p{i}-control": ""}
    query = urllib.parse.urlencode(rows)
    assert 4094 < len(f"GET /collaboration/check/?{query} HTTP/1.1") < 8190
    response = page.goto(f"{live_url}/collaboration/check/?{query}")
    assert response.status == 200
    expect(page.locator("#results")).to_be_visible()
    expect(page.locator("#p19-name")).to_have_value(rows["p19-name"])


def test_the_description_counts_its_characters(page: Page, live_url):
    page.goto(live_url + "/collaboration/check/")
    page.locator("#description").fill("x" * 1010)
    expect(page.locator(".govuk-character-count__status")).to_contain_text("You have 10 characters too many")
    page.get_by_role("button", name="Check consortium").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be 1,000 characters or fewer")
    assert_accessible(page)

def test_run_the_simulator_on_a_workbook_and_download_it(page: Page, live_url, tmp_path):
    page.goto(live_url + "/collaboration/simulator/")
    expect(page.locator("#no-data")).to_contain_text("No participant-level grant data")
    assert_accessible(page)
    page.locator("#u-rule_set").select_option("innovate-uk-crd")
    # another rule set's settings are shown before it is used, without JavaScript (QA H20, F15)
    page.locator("#u-update-settings").click()
    expect(page.locator("#settings-notice")).to_contain_text("The settings for Innovate UK")
    expect(page.locator("#u-rule_set")).to_have_value("innovate-uk-crd")
    page.get_by_label("Workbook (.xlsx or .xls)").set_input_files(str(write_workbook(tmp_path / "iuk.xlsx")))
    page.get_by_role("button", name="Simulate this workbook").click()
    expect(page.locator("#project-share")).to_have_text("50.0 %")
    expect(page.locator("#changes")).to_contain_text("research organisations more than 30 %")
    expect(page.locator("#by-lad")).to_contain_text("Manchester")
    assert_accessible(page)
    with page.expect_download() as download:  # the workbook is not kept: the CSV is in the page
        page.get_by_role("link", name="Download the results (CSV)").click()
    assert download.value.suggested_filename == "mandate-simulation-innovate-uk-crd.csv"
    rows = open(download.value.path(), encoding="utf-8").read().splitlines()
    assert rows[0].startswith("rule_set,version,dimension") and ",All projects,4,2," in rows[1]


def test_find_partners_with_reasons_and_see_the_network(page: Page, live_url):
    page.goto(live_url + "/collaboration/partners/")
    assert_accessible(page)
    page.get_by_label("Your organisation (optional)").fill("Swansea University")
    page.get_by_label("What is the project about?").fill("marine energy and environmental policy")
    page.get_by_label("Your postcode (optional)").fill("SA2 8PP")
    page.get_by_role("button", name="Find partners").click()
    suggestions = page.locator("#suggestions > li")
    expect(suggestions).to_have_count(10)
    expect(suggestions.first).to_contain_text(re.compile("km away|same area"))
    assert_accessible(page)
    page.goto(live_url + "/collaboration/network/")
    expect(page.locator("#places tbody tr")).to_have_count(22)   # Wales's 22 principal areas
    assert_accessible(page)
