"""A facilitator's home page: per group, the meetings held recently with what was recorded for
each (attendance, session notes, actions) and a link to record what is missing, in a fixed
number of queries."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone

from locus.peers.groups import group_assign_facilitator
from locus.peers.meetings import action_add, attendance_record, meeting_cancel, notes_save
from locus.peers.models import Meeting
from locus.peers.selectors import held_meetings_recent

from .conftest import login


def _card(page: str, meeting: Meeting) -> str:
    start = page.index(f'id="held-{meeting.pk}"')
    return page[start:page.index("</dl>", start)]


def test_recent_meetings_say_what_is_recorded_and_link_to_what_is_missing(
        client, meetings, group, facilitator):
    first, second, third, coming = meetings  # 60, 32 and 4 days ago; in 24 days
    firms = list(group.firms.order_by("name"))
    attendance_record(meeting=first, marks={f.pk: "present" for f in firms[:-1]}
                      | {firms[-1].pk: "absent"})
    notes_save(meeting=first, notes="Talked about cloud accounting.")
    action_add(firm=firms[0], meeting=first, description="Try an online till")
    action_add(firm=firms[1], meeting=first, description="Set three KPIs")
    attendance_record(meeting=second, marks={firms[0].pk: "present", firms[1].pk: "apologies"})
    login(client, facilitator)
    page = client.get("/peers/facilitate/").content.decode()

    assert page.index(f'id="held-{third.pk}"') < page.index(f'id="held-{second.pk}"') \
        < page.index(f'id="held-{first.pk}"')  # newest first
    assert f'id="held-{coming.pk}"' not in page
    done = _card(page, first)
    assert "All recorded" in done
    assert f"{len(firms) - 1} of {len(firms)} firms present" in done
    assert "Written" in done and "2 committed" in done
    assert re.search(r">Change<span class=\"govuk-visually-hidden\"> attendance for meeting 1 ",
                     done)
    partial = _card(page, second)
    assert "To record: attendance, notes, actions" in partial
    assert f"Recorded for 2 firms; {len(firms) - 2} not yet" in partial
    assert f'href="/peers/meetings/{second.pk}/attendance/">Record the rest' in partial
    assert f'href="/peers/meetings/{second.pk}/notes/#notes">Write' in partial
    assert f'href="/peers/meetings/{second.pk}/notes/#actions">Add' in partial
    assert "Not written" in partial and "None recorded" in partial
    nothing = _card(page, third)
    assert ">Not recorded<" in nothing
    assert f'href="/peers/meetings/{third.pk}/attendance/">Record<' in nothing
    # the notes page has the anchors the links go to
    notes_page = client.get(f"/peers/meetings/{second.pk}/notes/").content.decode()
    assert 'id="notes"' in notes_page and 'id="actions"' in notes_page


def test_withdrawn_firms_are_not_missing_and_cancelled_or_old_meetings_are_not_recent(
        client, meetings, group, facilitator):
    first, second, third, _ = meetings
    firms = list(group.firms.order_by("name"))
    attendance_record(meeting=third, marks={f.pk: "present" for f in firms[:-1]})
    firms[-1].withdrawn_at = timezone.now()
    firms[-1].save()
    meeting_cancel(meeting=second, notify=False)
    old = Meeting.objects.create(group=group, number=9, mode="online",
                                 starts_at=timezone.now() - timedelta(weeks=13))
    login(client, facilitator)
    page = client.get("/peers/facilitate/").content.decode()
    assert f"{len(firms) - 1} of {len(firms) - 1} firms present" in _card(page, third)
    assert f'id="held-{second.pk}"' not in page and f'id="held-{old.pk}"' not in page
    older = page[page.index('id="older"'):]
    assert f'href="/peers/meetings/{old.pk}/attendance/">Group {group.label}, meeting 9<' in older
    assert f"/peers/meetings/{first.pk}/attendance/" not in older  # recent: listed above


def test_only_the_facilitators_own_groups_are_listed(meetings, group, programme):
    other = programme.groups.exclude(pk=group.pk).first()
    Meeting.objects.create(group=other, number=1, mode="online",
                           starts_at=timezone.now() - timedelta(days=3))
    recent = held_meetings_recent(groups=[group])
    assert [g for g, _ in recent] == [group]
    assert [h.meeting.number for h in recent[0][1]] == [3, 2, 1]


def _queries(client, django_assert_max_num_queries, limit: int) -> None:
    with django_assert_max_num_queries(limit):
        assert client.get("/peers/facilitate/").status_code == 200


def test_the_page_takes_the_same_queries_however_many_groups_and_meetings(
        client, meetings, group, programme, facilitator, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, facilitator)
    with CaptureQueriesContext(connection) as one_group:
        client.get("/peers/facilitate/")
    for g in programme.groups.exclude(pk=group.pk):
        group_assign_facilitator(group=g, user=facilitator)
        for days in (3, 10, 17, 40, 70):
            m = Meeting.objects.create(group=g, number=days, mode="online",
                                       starts_at=timezone.now() - timedelta(days=days))
            firm = g.firms.first()
            attendance_record(meeting=m, marks={firm.pk: "present"})
            action_add(firm=firm, meeting=m, description="Something")
    assert programme.groups.filter(facilitator__user=facilitator).count() >= 3
    with CaptureQueriesContext(connection) as many:
        page = client.get("/peers/facilitate/").content.decode()
    assert page.count('class="govuk-summary-card"') >= 3 + 2 * 5
    assert len(many.captured_queries) == len(one_group.captured_queries)
    # session, user, groups, upcoming, older, recent (one query for all groups and meetings)
    _queries(client, django_assert_max_num_queries, 7)


def test_attendance_saved_with_nothing_chosen_is_refused_and_unmarked_firms_are_named(
        client, meetings, group, facilitator):
    """An empty form said 'Attendance saved for 0 firms'; a firm left unmarked went unnoticed."""
    login(client, facilitator)
    firms = list(group.firms.order_by("name"))
    url = f"/peers/meetings/{meetings[0].pk}/attendance/"
    refused = client.post(url, {})
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "Choose present, sent apologies or absent for at least one firm" in body
    assert f'href="#firm-{firms[0].pk}-present"' in body and "<title>Error:" in body
    marks = {f"firm-{f.pk}": "present" for f in firms[:-1]}
    page = client.post(url, marks, follow=True).content.decode()
    assert f"Attendance saved for {len(firms) - 1} firms." in page
    assert f"Not marked yet: {firms[-1].name}." in page
    one = client.post(url, {f"firm-{firms[-1].pk}": "absent"}, follow=True).content.decode()
    assert "Attendance saved for 1 firm." in one and "Not marked yet" not in one


def test_a_bad_mark_is_shown_at_the_firm_and_replies_read_as_coming_or_not(
        client, meetings, group, facilitator):
    from locus.peers.models import Rsvp

    firms = list(group.firms.order_by("name"))
    # replies to a held meeting are refused (rsvp_set), so these are made directly
    Rsvp.objects.create(meeting=meetings[0], firm=firms[0], response="no")
    Rsvp.objects.create(meeting=meetings[0], firm=firms[1], response="yes")
    login(client, facilitator)
    url = f"/peers/meetings/{meetings[0].pk}/attendance/"
    page = client.get(url).content.decode()
    assert "Reply: Not coming" in page and "Reply: Coming" in page and "No reply" in page
    bad = client.post(url, {f"firm-{firms[2].pk}": "late"}).content.decode()
    assert f'href="#firm-{firms[2].pk}-present"' in bad
    assert f'id="firm-{firms[2].pk}-error"' in bad and "govuk-form-group--error" in bad


def test_a_cancelled_meetings_attendance_page_offers_no_form(client, meetings, group,
                                                             facilitator):
    meeting_cancel(meeting=meetings[0], notify=False)
    login(client, facilitator)
    page = client.get(f"/peers/meetings/{meetings[0].pk}/attendance/").content.decode()
    assert "This meeting was cancelled" in page and "Save attendance" not in page


def test_notes_typed_are_kept_when_an_action_is_added(client, meetings, group, facilitator):
    """Notes and actions were two forms: adding an action threw away notes not yet saved."""
    login(client, facilitator)
    meeting = meetings[0]
    firms = list(group.firms.order_by("name"))
    url = f"/peers/meetings/{meeting.pk}/notes/"
    response = client.post(url, {"notes": "Talked about KPIs", "firm": firms[1].pk,
                                 "description": "Set three KPIs", "action": "action"})
    assert response.status_code == 302 and response.url.endswith("/notes/#actions")
    meeting.refresh_from_db()
    assert meeting.notes == "Talked about KPIs"
    assert list(meeting.actions.values_list("firm_id", "description")) == [
        (firms[1].pk, "Set three KPIs")]
    # Enter in the action box presses the first button (Save notes): the action still counts
    client.post(url, {"notes": "Talked about KPIs", "firm": firms[2].pk,
                      "description": "Try a CRM", "action": "notes"})
    assert meeting.actions.count() == 2


def test_an_action_needs_a_chosen_firm_and_keeps_what_was_typed(client, meetings, group,
                                                                facilitator):
    login(client, facilitator)
    meeting = meetings[0]
    url = f"/peers/meetings/{meeting.pk}/notes/"
    page = client.post(url, {"notes": "Good session", "firm": "", "description": "Try a CRM",
                             "action": "action"}).content.decode()
    assert '<option value="">Choose a firm</option>' in page
    assert 'id="firm-error"' in page and "Choose the firm that commits to the action" in page
    assert 'value="Try a CRM"' in page and "Good session</textarea>" in page
    meeting.refresh_from_db()
    assert meeting.notes == "Good session" and not meeting.actions.exists()
    firm = group.firms.order_by("name").first()
    empty = client.post(url, {"notes": "Good session", "firm": firm.pk, "description": " ",
                              "action": "action"}).content.decode()
    assert 'id="description-error"' in empty and "Describe the action" in empty
