"""When surveys were answered matters: an end survey answered before the firm joined a group or
before the programme's first meeting is not an outcome of the programme, and a firm's baseline
cannot be rewritten once the programme has started for it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from locus.peers.errors import PeersFieldError
from locus.peers.models import DiagnosticResponse, Firm, Meeting
from locus.peers.outcomes import diagnostic_submit, outcomes_report
from tests.peers.conftest import login
from tests.peers.test_outcomes_costs import HIGH, LOW

pytestmark = pytest.mark.django_db


def _answered(firm, wave, answers, *, days_ago, programme):
    diagnostic_submit(firm=firm, wave=wave, answers=answers, enforce_window=False)
    when = timezone.now() - timedelta(days=days_ago)
    DiagnosticResponse.objects.filter(firm=firm, wave=wave).update(
        submitted_at=when, first_submitted_at=when)


def test_an_end_survey_answered_before_grouping_or_the_first_meeting_is_not_an_outcome(
        client, manager, programme, meetings, group):
    """The first meeting was 60 days ago; firms were placed in groups 70 days ago."""
    Firm.objects.filter(programme=programme, grouped_at__isnull=False).update(
        grouped_at=timezone.now() - timedelta(days=70))
    members = list(group.firms.order_by("name")[:3])
    counted, joined_late, too_early = members
    Firm.objects.filter(pk=joined_late.pk).update(grouped_at=timezone.now() - timedelta(days=10))
    outsiders = list(Firm.objects.filter(programme=programme, group__isnull=True)[:2]) or list(
        Firm.objects.filter(programme=programme).exclude(group=group)[:2])
    Firm.objects.filter(pk__in=[f.pk for f in outsiders]).update(
        arm="comparison", group=None, grouped_at=None)
    compared, compared_early = outsiders
    for firm in (counted, joined_late, too_early, compared, compared_early):
        _answered(firm, "baseline", LOW, days_ago=80, programme=programme)
    _answered(counted, "end", HIGH, days_ago=1, programme=programme)
    _answered(joined_late, "end", HIGH, days_ago=20, programme=programme)  # before it joined
    _answered(too_early, "end", HIGH, days_ago=65, programme=programme)  # before any meeting
    _answered(compared, "end", LOW, days_ago=1, programme=programme)
    _answered(compared_early, "end", HIGH, days_ago=65, programme=programme)
    report = outcomes_report(programme=programme, wave="end")
    row = next(r for r in report["rows"] if r["key"] == "management_score")
    assert row["participants"].n == 1 and row["participants"].change == pytest.approx(0.2)
    assert row["comparison"].n == 1 and row["comparison"].change == 0
    assert report["excluded"] == {"participants": 2, "comparison": 1}
    login(client, manager)
    page = client.get(f"/peers/{programme.slug}/outcomes/").content.decode()
    assert "Left out: 2 participants and 1 comparison firm" in page
    assert "answered before the firm joined a group or before the programme’s first meeting" \
        in page
    api = client.get(f"/api/v1/peers/programmes/{programme.slug}/outcomes").json()
    assert (api["excluded_participants"], api["excluded_comparison"]) == (2, 1)
    assert "after the firm joined a group" in api["method"]


def test_without_a_meeting_held_there_is_no_outcome_yet(programme, grouped):
    firm = Firm.objects.filter(programme=programme, grouped_at__isnull=False).first()
    _answered(firm, "baseline", LOW, days_ago=5, programme=programme)
    Firm.objects.filter(pk=firm.pk).update(grouped_at=timezone.now() - timedelta(days=3))
    _answered(firm, "end", HIGH, days_ago=1, programme=programme)
    report = outcomes_report(programme=programme, wave="end")
    assert report["rows"][0]["participants"].n == 0
    assert report["excluded"]["participants"] == 1


def test_a_grouped_firms_baseline_cannot_be_rewritten(programme, meetings, group):
    firm = group.firms.first()
    other = Firm.objects.filter(programme=programme).exclude(group=group).first()
    Firm.objects.filter(pk=other.pk).update(arm="comparison", group=None, grouped_at=None)
    _answered(firm, "baseline", LOW, days_ago=80, programme=programme)
    Firm.objects.filter(pk=firm.pk).update(grouped_at=timezone.now() - timedelta(days=70))
    firm.refresh_from_db()
    with pytest.raises(PeersFieldError, match="cannot be changed once the business has been "
                                              "placed in a group") as exc:
        diagnostic_submit(firm=firm, wave="baseline", answers=HIGH)
    assert exc.value.field == "wave"
    assert firm.diagnostics.get(wave="baseline").answers["kpi_count"] == "none"  # kept
    other.refresh_from_db()  # a firm not in a group may still change its baseline
    diagnostic_submit(firm=other, wave="baseline", answers=LOW)
    diagnostic_submit(firm=other, wave="baseline", answers=HIGH)
    assert other.diagnostics.get(wave="baseline").answers["kpi_count"] == "3-9"


def test_a_first_baseline_is_taken_until_the_firms_first_meeting(programme, group):
    group.firms.update(grouped_at=timezone.now() - timedelta(days=10))
    firm, late = list(group.firms.order_by("name")[:2])
    soon = Meeting.objects.create(group=group, number=1, mode="online",
                                  starts_at=timezone.now() + timedelta(days=3),
                                  video_url="https://meet.example.org/g")
    diagnostic_submit(firm=firm, wave="baseline", answers=LOW)  # grouped, first meeting to come
    with pytest.raises(PeersFieldError, match="cannot be changed"):
        diagnostic_submit(firm=firm, wave="baseline", answers=HIGH)
    Meeting.objects.filter(pk=soon.pk).update(starts_at=timezone.now() - timedelta(days=1))
    with pytest.raises(PeersFieldError, match="closed when the group’s first meeting began on"):
        diagnostic_submit(firm=late, wave="baseline", answers=LOW)
    assert not late.diagnostics.exists()


def test_the_member_is_told_the_baseline_is_locked(client, member, meetings, group):
    firm = Firm.objects.get(contacts__user=member)
    _answered(firm, "baseline", LOW, days_ago=80, programme=firm.programme)
    Firm.objects.filter(pk=firm.pk).update(grouped_at=timezone.now() - timedelta(days=70))
    login(client, member)
    home = client.get("/peers/my/").content.decode()
    assert "Locked: the business has been placed in a group" in home
    assert "?wave=baseline" not in home
    refused = client.post("/peers/my/diagnostic/", {"wave": "baseline", **HIGH}).content.decode()
    assert "<title>Error:" in refused and 'href="#id_wave"' in refused
    assert "cannot be changed once the business has been placed in a group" in refused
    assert firm.diagnostics.get(wave="baseline").answers["kpi_count"] == "none"


def test_changing_answers_keeps_the_time_they_were_first_given(client, manager, programme,
                                                                meetings, group):
    """An end survey first answered before the firm joined its group stays left out when the
    firm changes its answers after joining: the answers were first given before the programme
    could have changed anything, and a later edit does not move that time."""
    Firm.objects.filter(programme=programme, grouped_at__isnull=False).update(
        grouped_at=timezone.now() - timedelta(days=70))
    counted, joined_late = list(group.firms.order_by("name")[:2])
    Firm.objects.filter(pk=joined_late.pk).update(grouped_at=timezone.now() - timedelta(days=10))
    for firm in (counted, joined_late):
        _answered(firm, "baseline", LOW, days_ago=80, programme=programme)
    _answered(counted, "end", HIGH, days_ago=2, programme=programme)
    _answered(joined_late, "end", HIGH, days_ago=20, programme=programme)  # before it joined
    first = DiagnosticResponse.objects.get(firm=joined_late, wave="end").first_submitted_at
    diagnostic_submit(firm=joined_late, wave="end", answers=HIGH, enforce_window=False)
    edited = DiagnosticResponse.objects.get(firm=joined_late, wave="end")
    assert edited.first_submitted_at == first
    assert edited.submitted_at > timezone.now() - timedelta(minutes=1)  # the last change
    report = outcomes_report(programme=programme, wave="end")
    row = next(r for r in report["rows"] if r["key"] == "management_score")
    assert row["participants"].n == 1 and report["excluded"]["participants"] == 1


def test_a_firm_moved_out_of_its_group_without_withdrawing_is_not_a_participant(
        programme, meetings, group):
    """Participants are firms placed in a group that are still in one or withdrew (drop-outs
    stay: intention to treat). A firm moved out and left waiting is not one, in the outcomes
    or in the cost per firm; placed again, it is. Nor is it a comparison firm: it was assigned
    to the programme, so it cannot be marked comparison, and one marked before that rule is
    left out of the comparison arm."""
    from locus.peers.costs import cost_record, cost_summary
    from locus.peers.groups import firm_move
    from locus.peers.services import firm_set_arm, firm_withdraw

    Firm.objects.filter(programme=programme, grouped_at__isnull=False).update(
        grouped_at=timezone.now() - timedelta(days=70))
    stays, dropped, moved, switched = list(group.firms.order_by("name")[:4])
    for firm in (stays, dropped, moved, switched):
        _answered(firm, "baseline", LOW, days_ago=80, programme=programme)
        _answered(firm, "end", HIGH, days_ago=1, programme=programme)
    firm_withdraw(firm=dropped, reason="Too busy")
    firm_move(firm=moved, group=None)
    firm_move(firm=switched, group=None)
    with pytest.raises(PeersFieldError, match="was placed in a group on") as caught:
        firm_set_arm(firm=Firm.objects.get(pk=switched.pk), arm="comparison")
    assert caught.value.field == "arm"
    Firm.objects.filter(pk=switched.pk).update(arm="comparison")  # marked before the rule
    cost_record(programme=programme, category="facilitation", amount=Decimal("1000"),
                incurred_on=timezone.localdate(), description="Sessions")
    placed = Firm.objects.filter(programme=programme, grouped_at__isnull=False)
    participants = placed.filter(arm="participant").exclude(
        group__isnull=True, withdrawn_at__isnull=True).count()
    assert participants == placed.count() - 2  # moved and switched are out
    summary = cost_summary(programme=programme)
    assert summary.firms == participants
    assert summary.per_firm == (Decimal(1000) / participants).quantize(Decimal("0.01"))

    def counted():
        report = outcomes_report(programme=programme, wave="end")
        row = next(r for r in report["rows"] if r["key"] == "management_score")
        return row["participants"].n, row["comparison"].n

    assert counted() == (2, 0)  # stays and dropped; switched was placed, so is no comparison
    firm_move(firm=Firm.objects.get(pk=moved.pk), group=group)  # placed again
    assert counted() == (3, 0) and cost_summary(programme=programme).firms == participants + 1


def test_the_migration_dates_existing_answers_first_given_at_their_last_change(member):
    """Answers given before first_submitted_at existed: the last change stands in for it."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("locus.peers.migrations.0004_diagnostic_first_submitted")
    diagnostic_submit(firm=member.peer_contact.firm, wave="baseline", answers=LOW,
                      enforce_window=False)
    last = timezone.now() - timedelta(days=30)
    DiagnosticResponse.objects.update(submitted_at=last, first_submitted_at=timezone.now())
    migration.copy_submitted_at(apps, None)
    assert DiagnosticResponse.objects.get().first_submitted_at == last


