"""Personal API tokens in a real browser: find the tokens page from "Your account" in the main
navigation (after the change-password page's empty-form errors), create a token (after an empty
name's error), copy it, use it from a script, revoke it; axe-core on every page (ADR 18)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import REPO_ROOT, assert_accessible

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-tokens-passphrase-31"
USERNAME = "e2e_token_manager"


def _server_data_dir(live_url: str) -> Path:
    """The data folder of the `locus serve` behind ``live_url`` (found by its log)."""
    for log in Path(tempfile.gettempdir()).glob("locus-e2e-*/serve.log"):
        if live_url + "/" in log.read_text(errors="replace"):
            return log.parent
    raise RuntimeError(f"no serve.log mentions {live_url}")


@pytest.fixture(scope="module")
def manager(live_url) -> str:
    env = {**os.environ, "LOCUS_ENV": "local", "LOCUS_DATA_DIR": str(_server_data_dir(live_url))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if os.environ.get("LOCUS_E2E_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["LOCUS_E2E_DATABASE_URL"]
    result = subprocess.run([sys.executable, "-m", "locus.cli", "users", "create", USERNAME,
                             "--email", f"{USERNAME}@example.org", "--role", "programme manager",
                             "--password", PASSWORD], cwd=REPO_ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0 or "already exists" in result.stdout + result.stderr, \
        result.stdout + result.stderr
    return USERNAME


def _api(live_url: str, token: str) -> tuple[int, dict]:
    """What a script gets: no cookies, only the Authorization header."""
    request = urllib.request.Request(live_url + "/api/v1/peers/programmes",
                                     headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_create_copy_use_and_revoke_a_token(page: Page, live_url, manager):
    page.goto(f"{live_url}/accounts/sign-in/?next=/places/")
    page.get_by_label("Username").fill(manager)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation").get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.locator("main")).to_contain_text("API tokens are for scripts that use the Locus API")
    assert_accessible(page)
    page.get_by_role("link", name="Change your password").click()
    page.get_by_role("button", name="Change password").click()  # nothing filled in
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your current password")
    expect(page).to_have_title(re.compile("^Error:"))
    assert_accessible(page)
    page.get_by_role("link", name="Back to your account").click()
    page.get_by_role("link", name="Manage your API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    assert_accessible(page)

    page.get_by_role("button", name="Create a token").click()
    page.get_by_role("button", name="Create token").click()  # no name
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the token")
    expect(page).to_have_title(re.compile("^Error:"))
    assert_accessible(page)
    page.get_by_label("Name").fill("Attendance sync")
    page.get_by_label("30 days").check()
    page.get_by_role("button", name="Create token").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("API token created")
    expect(page.locator(".govuk-warning-text")).to_contain_text("It will not be shown again")
    assert_accessible(page)
    box = page.get_by_label("Your token")
    box.select_text()  # what a person does to copy it
    token = page.evaluate("() => window.getSelection().toString() || "
                          "document.getElementById('token').value")
    assert re.fullmatch(r"lcs_[A-Za-z0-9_-]{43}", token) and box.input_value() == token
    assert _api(live_url, token) == (200, [])

    page.get_by_role("link", name="Back to your API tokens").click()
    row = page.get_by_role("row", name=re.compile("Attendance sync"))
    expect(row).to_contain_text(token[:8] + "…")
    expect(row).to_contain_text("Active")
    assert token not in page.content()
    row.get_by_role("link", name=re.compile("Revoke")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Revoke API token ‘Attendance sync’?")
    assert_accessible(page)
    page.get_by_role("button", name="Revoke token").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Token ‘Attendance sync’")
    expect(page.get_by_role("row", name=re.compile("Attendance sync"))).to_contain_text("Revoked")
    assert_accessible(page)

    status, body = _api(live_url, token)
    assert status == 401 and "was revoked on" in body["detail"]
