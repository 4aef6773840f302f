"""Limits on repeated attempts, kept in the database so they hold for every web worker and across
restarts (Django's cache is per process here: no CACHES setting).

Sign-in: slow down password guessing after MAX_FAILURES wrong passwords for one username
within WINDOW, that username cannot sign in for LOCK, whatever password is given (so the lock
tells nothing about the password). It applies whether or not an account has the username, so it
tells nobody which accounts exist either. A right password clears the count. Every password
sign-in goes through it: the authentication backend (``locus.accounts.backends``) counts and
refuses, for the site's sign-in and the admin site's.

Sign-in from one client address: past SIGN_IN_FAILURES_PER_CLIENT wrong passwords within
SIGN_IN_CLIENT_WINDOW, whatever the usernames, that address cannot sign in until the window ends
(one password tried against many usernames; H30 finding 5). Generous for an office or a
launch event behind one address (ADR 17, second addendum). A right password does not clear it.

Registration and other public forms: ``attempt_allowed`` counts attempts per scope and value
(a client address, an email address) in a fixed window and refuses past a limit until the window
ends (ADR 20, second addendum)."""

from __future__ import annotations

import hashlib
import ipaddress
import math
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from locus.accounts.models import AttemptThrottle, SignInThrottle

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
    return _locked_error(sign_in_locked_until(username=username) if username else None,
                         "A wrong password has been entered for this username too many times", "locked")


def _locked_error(until: datetime | None, what: str, code: str) -> ValidationError | None:
    """'<what>. Wait until HH:MM, then try again, or reset your password ...' while ``until`` is ahead."""
    if until is None:
        return None
    when = timezone.localtime(until).strftime("%H:%M")
    return ValidationError(f"{what}. Wait until {when}, then try again, or reset your password if you have "
                           "forgotten it", code=code)


# -- attempts per client address or email address (registration; the address-taken notice) --

def _attempt_key(scope: str, value: str) -> str:
    return hashlib.sha256(f"{scope}\n{value.strip().lower()}".encode()).hexdigest()


@transaction.atomic
def attempt_allowed(*, scope: str, value: str, limit: int, window: timedelta,
                    now: datetime | None = None) -> datetime | None:
    """Count one attempt of ``scope`` by ``value`` and allow it if fewer than ``limit`` were
    allowed since its window started; the first attempt after a window ends starts a new one.
    Returns None when allowed, or when the window ends (the time to try again) when refused; a
    refused attempt is not counted. The row is locked while it is read and written, so two
    workers cannot both take the last attempt."""
    now = now or timezone.now()
    # rows whose window ended a day ago say nothing any more: keep the table small
    AttemptThrottle.objects.filter(window_started_at__lt=now - max(window, timedelta(days=1))) \
        .delete()
    row, _ = AttemptThrottle.objects.select_for_update().get_or_create(
        key=_attempt_key(scope, value), defaults={"window_started_at": now})
    if row.window_started_at <= now - window:
        row.count, row.window_started_at = 0, now
    if row.count >= limit:
        return row.window_started_at + window
    row.count += 1
    row.save(update_fields=["count", "window_started_at"])
    return None


def retry_after(until: datetime, *, now: datetime | None = None) -> str:
    """The ``Retry-After`` header of a refusal lasting until ``until``: whole seconds, rounded up, at least 1."""
    return str(max(1, math.ceil((until - (now or timezone.now())).total_seconds())))


def client_address(request) -> str:
    """The address a request came from, for counting attempts: ``REMOTE_ADDR``, or behind
    LOCUS_TRUSTED_PROXIES proxies the entry the outermost of them added to ``X-Forwarded-For``
    (entries further left are whatever the client sent, so they are not believed). An IPv6
    address counts by its /64 network, which one household or server can use whole."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "LOCUS_TRUSTED_PROXIES", 0)
    if proxies:
        forwarded = [part.strip() for part in
                     request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            remote = forwarded[-min(proxies, len(forwarded))]
    try:
        address = ipaddress.ip_address(remote.strip("[]"))
    except ValueError:
        return remote[:100]
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


# -- wrong passwords per client address (any username) --

SIGN_IN_FAILURES_PER_CLIENT = 100
SIGN_IN_CLIENT_WINDOW = timedelta(hours=1)
_SIGN_IN_CLIENT = "sign-in-client"


def sign_in_client_locked_until(*, request, now: datetime | None = None) -> datetime | None:
    """When the client a request came from may try again, if it has had too many wrong passwords
    (for any usernames) in its window; None if it may try now or has no address to count by."""
    address = client_address(request) if request is not None else ""
    if not address:
        return None
    now = now or timezone.now()
    row = AttemptThrottle.objects.filter(key=_attempt_key(_SIGN_IN_CLIENT, address)).first()
    if row is None or row.window_started_at <= now - SIGN_IN_CLIENT_WINDOW \
            or row.count < SIGN_IN_FAILURES_PER_CLIENT:
        return None
    return row.window_started_at + SIGN_IN_CLIENT_WINDOW


def sign_in_client_failed(*, request, now: datetime | None = None) -> None:
    """Count a wrong password against the client a request came from."""
    address = client_address(request) if request is not None else ""
    if address:
        attempt_allowed(scope=_SIGN_IN_CLIENT, value=address, now=now,
                        limit=SIGN_IN_FAILURES_PER_CLIENT, window=SIGN_IN_CLIENT_WINDOW)


def sign_in_client_locked_error(*, request) -> ValidationError | None:
    """The form error for a client refused now (not tied to a field), or None."""
    return _locked_error(sign_in_client_locked_until(request=request),
                         "Too many wrong passwords have been entered from your network", "client_locked")