def test_a_firm_that_attended_a_meeting_is_never_a_comparison_firm(programme, meetings, group):
    """The comparison group is firms the programme has not reached: a firm that came to a group
    meeting cannot be marked comparison, is not drawn for the waitlist, and a firm marked
    comparison before that rule is left out of the comparison arm of the outcomes."""
    from locus.peers.models import Attendance
    from locus.peers.services import firm_set_arm

    Firm.objects.filter(programme=programme, grouped_at__isnull=False).update(
        grouped_at=timezone.now() - timedelta(days=70))
    came, stayed_away = list(group.firms.order_by("name")[:2])
    Attendance.objects.create(meeting=meetings[0], firm=came, status="present")
    Attendance.objects.create(meeting=meetings[0], firm=stayed_away, status="apologies")
    Firm.objects.filter(pk__in=[came.pk, stayed_away.pk]).update(group=None)
    Firm.objects.filter(pk=stayed_away.pk).update(grouped_at=None)  # as if never placed
    with pytest.raises(PeersFieldError, match="has attended a group meeting"):
        firm_set_arm(firm=Firm.objects.get(pk=came.pk), arm="comparison")
    firm_set_arm(firm=Firm.objects.get(pk=stayed_away.pk), arm="comparison")
    # the random waitlist never draws a firm that came to a meeting, and one marked comparison
    # before the rule is left out of the comparison arm
    _assert_never_comparison(programme, excluded=came, kept=stayed_away)


