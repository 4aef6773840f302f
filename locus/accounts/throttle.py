"""Slow down password guessing at sign-in: after MAX_FAILURES wrong passwords for one username
within WINDOW, that username cannot sign in for LOCK, whatever password is given (so the lock
tells nothing about the password). It applies whether or not an account has the username, so it
tells nobody which accounts exist either. A right password clears the count. Every password
sign-in goes through it: the authentication backend (``locus.accounts.backends``) counts and
refuses, for the site's sign-in and the admin site's."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from locus.accounts.models import SignInThrottle

MAX_FAILURES = 10
WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)


def _key(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()


def sign_in_locked_until(*, username: str, now: datetime | None = None) -> datetime | None:
    """When this username may try again, if it is locked now."""
    now = now or timezone.now()
    row = SignInThrottle.objects.filter(key=_key(username), locked_until__gt=now).first()
    return row.locked_until if row is not None else None


@transaction.atomic
def sign_in_failed(*, username: str, now: datetime | None = None) -> datetime | None:
    """Count a wrong password; returns when the lock ends if this one locks the username."""
    now = now or timezone.now()
    # rows of usernames nobody has tried for a day say nothing any more: keep the table small
    SignInThrottle.objects.filter(window_started_at__lt=now - timedelta(days=1)).exclude(
        locked_until__gt=now).delete()
    row, _ = SignInThrottle.objects.select_for_update().get_or_create(
        key=_key(username), defaults={"window_started_at": now})
    if row.window_started_at <= now - WINDOW:  # a new window
        row.failures, row.window_started_at, row.locked_until = 0, now, None
    row.failures += 1
    if row.failures >= MAX_FAILURES:
        row.locked_until = now + LOCK
        row.failures, row.window_started_at = 0, now + LOCK
    row.save()
    return row.locked_until if row.locked_until and row.locked_until > now else None


def sign_in_succeeded(*, username: str) -> None:
    SignInThrottle.objects.filter(key=_key(username)).delete()


def sign_in_unlock(*, username: str, now: datetime | None = None) -> datetime | None:
    """Lift the lock on a username by hand (an administrator's action) and forget its wrong
    passwords; returns when the lifted lock would have ended, or None if it was not locked."""
    until = sign_in_locked_until(username=username, now=now)
    SignInThrottle.objects.filter(key=_key(username)).delete()
    return until


def sign_in_locked_error(*, username: str | None) -> ValidationError | None:
    """The form error for a username locked now (GOV.UK wording, on the username field), or
    None."""
    until = sign_in_locked_until(username=username) if username else None
    if until is None:
        return None
    when = timezone.localtime(until).strftime("%H:%M")
    return ValidationError(
        "A wrong password has been entered for this username too many times. Wait until "
        f"{when}, then try again, or reset your password if you have forgotten it",
        code="locked")
