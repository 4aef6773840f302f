"""What the "Your account" page shows: who you are, your email address and whether it has been
confirmed, your roles in plain words, your API tokens, and links that other rooms add (for
example a firm contact's personal data, from peer networks).

Rooms add links in their AppConfig.ready() with ``account_links_register``; a provider gets the
signed-in user and returns the links that apply to them (none, usually)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from locus.accounts.models import ApiToken, EmailConfirmation, Invitation
from locus.accounts.roles import ROLE_DESCRIPTIONS, Role
from locus.accounts.services import user_roles


@dataclass(frozen=True)
class AccountLink:
    href: str
    text: str
    description: str = ""


@dataclass(frozen=True)
class AccountSection:
    heading: str
    links: list[AccountLink] = field(default_factory=list)


# heading -> function(user) -> the links that apply to this user (an empty list: no section)
_PROVIDERS: dict[str, Callable[..., list[AccountLink]]] = {}


def account_links_register(heading: str, provider: Callable[..., list[AccountLink]]) -> None:
    _PROVIDERS[heading] = provider


@dataclass(frozen=True)
class AccountSummary:
    name: str
    username: str
    email: str
    email_status: str  # "confirmed", "not confirmed" or "none"
    email_said: str
    roles: list[tuple[str, str]]  # (role, what it lets you do)
    active_tokens: int
    sections: list[AccountSection]


def _day(moment) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y}"


def _email_state(user) -> tuple[str, str]:
    """Whether the account's email address has been shown to be its owner's, and how."""
    if not user.email:
        return "none", ("None. Ask an administrator to add one: without it you cannot reset a "
                        "forgotten password.")
    confirmed = EmailConfirmation.objects.filter(user=user, confirmed_at__isnull=False).first()
    if confirmed is not None:
        return "confirmed", f"Confirmed on {_day(confirmed.confirmed_at)} with the link we emailed."
    invitation = Invitation.objects.filter(accepted_by=user, email__iexact=user.email,
                                           accepted_at__isnull=False).order_by("accepted_at").first()
    if invitation is not None:
        return "confirmed", (f"Confirmed on {_day(invitation.accepted_at)}, when you accepted an "
                             "invitation sent to it.")
    return "not confirmed", ("An administrator entered it; nobody has confirmed it by email "
                             "yet. Password reset links are sent to it.")


def account_summary(*, user, now=None) -> AccountSummary:
    """The "Your account" page of a signed-in user."""
    now = now or timezone.now()
    status, said = _email_state(user)
    roles = user_roles(user=user)
    sections = [AccountSection(heading, links) for heading, provider in _PROVIDERS.items()
                if (links := list(provider(user)))]
    return AccountSummary(
        name=user.get_full_name(), username=user.get_username(), email=user.email,
        email_status=status, email_said=said,
        roles=[(role.value, ROLE_DESCRIPTIONS[role]) for role in Role if role in roles],
        active_tokens=ApiToken.objects.filter(user=user, revoked_at__isnull=True,
                                              expires_at__gt=now).count(),
        sections=sections)
