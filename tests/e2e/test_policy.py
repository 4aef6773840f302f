"""Policy learning in a real browser: search and filter, open a case, propose and review a case,
the cost model's field errors, and a strategy pack for a Combined Authority; axe on every page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import REPO_ROOT, assert_accessible

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-policy-passphrase-77"


def _server_data_dir(live_url: str) -> Path:
    """The data folder of the `locus serve` behind ``live_url`` (found by its log)."""
    for log in Path(tempfile.gettempdir()).glob("locus-e2e-*/serve.log"):
        if live_url + "/" in log.read_text(errors="replace"):
            return log.parent
    raise RuntimeError(f"no serve.log mentions {live_url}")


@pytest.fixture(scope="module")
def policy_users(live_url):
    """A firm member who proposes and an analyst (an editor) who reviews."""
    env = {**os.environ, "LOCUS_ENV": "local", "LOCUS_DATA_DIR": str(_server_data_dir(live_url))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if os.environ.get("LOCUS_E2E_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["LOCUS_E2E_DATABASE_URL"]
    for username, role in (("e2e_member", "firm member"), ("e2e_editor", "analyst")):
        result = subprocess.run([sys.executable, "-m", "locus.cli", "users", "create", username,
                                 "--email", f"{username}@example.org", "--role", role,
                                 "--password", PASSWORD], cwd=REPO_ROOT, env=env,
                                capture_output=True, text=True)
        assert result.returncode == 0 or "already exists" in result.stdout + result.stderr, \
            result.stdout + result.stderr
    return {"member": "e2e_member", "editor": "e2e_editor"}


def _sign_in(page: Page, live_url: str, username: str, next_path: str) -> None:
    page.goto(f"{live_url}/accounts/sign-in/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_search_filter_and_open_a_case(page: Page, live_url):
    page.goto(live_url + "/")
    page.get_by_role("link", name="Policy learning").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Policy learning")
    assert_accessible(page)

    page.get_by_label("Search policy cases").fill("peer learning")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#results-heading")).to_contain_text("matching ‘peer learning’")
    assert_accessible(page)

    page.get_by_label(re.compile(r"^Productivity outcome")).check()
    # Evolve Digital is a randomised trial rated 4 (an editor's review: how well the trial was
    # carried out is not shown in the sources found), so it is found under level 4
    page.get_by_role("group", name="Evidence rating").get_by_label(re.compile(r"^4 \(")).check()
    page.get_by_role("button", name="Apply filters").click()
    results = page.locator("#results > li")
    expect(results.first).to_be_visible()
    expect(page.locator("#results")).to_contain_text("Evolve Digital")
    expect(page.locator("#results .govuk-tag").first).to_have_text("SMS 4")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Remove filter: Evidence rating")).click()
    expect(page.locator("#selected-filters")).not_to_contain_text("Evidence rating")

    page.get_by_role("link", name=re.compile("^Evolve Digital randomised trial")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Evolve Digital")
    expect(page.locator("#rating")).to_contain_text("Level 4 of 5")
    expect(page.locator("#sources li").first).to_be_visible()
    expect(page.locator("#review")).to_contain_text("Reviewed by")
    assert_accessible(page)

    page.goto(live_url + "/policy/cases/?q=peer+learnng")
    expect(page.locator("#suggestions")).to_contain_text("Did you mean ‘peer learning’?")
    assert_accessible(page)
    page.get_by_role("link", name="Did you mean ‘peer learning’?").click()
    expect(page.locator("#results > li").first).to_be_visible()

    page.goto(live_url + "/policy/cases/?q=zzqxv+wvbnq")  # nothing matches: suggestions, not an empty page
    expect(page.locator("#suggestions li").first).to_be_visible()
    assert page.locator("#suggestions li").count() >= 2
    assert_accessible(page)


def test_propose_a_case_and_an_editor_publishes_it(page: Page, live_url, policy_users):
    _sign_in(page, live_url, policy_users["member"], "/policy/propose/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose a case")
    assert_accessible(page)

    page.get_by_role("radio", name=re.compile("^4$")).check()
    page.get_by_label("Web address").fill("not a web address")
    page.get_by_role("button", name="Send for review").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the name of the case")
    expect(summary).to_contain_text("Enter a web address in the correct format")
    expect(summary).to_contain_text("Explain the evidence rating")
    expect(page).to_have_title(re.compile("^Error:"))
    assert_accessible(page)

    page.get_by_label("Name of the policy or programme").fill("Browser test peer groups")
    page.get_by_label("Summary", exact=True).fill("Facilitated peer groups for small firms, proposed in a "
                                      "browser test to check the moderation journey.")
    page.get_by_label("Place", exact=True).fill("Tees Valley")
    page.get_by_label("City region").check()
    page.get_by_label("Productivity outcome").check()
    page.get_by_role("radio", name="Not rated").check()
    page.get_by_label("Publisher").fill("Example Publisher")
    page.get_by_label("Title", exact=True).fill("Example report")
    page.get_by_label("Web address").fill("https://www.example.org/report")
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator("#status")).to_have_text("Waiting for review")
    proposal_url = page.url
    assert_accessible(page)

    page.goto(live_url + "/accounts/sign-out/")
    page.get_by_role("button", name=re.compile("Sign out")).click()
    _sign_in(page, live_url, policy_users["editor"], "/policy/review/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    assert_accessible(page)
    page.get_by_role("link", name="Browser test peer groups").first.click()
    assert page.url == proposal_url
    page.get_by_role("button", name="Save decision").click()  # nothing chosen
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select whether to accept")
    assert_accessible(page)
    page.get_by_label("Accept and publish").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator("#status")).to_have_text("Accepted")
    page.get_by_role("link", name="See the published case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Browser test peer groups")
    expect(page.locator("#review")).to_contain_text(f"Reviewed by {policy_users['editor']}")
    assert_accessible(page)


def test_cost_model_errors_and_result(page: Page, live_url):
    page.goto(live_url + "/policy/cost-model/")
    expect(page.locator("#total")).to_contain_text("£11,345,000 a year")
    expect(page.locator("#total")).to_contain_text("within the brief's £10–15m a year")
    expect(page.locator("#tornado tbody tr").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Firms per peer group (firms per group)").fill("0")
    page.get_by_role("button", name="Calculate").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Firms per peer group must be at least 2")
    expect(page.locator("#total")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Firms per peer group (firms per group)").fill("10")
    page.get_by_label(re.compile(r"^Firms taking part per year")).fill("-5")
    page.get_by_role("button", name="Calculate").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("cannot be negative")
    expect(page.locator(".govuk-error-message")).to_contain_text("cannot be negative")
    expect(page.locator("#total")).to_have_count(0)
    expect(page).to_have_title(re.compile("^Error:"))
    assert_accessible(page)


def test_build_a_strategy_pack_for_a_combined_authority(page: Page, live_url):
    page.goto(live_url + "/policy/")
    page.get_by_role("link", name="Strategy evidence pack").click()
    page.get_by_label("Combined Authority").select_option(label="Greater Manchester")
    page.get_by_role("button", name="Build the pack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Greater Manchester")
    # Without an atlas build the pack says so; with one, the atlas fills section 1.
    section = page.locator("#atlas-section")
    expect(section.locator("#atlas-missing, #atlas-sections, #atlas-failed").first).to_be_visible()
    expect(page.locator("#pack-measures")).to_contain_text("firms a year")
    expect(page.locator("#sizing-basis")).to_contain_text("Share used")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    path = download.value.path()
    assert Path(path).read_bytes()[:4] == b"%PDF"
    assert download.value.suggested_filename == "locus-strategy-pack-E47000001.pdf"

    page.goto(live_url + "/places/E47000001/")
    expect(page.locator("#policy-cases")).to_contain_text("Policy cases")
    expect(page.locator("#policy-cases-table tbody tr").first).to_be_visible()
    assert_accessible(page)
    page.goto(live_url + "/policy/peers/E47000001/")
    expect(page.locator("#basis")).to_contain_text("Similarity is based on population")
    expect(page.locator("#peers tbody tr")).to_have_count(5)
    assert_accessible(page)
    page.goto(live_url + "/policy/resources/paths/elected_member/")
    expect(page.locator("#steps li").first).to_be_visible()
    assert_accessible(page)


NARROW = {"width": 375, "height": 812}


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{page.url} is {width} px wide on a 375 px screen"


def test_the_cost_model_on_a_375px_phone_labels_every_input(browser, live_url):
    """Every input says whether it comes from a cited source (and where in it) or is a Locus
    assumption, and the page neither scrolls sideways nor fails axe at 375 px."""
    context = browser.new_context(viewport=NARROW, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(live_url + "/policy/cost-model/")
        expect(page.locator("#total")).to_contain_text("£11,345,000 a year")
        body = page.request.get(live_url + "/api/v1/policy/cost-model").json()
        for a in body["assumptions"]:
            tag = page.locator(f"#{a['key']}-hint .locus-basis")
            expect(tag).to_have_text({"source": "Cited source", "assumption": "Locus assumption",
                                      "derived": "Derived from a cited source"}[a["basis"]])
        expect(page.locator("#cb_coordination_hub-hint")).to_contain_text("Funding is available for 44 months.")
        expect(page.locator("main")).to_contain_text("closing paragraph, after the four measures")
        _fits(page)
        assert_accessible(page)
    finally:
        context.close()


def test_a_mistyped_password_on_the_way_to_propose_a_case_focuses_the_error_summary(
        browser, live_url, policy_users):
    context = browser.new_context(viewport=NARROW, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{live_url}/accounts/sign-in/?next=/policy/propose/")
        page.get_by_label("Username").fill(policy_users["member"])
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_title(re.compile("^Error: Sign in"))
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_focused()
        # the error is announced with the field (the hint, about email addresses as usernames, too)
        expect(page.get_by_label("Username")).to_have_attribute("aria-describedby",
                                                                re.compile(r"(^| )username-error( |$)"))
        summary.get_by_role("link").first.click()
        expect(page.get_by_label("Username")).to_be_focused()
        _fits(page)
        assert_accessible(page)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(re.compile(r"/policy/propose/$"))
    finally:
        context.close()
