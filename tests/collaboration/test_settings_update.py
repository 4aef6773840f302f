"""Choosing another rule set never runs with settings the visitor has not seen: "Update settings"
shows the chosen rule set's settings without running, and a run whose settings were shown for
another rule set shows the new settings first (QA review H20, F15). No JavaScript needed."""

from __future__ import annotations

import html
import re

import pytest

from tests.collaboration.fixtures.innovate_uk import write_workbook

pytestmark = pytest.mark.django_db

MANDATE, APC, CRD = "ukri-collaboration-mandate", "apc", "innovate-uk-crd"


@pytest.fixture
def imported(tmp_path):
    from locus.collaboration.services import innovate_uk_import

    innovate_uk_import(path=write_workbook(tmp_path / "iuk.xlsx"))


def _get(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _settings_for(page: str) -> list[str]:
    return re.findall(r'<input type="hidden" name="settings_for" value="([^"]*)">', page)


def test_the_simulator_does_not_run_a_new_rule_set_with_settings_shown_for_another(client, imported):
    page = _get(client, "/collaboration/simulator/", run="1", rule_set=APC, settings_for=MANDATE)
    assert 'id="results"' not in page and 'id="settings-notice"' in page
    assert "You chose Advanced Propulsion Centre" in page and "nothing was run" in page
    assert 'name="param-apc-min_match_funding"' in page and f'name="param-{MANDATE}-' not in page
    assert _settings_for(page)[0] == APC
    # the settings now shown are the chosen rule set's: the run goes ahead
    page = _get(client, "/collaboration/simulator/", run="1", rule_set=APC, settings_for=APC)
    assert 'id="results"' in page and 'id="settings-notice"' not in page


def test_update_settings_shows_the_chosen_rule_sets_settings_without_running(client, imported):
    page = _get(client, "/collaboration/simulator/", run="1", update="1", rule_set=APC,
                settings_for=MANDATE)
    assert 'id="results"' not in page and 'name="param-apc-min_match_funding"' in page
    page = _get(client, "/collaboration/simulator/", run="1", update="1", rule_set=APC,
                settings_for=APC)
    assert 'id="results"' not in page and "The settings for Advanced Propulsion Centre" in page
    assert re.search(r'<button class="govuk-button govuk-button--secondary" name="update" value="1"'
                     r' id="update-settings"', page)
    # a shared link states what it wants (no settings_for): it runs as before
    assert 'id="results"' in _get(client, "/collaboration/simulator/", run="1", rule_set=APC)


def test_the_upload_is_not_simulated_with_another_rule_sets_settings(client, tmp_path):
    path = write_workbook(tmp_path / "iuk.xlsx")

    def upload(**fields):
        with path.open("rb") as handle:
            response = client.post("/collaboration/simulator/upload/",
                                   {"rule_set": APC, "workbook": handle, **fields})
        assert response.status_code == 200
        return html.unescape(response.content.decode())

    page = upload(settings_for=CRD)
    assert 'id="results"' not in page and "select the workbook again" in page
    assert 'name="param-apc-min_match_funding"' in page and _settings_for(page)[-1] == APC
    assert 'id="results"' not in upload(settings_for=APC, update="1")
    assert 'id="results"' in upload(settings_for=APC)


def test_the_checker_does_not_check_a_new_rule_set_with_settings_shown_for_another(client):
    consortium = {"n": "2", "p0-name": "Acme Ltd", "p0-type": "business", "p0-size": "small",
                  "p0-costs": "500000", "p1-name": "Cardiff University", "p1-type": "research",
                  "p1-costs": "300000", "p0-publishes": "no", "p1-publishes": "yes",
                  "p0-claims": "yes", "p1-claims": "yes", "lead": "0"}
    page = _get(client, "/collaboration/check/", action="check", rule_set=APC, settings_for="all",
                **consortium)
    assert 'id="results"' not in page and 'id="settings-notice"' in page
    assert "Settings for Advanced Propulsion Centre" in page and "nothing was checked" in page
    assert _settings_for(page) == [APC]
    page = _get(client, "/collaboration/check/", action="settings", rule_set=APC, settings_for="all",
                **consortium)
    assert 'id="results"' not in page and "The settings for Advanced Propulsion Centre" in page
    assert 'id="update-settings"' in page
    page = _get(client, "/collaboration/check/", action="check", rule_set=APC, settings_for=APC,
                **consortium)
    assert 'id="results"' in page and 'id="settings-notice"' not in page
    # "all" has no settings to see: checking every rule set is never held back
    assert 'id="results"' in _get(client, "/collaboration/check/", action="check", rule_set="all",
                                  settings_for=APC, **consortium)


def test_every_field_on_the_simulator_page_has_its_own_label(client, imported):
    page = _get(client, "/collaboration/simulator/")
    labels = [re.sub(r"<[^>]+>", "", text).strip()
              for text in re.findall(r'<label class="govuk-label[^"]*" for="[^"]+">(.*?)</label>', page, re.S)]
    assert len(labels) > 4 and len(labels) == len(set(labels)), labels
    assert "Rule set to apply to the uploaded workbook" in labels