def test_a_firm_ever_placed_in_a_group_is_never_a_comparison_firm(programme, meetings, group):
    """A firm placed in a group for a while was assigned to the programme, even if it never came
    to a meeting: it cannot be marked comparison (clear error), is not drawn for the waitlist,
    and one marked before that rule is left out of the comparison arm of the outcomes."""
    from locus.peers.groups import firm_move
    from locus.peers.services import firm_set_arm

    Firm.objects.filter(programme=programme, grouped_at__isnull=False).update(
        grouped_at=timezone.now() - timedelta(days=70))
    placed, never = list(group.firms.order_by("name")[:2])
    firm_move(firm=placed, group=None)  # placed for a while, never at a meeting, moved out
    Firm.objects.filter(pk=never.pk).update(group=None, grouped_at=None)
    placed = Firm.objects.get(pk=placed.pk)
    assert placed.group_id is None and not placed.attendance.filter(status="present").exists()
    with pytest.raises(PeersFieldError, match="was placed in a group on .* never assigned"):
        firm_set_arm(firm=placed, arm="comparison")
    assert Firm.objects.get(pk=placed.pk).arm == "participant"
    firm_set_arm(firm=Firm.objects.get(pk=never.pk), arm="comparison")
    # the random waitlist never draws a firm that was ever placed, and one marked comparison
    # before the rule is left out of the comparison arm
    _assert_never_comparison(programme, excluded=placed, kept=never)


