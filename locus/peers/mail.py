"""Email: meeting invites, updates, cancellations and reminders, each with an .ics attached.

Uses Django's email backend (console in development, SMTP in production, locmem in tests).
Each recipient gets their own message naming only themselves as attendee.
"""

from __future__ import annotations

from datetime import timedelta
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from locus.accounts.services import email_send
from locus.accounts.throttle import attempt_allowed
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
        out.append((facilitator.shown_name or facilitator.user.email, facilitator.user.email))
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


# At most one "this address already has an account" notice per address per hour: each
# registration with a new business name would otherwise send one, to an inbox that never asked.
ADDRESS_TAKEN_EVERY = 60 * 60
ADDRESS_TAKEN_SUBJECT = "Your email address was used to register a business on Locus"


def registration_address_taken_notify(*, email: str, firm, waiting: bool, now=None) -> bool:
    """A registration chose a password at an address that already has an account: no second
    account is made (ADR 20), and instead of saying so on the page (which would tell anyone
    which addresses have accounts) the address's owner is told by email what to do. Built now,
    sent after the commit without the response waiting (``email_send``, ADR 19); at most once
    per address per ADDRESS_TAKEN_EVERY, counted in the database so that it holds for every web
    worker and across restarts (ADR 20, second addendum). Returns whether it will be sent."""
    if attempt_allowed(scope="address-taken-notice", value=email, limit=1, now=now,
                       window=timedelta(seconds=ADDRESS_TAKEN_EVERY)) is not None:
        return False
    site = settings.LOCUS_SITE_URL
    programme = firm.programme
    team = f"the programme team at {programme.delivery_partner}" \
        if programme.delivery_partner else "the programme team"
    when = (now or timezone.now()).astimezone(LONDON).strftime("%-d %B %Y at %H:%M")
    if waiting:
        state = ["This address already has a Locus account that is waiting for its email "
                 "address to be confirmed, so we did not create another one.", "",
                 "If it was you: open the link in the email we sent when that account was "
                 "created and enter the password chosen then, or ask for a new link at "
                 f"{site}{reverse('accounts:confirm_email_resend')}"]
    else:
        state = ["This address already has a Locus account, so we did not create another one.",
                 "", "If it was you: sign in with your existing account at "
                 f"{site}{reverse('accounts:login')} . Its username may not be this email "
                 "address. If you have forgotten the password or the username, reset the "
                 f"password at {site}{reverse('accounts:password_reset')} : the email gives "
                 f"the username. If you cannot sign in, contact {team}."]
    body = "\n".join([
        "Hello,", "",
        f"On {when} (UK time) someone registered {firm.name} for {programme.display_name} on "
        "Locus, gave this email address as the contact, and chose a password to create an "
        "account with it.", "", *state, "",
        "The business's registration has been recorded, but it is not linked to any account. "
        f"To see its group and meetings with your account, ask {team} to send an invitation to "
        "this address: accepting it while signed in links your account to the business.", "",
        "If it was not you, you do not need to do anything: no account was created or changed, "
        f"and nobody can sign in with this registration. You may want to tell {team} that "
        f"someone gave your address for {firm.name}."])
    message = EmailMessage(ADDRESS_TAKEN_SUBJECT, body, settings.DEFAULT_FROM_EMAIL, [email])
    transaction.on_commit(lambda: email_send(
        message=message, about=f"the address-taken notice of contact of firm {firm.pk}"))
    return True
