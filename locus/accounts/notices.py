"""Emails that tell an account's owner that the way into the account has changed: its password
was changed (on the "Change your password" page, with a password reset link, or by an
administrator in the admin site), or a personal API token was created (ADR 18).

Each goes to the account's email address, says what changed and when (UK time), and what to do
if it was not them: reset the password and tell an administrator (or revoke the token). None
holds a password, a token or a link that signs anyone in; the only links are to the pages where
the owner acts (the password reset page, the API tokens page), which ask who they are.

They are sent with ``email_send`` (ADR 19) once the change is committed, so a change rolled back
sends nothing, the page does not wait for the mail server, and a mail server that fails is
logged (``locus.accounts.services``, ERROR, with the user's id) and never undoes the change or
turns the page into an error. An account with no email address, or one still waiting for its
address to be confirmed (ADR 17: the address has not been shown to be the owner's), gets none.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import loader
from django.utils import timezone

from locus.accounts.confirmation import confirmation_waiting
from locus.accounts.models import ApiToken
from locus.accounts.services import email_send

UK = ZoneInfo("Europe/London")

# how the password was changed -> the words that follow "was changed on <when> (UK time)"
PASSWORD_CHANGED_HOW = {
    "change": "on the Change your password page, by someone signed in to the account",
    "reset": "with a password reset link sent to this email address",
    "admin": "by an administrator in the Locus admin site",
}
PASSWORD_CHANGED_SUBJECT = "Your Locus password has been changed"
PASSWORD_SIGN_IN_OFF_SUBJECT = "Signing in to Locus with a password has been turned off"
API_TOKEN_CREATED_SUBJECT = "A new API token was created for your Locus account"


def uk_time(moment: datetime) -> str:
    """A moment as the account emails give it: 3 May 2026 at 14:05 (UK time is added by the
    sentence)."""
    return f"{moment.astimezone(UK):%-d %B %Y at %H:%M}"


def notice_recipient(*, user) -> str | None:
    """The address account notices go to, or None: the account's email address, unless it has
    none or is still waiting for the address to be confirmed."""
    if not user.email or confirmation_waiting(user):
        return None
    return user.email


def _send_after_commit(*, user, subject: str, template: str, context: dict, about: str) -> bool:
    """Build the email now (in the request) and send it once the transaction commits; False if
    the account has no address to send it to."""
    to = notice_recipient(user=user)
    if to is None:
        return False
    body = loader.render_to_string(template, {
        "user": user, "site_url": settings.LOCUS_SITE_URL, **context})
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    transaction.on_commit(lambda: email_send(message=message, about=about))
    return True


def password_changed_notify(*, user, how: str, now: datetime | None = None) -> bool:
    """Tell the account's owner that its password was changed (``how``: "change", "reset" or
    "admin"), or, when an administrator turned password sign-in off, that. Returns whether an
    email was (or will be, after the commit) sent."""
    if how not in PASSWORD_CHANGED_HOW:
        raise ValueError(f"how must be one of {', '.join(PASSWORD_CHANGED_HOW)}, not {how!r}")
    usable = user.has_usable_password()
    return _send_after_commit(
        user=user,
        subject=PASSWORD_CHANGED_SUBJECT if usable else PASSWORD_SIGN_IN_OFF_SUBJECT,
        template="accounts/password_changed_email.txt",
        context={"when": uk_time(now or timezone.now()), "how": how,
                 "how_words": PASSWORD_CHANGED_HOW[how], "usable": usable},
        about=f"the password change notice of user {user.pk}")


def api_token_created_notify(*, token: ApiToken) -> bool:
    """Tell the owner of a new API token that it was created: its name, first characters and
    expiry, never the token. Returns whether an email was (or will be) sent."""
    return _send_after_commit(
        user=token.user, subject=API_TOKEN_CREATED_SUBJECT,
        template="accounts/api_token_created_email.txt",
        context={"token": token, "when": uk_time(token.created_at),
                 "expires": uk_time(token.expires_at)},
        about=f"the new API token notice of user {token.user_id}")