def test_the_firm_page_says_why_a_placed_firm_cannot_be_a_comparison(client, manager,
                                                                      programme, group):
    from locus.peers.groups import firm_move
    from tests.peers.conftest import PASSWORD

    firm = group.firms.order_by("name").first()
    firm_move(firm=firm, group=None)
    client.login(username="manager", password=PASSWORD)
    shown = client.get(f"/peers/{programme.slug}/firms/{firm.pk}/").content.decode()
    assert "It cannot move to the comparison group: it was placed in a group on" in shown
    assert "Move to the comparison group" not in shown
    page = client.post(f"/peers/{programme.slug}/firms/{firm.pk}/",
                       {"action": "arm", "arm": "comparison"}, follow=True).content.decode()
    assert "was placed in a group on" in page
    assert Firm.objects.get(pk=firm.pk).arm == "participant"


def test_the_response_counts_count_each_survey_once_whatever_the_attendance(
        programme, meetings, group):
    """Baseline responses per arm: one per firm that answered, not one per meeting attended
    (a comparison firm's absences do not multiply it either)."""
    from locus.peers.models import Attendance

    Firm.objects.filter(programme=programme, grouped_at__isnull=False).update(
        grouped_at=timezone.now() - timedelta(days=70))
    members = list(group.firms.order_by("name")[:3])
    for firm in members:
        for meeting in meetings[:3]:
            Attendance.objects.create(meeting=meeting, firm=firm, status="present")
        _answered(firm, "baseline", LOW, days_ago=80, programme=programme)
    waiting = Firm.objects.filter(programme=programme, group__isnull=True).exclude(
        pk__in=[f.pk for f in members]).first() or group.firms.order_by("name")[3]
    Firm.objects.filter(pk=waiting.pk).update(arm="comparison", group=None, grouped_at=None)
    for meeting in meetings[:2]:  # recorded absent (say, invited by mistake)
        Attendance.objects.create(meeting=meeting, firm=waiting, status="absent")
    _answered(waiting, "baseline", LOW, days_ago=80, programme=programme)
    counts = outcomes_report(programme=programme, wave="end")["responses"]["baseline"]
    assert (counts["participants"], counts["comparison"]) == (3, 1)


def _assert_never_comparison(programme, *, excluded, kept):
    """``excluded`` is never drawn for the waitlist and, marked comparison straight in the
    database (as before the rule), is left out of the outcomes' comparison arm, where ``kept``
    (a comparison firm) counts."""
    from locus.peers.services import comparison_allocate

    Firm.objects.filter(programme=programme).exclude(pk=excluded.pk).update(eligible=False)
    Firm.objects.filter(pk=excluded.pk).update(eligible=True, withdrawn_at=None)
    assert comparison_allocate(programme=programme, share=0.99, seed=1) == 0
    Firm.objects.filter(pk=excluded.pk).update(arm="comparison")
    for firm in (excluded, kept):
        _answered(firm, "baseline", LOW, days_ago=80, programme=programme)
        _answered(firm, "end", HIGH, days_ago=1, programme=programme)
    report = outcomes_report(programme=programme, wave="end")
    row = next(r for r in report["rows"] if r["key"] == "management_score")
    assert row["comparison"].n == 1
    assert report["responses"]["end"]["comparison"] == 1
