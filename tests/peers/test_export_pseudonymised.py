"""The evaluators' export is called what it is, pseudonymised, and carries months instead of
days, with the report's survey-timing rule worked out per row (security review H30, finding 10;
ADR 37)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from locus.peers.meetings import attendance_record
from locus.peers.models import DiagnosticResponse, Firm
from locus.peers.outcomes import (
    EXPORT_COLUMNS,
    diagnostic_submit,
    evaluator_export_csv,
    outcomes_report,
    pseudonym,
)
from tests.peers.conftest import login
from tests.peers.test_outcomes_costs import HIGH, LOW

pytestmark = pytest.mark.django_db

ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _rows(programme):
    return list(csv.DictReader(io.StringIO(evaluator_export_csv(programme=programme))))


def test_no_exact_day_is_left_in_the_export(programme, group, meetings):
    firm = Firm.objects.filter(group=group, contacts__consent_research=True).first()
    attendance_record(meeting=meetings[0], marks={firm.pk: "present"})
    diagnostic_submit(firm=firm, wave="baseline", answers=LOW)
    text = evaluator_export_csv(programme=programme)
    assert not ISO_DAY.search(text), ISO_DAY.search(text)
    row = next(r for r in _rows(programme)
               if r["firm"] == pseudonym(firm_id=firm.pk, programme_id=programme.pk))
    for column in ("registered_on", "joined_group_on", "first_attended_on", "answered_on"):
        assert re.fullmatch(r"\d{4}-\d{2}", row[column]), (column, row[column])
    assert row["first_attended_on"] == timezone.localtime(meetings[0].starts_at).strftime("%Y-%m")


def test_answered_in_time_is_the_reports_timing_rule(programme, group, meetings):
    """Two participants answer the end survey: one after the first meeting (counted by the report
    and 'yes'), one whose end survey is dated before it (left out by the report and 'no');
    baseline rows are blank."""
    assert EXPORT_COLUMNS[-1] == "answered_in_time"
    a, b = Firm.objects.filter(group=group, contacts__consent_research=True).order_by("pk")[:2]
    for firm in (a, b):
        Firm.objects.filter(pk=firm.pk).update(grouped_at=meetings[0].starts_at - timedelta(days=5))
        diagnostic_submit(firm=firm, wave="baseline", answers=LOW, enforce_window=False)
        diagnostic_submit(firm=firm, wave="end", answers=HIGH, enforce_window=False)
    DiagnosticResponse.objects.filter(firm=b, wave="end").update(
        first_submitted_at=meetings[0].starts_at - timedelta(days=1))
    rows = {(r["firm"], r["wave"]): r for r in _rows(programme)}

    def cell(firm, wave):
        return rows[(pseudonym(firm_id=firm.pk, programme_id=programme.pk), wave)]["answered_in_time"]

    assert cell(a, "end") == "yes" and cell(b, "end") == "no"
    assert cell(a, "baseline") == "" and cell(b, "baseline") == ""
    report = outcomes_report(programme=programme, wave="end")
    assert report["excluded"]["participants"] >= 1  # b, as the file says


def test_the_download_is_named_pseudonymised_and_the_page_says_not_anonymous(client, manager, programme, grouped):
    login(client, manager)
    page = client.get(f"/peers/{programme.slug}/outcomes/").content.decode()
    assert "Pseudonymised, not anonymous" in page and "data-sharing agreement" in page
    assert "Download pseudonymised data (CSV)" in page and "anonymised data" not in page.replace(
        "pseudonymised data", "")
    assert f"/peers/{programme.slug}/outcomes/pseudonymised.csv" in page
    for path in ("pseudonymised.csv", "anonymised.csv"):  # the old address still answers
        response = client.get(f"/peers/{programme.slug}/outcomes/{path}")
        assert response.status_code == 200
        assert f'filename="{programme.slug}-pseudonymised.csv"' in response["Content-Disposition"]
