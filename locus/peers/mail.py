"""Email: meeting invites, updates, cancellations and reminders, each with an .ics attached.

Uses Django's email backend (console in development, SMTP in production, locmem in tests).
Each recipient gets their own message naming only themselves as attendee.
"""

from __future__ import annotations

from datetime import timedelta
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from locus.peers.ical import invite_ics
from locus.peers.models import Contact, Meeting
from locus.peers.scheduling import LONDON

_SUBJECT = {"invite": "Invitation", "update": "Updated", "cancel": "Cancelled",
            "reminder": "Reminder"}


def meeting_recipients(*, meeting: Meeting) -> list[tuple[str, str]]:
    """Contacts of the group's active firms who consented and have an email, and the
    facilitator."""
    contacts = Contact.objects.filter(
        firm__group_id=meeting.group_id, firm__withdrawn_at__isnull=True, erased_at__isnull=True,
        consent_programme_at__isnull=False).exclude(Q(email="") | Q(email__isnull=True))
    out = [(c.name, c.email) for c in contacts]
    facilitator = meeting.group.facilitator
    if facilitator is not None and facilitator.user.email:
        out.append((facilitator.name, facilitator.user.email))
    return out


def _body(meeting: Meeting, kind: str, url: str) -> str:
    when = meeting.starts_at.astimezone(LONDON).strftime("%A %-d %B %Y at %-I:%M%p").replace(
        "AM", "am").replace("PM", "pm")
    lines = {"invite": "You are invited to a peer-learning meeting.",
             "update": "A peer-learning meeting has changed. The attached invitation replaces "
                       "the earlier one.",
             "cancel": "This peer-learning meeting has been cancelled.",
             "reminder": "A reminder of your peer-learning meeting."}[kind]
    where = (f"Online: {meeting.video_url or 'link to follow'}" if meeting.mode == "online"
             else f"In person: {meeting.venue.name if meeting.venue else 'venue to be confirmed'}")
    parts = [lines, "", f"Group {meeting.group.label}, meeting {meeting.number}",
             f"When: {when}", where]
    if meeting.theme_id:
        parts.append(f"Theme: {meeting.theme.name}")
    if url:
        parts += ["", f"Details and replies: {url}"]
    return "\n".join(parts)


def meeting_url(*, meeting: Meeting, base_url: str = "") -> str:
    """The meeting's absolute address: on `base_url` if given, else on LOCUS_SITE_URL."""
    site = (base_url or settings.LOCUS_SITE_URL).rstrip("/")
    return site + reverse("peers:meeting", args=[meeting.pk])


def _calendar_part(ics: str, method: str) -> MIMEText:
    """The invitation as a text/calendar part with one charset and the iTIP method (Django's
    attach() given a mimetype with parameters would add a second charset)."""
    part = MIMEText(ics, "calendar", "utf-8")
    part.set_param("method", method, requote=False)
    part.add_header("Content-Disposition", "attachment", filename="meeting.ics")
    return part


def meeting_notify(*, meetings: list[Meeting], kind: str, base_url: str = "") -> int:
    """Send one email per recipient per meeting; returns the number of emails sent."""
    messages = []
    for meeting in meetings:
        url = meeting_url(meeting=meeting, base_url=base_url)
        prefix = "DEMO: " if meeting.group.programme.is_demo else ""
        subject = (f"{prefix}{_SUBJECT[kind]}: peer group {meeting.group.label} meeting "
                   f"{meeting.number}, {meeting.starts_at.astimezone(LONDON):%-d %B %Y}")
        method = "CANCEL" if meeting.cancelled else "REQUEST"
        for name, email in meeting_recipients(meeting=meeting):
            msg = EmailMultiAlternatives(subject, _body(meeting, kind, url),
                                         settings.DEFAULT_FROM_EMAIL, [email])
            msg.attach(_calendar_part(invite_ics(meeting=meeting, attendees=[(name, email)], url=url), method))
            messages.append(msg)
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0


def reminders_send(*, hours: int = 48, base_url: str = "", now=None) -> dict:
    """Remind everyone of scheduled meetings starting in the next `hours` (once per meeting)."""
    now = now or timezone.now()
    due = list(Meeting.objects.filter(
        status="scheduled", reminder_sent_at__isnull=True, starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=hours))
        .select_related("group__programme", "group__facilitator__user", "venue", "theme"))
    sent = 0
    for meeting in due:
        sent += meeting_notify(meetings=[meeting], kind="reminder", base_url=base_url)
        meeting.reminder_sent_at = now
        meeting.save(update_fields=["reminder_sent_at"])
    return {"meetings": len(due), "emails": sent}
