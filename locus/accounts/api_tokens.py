"""Personal API tokens: a script sends one as ``Authorization: Bearer <token>`` and acts as the
token's owner, with the owner's role and object permissions and no more (ADR 18).

A token is ``lcs_`` followed by 43 random URL-safe characters. Only its SHA-256 is stored, with
its first eight characters in clear (``lcs_ab12``) so the owner can tell tokens apart; the whole
token is shown once, when it is created. Every token expires (30, 90 or 365 days). A request with
a token is refused if the token is malformed, unknown, revoked or expired, or if its owner's
account is deactivated or waiting for its email address to be confirmed. The sign-in lock after
too many wrong passwords (``locus.accounts.throttle``) stops password sign-in only, not tokens: a
token is a credential of its own, and someone guessing at a username must not be able to stop
its owner's scripts (ADR 18, addendum).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from locus.accounts.models import ApiToken
from locus.accounts.notices import api_token_created_notify
from locus.accounts.tokens import token_hash, token_new
from locus.errors import LocusError

TOKEN_PREFIX = "lcs_"
TOKEN_PATTERN = re.compile(r"lcs_[A-Za-z0-9_-]{43}")
SHOWN_CHARACTERS = 8  # "lcs_" and four random characters, kept in clear
EXPIRY_DAYS = (30, 90, 365)
DEFAULT_EXPIRY_DAYS = 90
NAME_MAX = 100
LAST_USED_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often per token
TOKENS_PAGE = "/accounts/api-tokens/"


class ApiTokenError(LocusError):
    """A token that cannot be used, with the reason (malformed, unknown, revoked, expired or
    inactive) and a message for the person who sent it."""

    def __init__(self, message: str, *, reason: str) -> None:
        self.reason = reason
        super().__init__(message)


class ApiTokenFieldError(LocusError):
    """A token cannot be created as asked: the field and what to do, in GOV.UK words."""

    def __init__(self, message: str, *, field: str) -> None:
        self.field = field
        super().__init__(message)


class ApiTokenNotFound(LocusError):
    """No token with this id belongs to this user (whether or not someone else has one)."""


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y at %H:%M}"


def api_token_status(*, token: ApiToken, now: datetime | None = None) -> str:
    """active, expired or revoked."""
    if token.revoked_at is not None:
        return "revoked"
    return "expired" if token.expires_at <= (now or timezone.now()) else "active"


def api_tokens_active(*, user, now: datetime | None = None) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True,
                                   expires_at__gt=now or timezone.now())


@dataclass(frozen=True)
class TokenRow:
    token: ApiToken
    status: str


def api_tokens_list(*, user, now: datetime | None = None) -> list[TokenRow]:
    """The user's tokens, newest first, with each one's status."""
    now = now or timezone.now()
    return [TokenRow(token=t, status=api_token_status(token=t, now=now))
            for t in ApiToken.objects.filter(user=user)]


def api_token_get(*, user, token_id: int) -> ApiToken:
    """One of the user's own tokens; ApiTokenNotFound for anyone else's or none."""
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise ApiTokenNotFound(f"You have no API token {token_id}.")
    return token


def _name_checked(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ApiTokenFieldError("Enter a name for the token", field="name")
    if len(name) > NAME_MAX:
        raise ApiTokenFieldError(f"Name must be {NAME_MAX} characters or fewer", field="name")
    return name


@transaction.atomic
def api_token_create(*, user, name: str, days: int = DEFAULT_EXPIRY_DAYS,
                     now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for the user: returns the stored row and the token itself, which is not
    kept anywhere and cannot be shown again. The owner's email address is told that a token was
    created (its name and first characters, never the token)."""
    name = _name_checked(name)
    if days not in EXPIRY_DAYS:
        raise ApiTokenFieldError("Select how long the token lasts", field="days")
    now = now or timezone.now()
    # one create at a time per user, so two at once cannot both take a name
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if api_tokens_active(user=user, now=now).filter(name__iexact=name).exists():
        raise ApiTokenFieldError(f"You already have an active token called ‘{name}’: choose "
                                 "another name, or revoke that token first", field="name")
    secret = TOKEN_PREFIX + token_new()
    token = ApiToken.objects.create(user=user, name=name, prefix=secret[:SHOWN_CHARACTERS],
                                    token_hash=token_hash(secret), created_at=now,
                                    expires_at=now + timedelta(days=days))
    api_token_created_notify(token=token)  # to the owner's address, after the commit
    return token, secret


def api_token_revoke(*, token: ApiToken, now: datetime | None = None) -> ApiToken:
    """Stop the token working from now. A token revoked already keeps its first time."""
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=token.revoked_at)
    return token


def _refuse(reason: str, message: str) -> ApiTokenError:
    return ApiTokenError(f"API token {message}", reason=reason)


def api_token_authenticate(*, token: str, now: datetime | None = None) -> ApiToken:
    """The stored token (with its user) for a token a script sent, or ApiTokenError saying why
    it cannot be used. Found by the hash of what was sent, so no stored value is compared
    character by character. Notes the time of use, at most once a minute per token. A sign-in
    lock on the owner's username does not stop the token (ADR 18, addendum)."""
    now = now or timezone.now()
    if not TOKEN_PATTERN.fullmatch(token or ""):
        raise _refuse("malformed", "malformed: a Locus API token is lcs_ followed by 43 letters, "
                                   "digits, - or _; send it as 'Authorization: Bearer lcs_…' "
                                   "with nothing else in the header.")
    row = ApiToken.objects.select_related("user").filter(token_hash=token_hash(token)).first()
    if row is None:
        raise _refuse("unknown", f"not recognised: check it was copied whole, or create a new one "
                                 f"at {TOKENS_PAGE}.")
    if row.revoked_at is not None:
        raise _refuse("revoked", f"{row.prefix}… was revoked on {_when(row.revoked_at)}; create a "
                                 f"new one at {TOKENS_PAGE}.")
    if row.expires_at <= now:
        raise _refuse("expired", f"{row.prefix}… expired on {_when(row.expires_at)}; create a new "
                                 f"one at {TOKENS_PAGE}.")
    user = row.user
    if not user.is_active:
        raise _refuse("inactive", f"{row.prefix}… belongs to an account that is deactivated or "
                                  "waiting for its email address to be confirmed.")
    _note_use(row, now)
    return row


def _note_use(row: ApiToken, now: datetime) -> None:
    if row.last_used_at is not None and row.last_used_at > now - LAST_USED_EVERY:
        return
    ApiToken.objects.filter(pk=row.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_EVERY)).update(
        last_used_at=now)
    row.last_used_at = now
