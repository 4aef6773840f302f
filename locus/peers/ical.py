"""iCalendar (RFC 5545 / iTIP RFC 5546) for meetings: invites, updates, cancellations, feeds.

Emailed invites use METHOD:REQUEST and cancellations METHOD:CANCEL (a downloaded copy, with no
attendee, METHOD:PUBLISH); every change raises SEQUENCE so
calendar programs replace the earlier copy (same UID). Feeds carry no METHOD and keep
cancelled meetings with STATUS:CANCELLED so subscribed calendars drop them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from locus.peers.models import Meeting

PRODID = "-//Locus//Peer networks//EN"


def _where(meeting: Meeting) -> str:
    if meeting.mode == "online":
        return f"Online: {meeting.video_url}" if meeting.video_url else "Online (link to follow)"
    venue = meeting.venue
    if venue is None:
        return "In person (venue to be confirmed)"
    return ", ".join(part for part in (venue.name, venue.address, venue.postcode) if part)


def _summary(meeting: Meeting) -> str:
    programme = meeting.group.programme
    prefix = "DEMO: " if programme.is_demo and not programme.name.startswith("DEMO") else ""
    theme = f": {meeting.theme.name}" if meeting.theme_id else ""
    return f"{prefix}{programme.name}, group {meeting.group.label}, meeting {meeting.number}{theme}"


def meeting_event(*, meeting: Meeting, attendees: list[tuple[str, str]] = (),
                  url: str = "") -> Event:
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", _summary(meeting))
    event.add("location", _where(meeting))
    lines = [f"Peer-learning meeting {meeting.number} of group {meeting.group.label}."]
    if meeting.theme_id:
        lines.append(f"Theme: {meeting.theme.name}.")
    lines.append("Online meeting link: " + meeting.video_url if meeting.mode == "online"
                 and meeting.video_url else f"Where: {_where(meeting)}.")
    if url:
        lines.append(f"Details: {url}")
        event.add("url", url)
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(meeting.group.programme.delivery_partner or "Locus")
    event["organizer"] = organizer
    for name, email in attendees:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["cn"] = vText(name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=0)
    return event


def _calendar(method: str | None, name: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal


def invite_ics(*, meeting: Meeting, attendees: list[tuple[str, str]] = (), url: str = ""
               ) -> bytes:
    """A REQUEST (new or changed meeting) or, for a cancelled meeting, a CANCEL, to the listed
    attendees. Without attendees (a file downloaded to add to one's own calendar) it is a PUBLISH:
    RFC 5546 requires a REQUEST or CANCEL to name its attendees."""
    method = ("CANCEL" if meeting.cancelled else "REQUEST") if attendees else "PUBLISH"
    cal = _calendar(method)
    cal.add_component(meeting_event(meeting=meeting, attendees=attendees, url=url))
    return cal.to_ical()


def feed_ics(*, meetings: list[Meeting], name: str, url_for=None) -> bytes:
    cal = _calendar(None, name=name)
    for meeting in meetings:
        cal.add_component(meeting_event(meeting=meeting, url=url_for(meeting) if url_for else ""))
    return cal.to_ical()
