"""Schedules, iCalendar invites, changes and cancellations, reminders, the calendar feed,
attendance rules, replies and feedback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from locus.peers.errors import PeersFieldError
from locus.peers.mail import reminders_send
from locus.peers.meetings import (
    attendance_record,
    feedback_submit,
    meeting_cancel,
    meeting_update,
    rsvp_set,
)
from locus.peers.models import Attendance, Firm, Meeting, Venue
from tests.peers.conftest import login

pytestmark = pytest.mark.django_db


def ics(message) -> Calendar:
    """The invitation part as sent: its calendar and its Content-Type header, which must carry the
    iTIP method and exactly one charset."""
    raw = message.message()
    part = next(p for p in raw.walk() if p.get_filename() == "meeting.ics")
    header = part["Content-Type"]
    assert part.get_content_type() == "text/calendar" and header.lower().count("charset=") == 1, header
    return Calendar.from_ical(part.get_payload(decode=True).decode("utf-8")), header


def test_a_manager_schedules_meetings_and_members_get_invites(
        client, programme, group, manager, django_capture_on_commit_callbacks):
    Venue.objects.create(programme=programme, name="Hub", postcode="M1 1AE")
    group.mode = "alternating"
    group.save()
    login(client, manager)
    first = timezone.localdate() + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/peers/groups/{group.pk}/schedule/", {
            "first": first.isoformat(), "at": "09:30", "count": "6", "cadence": "monthly",
            "pattern": "alternate_in_person_first", "duration": "180",
            "video_url": "https://meet.example.org/g1", "notify": "on"})
    assert response.status_code == 302
    meetings = list(group.meetings.order_by("number"))
    assert [m.mode for m in meetings] == ["in_person", "online"] * 3
    assert meetings[0].venue.name == "Hub" and meetings[1].video_url.endswith("/g1")
    recipients = group.firms.count() + 1  # every contact and the facilitator
    assert len(mail.outbox) == 6 * recipients
    cal, mimetype = ics(mail.outbox[0])
    assert "method=REQUEST" in mimetype and cal["METHOD"] == "REQUEST"
    event = cal.walk("VEVENT")[0]
    assert str(event["UID"]) == meetings[0].uid and int(event["SEQUENCE"]) == 0
    assert len(event.get("ATTENDEE") if isinstance(event.get("ATTENDEE"), list)
               else [event.get("ATTENDEE")]) == 1  # each person sees only themselves


def test_a_change_sends_an_update_with_a_higher_sequence(
        meetings, django_capture_on_commit_callbacks):
    meeting = meetings[-1]
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(meeting=meeting, starts_at=meeting.starts_at + timedelta(hours=2))
    assert meeting.sequence == 1
    cal, _ = ics(mail.outbox[0])
    event = cal.walk("VEVENT")[0]
    assert cal["METHOD"] == "REQUEST" and int(event["SEQUENCE"]) == 1
    assert str(event["UID"]) == meeting.uid and "Updated" in mail.outbox[0].subject


def test_a_cancellation_sends_method_cancel(meetings, django_capture_on_commit_callbacks):
    meeting = meetings[-1]
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(meeting=meeting)
    cal, mimetype = ics(mail.outbox[0])
    event = cal.walk("VEVENT")[0]
    assert cal["METHOD"] == "CANCEL" and "method=CANCEL" in mimetype
    assert event["STATUS"] == "CANCELLED" and int(event["SEQUENCE"]) == 1
    with pytest.raises(PeersFieldError, match="cancelled"):
        meeting_update(meeting=meeting, duration_minutes=60)


def test_reminders_go_once_for_meetings_in_the_window(meetings, settings):
    settings.LOCUS_SITE_URL = "https://locus.example.org"  # links in emails use the site address
    soon = meetings[2]
    soon.starts_at = timezone.now() + timedelta(hours=20)
    soon.save()
    first = reminders_send(hours=48)
    assert first["meetings"] == 1 and first["emails"] == len(mail.outbox) > 0
    assert "Reminder" in mail.outbox[0].subject
    assert f"https://locus.example.org/peers/meetings/{soon.pk}/" in mail.outbox[0].body
    assert reminders_send(hours=48) == {"meetings": 0, "emails": 0}
    call_command("peers_reminders", "--hours", "48")  # the management command works too


def test_attendance_for_a_meeting_not_yet_held_is_refused(meetings, group):
    firm = group.firms.first()
    with pytest.raises(PeersFieldError, match="has not happened yet"):
        attendance_record(meeting=meetings[-1], marks={firm.pk: "present"})


def test_attendance_for_someone_outside_the_group_is_refused(meetings, group, programme):
    outsider = Firm.objects.filter(programme=programme).exclude(group=group).first()
    with pytest.raises(PeersFieldError, match="is not a member of group"):
        attendance_record(meeting=meetings[0], marks={outsider.pk: "present"})
    assert not Attendance.objects.exists()


def test_attendance_for_a_cancelled_meeting_is_refused(meetings, group):
    meeting_cancel(meeting=meetings[0], notify=False)
    with pytest.raises(PeersFieldError, match="cancelled"):
        attendance_record(meeting=meetings[0], marks={group.firms.first().pk: "present"})


def test_a_facilitator_records_attendance_on_the_web(client, meetings, group, facilitator):
    login(client, facilitator)
    firms = list(group.firms.order_by("name"))
    data = {f"firm-{f.pk}": "present" for f in firms[:-1]} | {f"firm-{firms[-1].pk}": "absent"}
    assert client.post(f"/peers/meetings/{meetings[0].pk}/attendance/", data).status_code == 302
    assert Attendance.objects.filter(meeting=meetings[0], status="present").count() == \
        len(firms) - 1
    page = client.post(f"/peers/meetings/{meetings[-1].pk}/attendance/", data).content.decode()
    assert "has not happened yet" in page


def test_a_held_meetings_page_shows_who_came_beside_the_replies(client, meetings, group,
                                                                 facilitator):
    """The facilitator sees attendance on the meeting page (it showed only the replies and an
    internal calendar sequence number), and the button says the attendance can be changed."""
    login(client, facilitator)
    firms = list(group.firms.order_by("name"))
    before = client.get(f"/peers/meetings/{meetings[0].pk}/").content.decode()
    assert "Record attendance" in before and before.count(">Not recorded<") == len(firms)
    attendance_record(meeting=meetings[0], marks={firms[0].pk: "present",
                                                  firms[1].pk: "apologies"})
    page = client.get(f"/peers/meetings/{meetings[0].pk}/").content.decode()
    table = page[page.index('id="replies"'):page.index("</table>", page.index('id="replies"'))]
    assert "Replies and attendance" in table
    assert f"{firms[0].name}</td>" in table and ">Present<" in table
    assert ">Sent apologies<" in table and table.count(">Not recorded<") == len(firms) - 2
    assert "Change attendance" in page and "Calendar sequence" not in page
    coming = client.get(f"/peers/meetings/{meetings[-1].pk}/").content.decode()
    assert ">Attendance<" not in coming and "Not recorded" not in coming


def test_replies_and_feedback_follow_the_rules(meetings, group):
    firm = group.firms.first()
    rsvp_set(meeting=meetings[-1], firm=firm, response="yes")
    with pytest.raises(PeersFieldError, match="still to come"):
        rsvp_set(meeting=meetings[0], firm=firm, response="yes")
    with pytest.raises(PeersFieldError, match="recorded as present"):
        feedback_submit(meeting=meetings[0], firm=firm, rating=5)
    attendance_record(meeting=meetings[0], marks={firm.pk: "present"})
    assert feedback_submit(meeting=meetings[0], firm=firm, rating=4).rating == 4


def test_the_calendar_feed_holds_the_users_meetings(client, meetings, member):
    login(client, member)
    page = client.get("/peers/calendar/").content.decode()
    token = member.peer_calendar.token
    assert f"/peers/calendar/{token}.ics" in page
    client.logout()
    response = client.get(f"/peers/calendar/{token}.ics")
    cal = Calendar.from_ical(response.content)
    assert response["Content-Type"].startswith("text/calendar")
    assert {str(e["UID"]) for e in cal.walk("VEVENT")} == {m.uid for m in meetings}
    assert client.get("/peers/calendar/not-a-token.ics").status_code == 404


def test_an_invite_downloads_for_members(client, meetings, member):
    login(client, member)
    response = client.get(f"/peers/meetings/{meetings[0].pk}/invite.ics")
    # A downloaded copy names no attendee, so it is a PUBLISH (RFC 5546: a REQUEST names its attendees).
    cal = Calendar.from_ical(response.content)
    assert cal["METHOD"] == "PUBLISH" and not any("ATTENDEE" in e for e in cal.walk("VEVENT"))


def test_meeting_when_is_in_uk_time(meetings):
    m = Meeting.objects.get(pk=meetings[0].pk)
    assert "10am" in m.when


def test_meetings_scheduled_or_moved_past_the_programme_end_are_flagged(
        client, programme, group, manager, meetings):
    """Not refused (a programme may run longer), but said, since the end date decides when the
    end survey opens and a shorter programme cannot be saved with meetings after it."""
    login(client, manager)
    first = programme.ends_on - timedelta(days=70)  # monthly: 3 inside, 3 after the end
    response = client.post(f"/peers/groups/{group.pk}/schedule/", {
        "first": first.isoformat(), "at": "09:30", "count": "6", "cadence": "monthly",
        "pattern": "online", "duration": "180", "video_url": ""}, follow=True)
    page = response.content.decode()
    end = f"{programme.ends_on.day} {programme.ends_on:%B %Y}"
    assert "6 meetings scheduled." in page
    assert f"Meetings 8 to 10 are after the programme’s end date ({end})" in page
    assert "change them in Settings" in page
    inside = client.post(f"/peers/groups/{group.pk}/schedule/", {
        "first": (timezone.localdate() + timedelta(days=1)).isoformat(), "at": "09:30",
        "count": "1", "cadence": "monthly", "pattern": "online", "duration": "180",
        "video_url": ""}, follow=True).content.decode()
    assert "1 meeting scheduled." in inside and "programme’s end date" not in inside
    moved = meetings[-1]
    day = programme.ends_on + timedelta(days=3)
    changed = client.post(f"/peers/meetings/{moved.pk}/change/", {
        "day": day.isoformat(), "at": "10:00", "duration": "180", "mode": "online",
        "venue": "", "video_url": ""}, follow=True).content.decode()
    assert "The meeting has been changed." in changed
    assert f"Meeting {moved.number} is after the programme’s end date ({end})" in changed


def test_a_firms_home_says_for_each_meeting_what_it_replied_and_whether_it_came(
        client, meetings, group, member):
    """'Your business' listed the group's meetings without the firm's own reply or attendance,
    and without the way to give feedback the guide promises for meetings it attended."""
    firm = Firm.objects.get(contacts__user=member)
    other = group.firms.exclude(pk=firm.pk).first()
    attendance_record(meeting=meetings[0], marks={firm.pk: "present", other.pk: "absent"})
    attendance_record(meeting=meetings[1], marks={firm.pk: "apologies"})
    rsvp_set(meeting=meetings[-1], firm=firm, response="no")
    rsvp_set(meeting=meetings[-1], firm=other, response="yes")  # another firm's, not shown
    login(client, member)
    page = client.get("/peers/my/").content.decode()
    table = page[page.index('id="my-meetings"'):page.index("</table>", page.index('id="my-meetings"'))]
    rows = table.split('<tr class="govuk-table__row">')[2:]  # after the header row
    assert len(rows) == 4 and ">You<" in table
    assert "You came" in rows[0] and f'/peers/meetings/{meetings[0].pk}/feedback/' in rows[0]
    assert "Sent apologies" in rows[1] and "feedback" not in rows[1]
    assert "Attendance not recorded yet" in rows[2]
    assert "No, I cannot come" in rows[3] and "Yes, I will come" not in rows[3]
    feedback_submit(meeting=meetings[0], firm=firm, rating=4)
    again = client.get("/peers/my/").content.decode()
    assert "You came; feedback given" in again
