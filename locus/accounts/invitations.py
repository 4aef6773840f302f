"""Invite someone by email to take up a role (and, through a registered grant, an object
permission such as facilitating one peer group). The link carries a random token; only its
hash is stored; it works once and expires. An invitation goes to an address, not to an account:
accepting it uses the account that address already belongs to, if any (ADR 20)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from locus.accounts.confirmation import confirmation_discard, confirmation_waiting
from locus.accounts.models import Invitation
from locus.accounts.roles import Role
from locus.accounts.selectors import display_name, users_by_email
from locus.accounts.services import AccountError, password_validate
from locus.accounts.tokens import token_hash, token_new

logger = logging.getLogger(__name__)
INVITATION_DAYS = 7
# kind -> function(user, object id) run when an invitation is accepted; it returns a Granted
# (or just the address to go to next). Rooms register their kinds in AppConfig.ready().
_GRANTS: dict[str, Callable[..., Granted | str]] = {}


@dataclass(frozen=True)
class Granted:
    """What a grant did: the address to go to next (a page that shows Django messages as
    GOV.UK notification banners) and a sentence saying plainly what happened, like "You are
    now the facilitator of group G02" or "You were already ..."."""

    next: str
    said: str = ""


class Accepted(NamedTuple):
    """An accepted invitation: the account, where to go next (None: nowhere in particular,
    show the invitation-accepted page) and what happened, in a sentence or two."""

    user: object
    next: str | None
    said: str


def role_with_article(role: str) -> str:
    """ "an analyst", "a programme manager"."""
    return f"{'an' if role[:1].lower() in 'aeiou' else 'a'} {role}"


class InvitationError(AccountError):
    """An invitation that cannot be created, used or accepted; `field` names the form field."""

    def __init__(self, message: str, *, field: str = "__all__") -> None:
        self.field = field
        super().__init__(message)


def grant_register(kind: str, apply: Callable[..., Granted | str]) -> None:
    _GRANTS[kind] = apply


def invitation_url(token: str) -> str:
    return settings.LOCUS_SITE_URL + reverse("accounts:invitation", args=[token])


def invitation_create(*, email: str, name: str, role: Role | str, created_by=None,
                      grant_kind: str = "", grant_id: int | None = None, send: bool = True,
                      now=None) -> tuple[Invitation, str]:
    """Create an invitation and email its link; returns it with the token (shown only once).
    The email goes while the manager waits, unlike password resets (ADR 19): the address is
    theirs to type, so its timing tells nothing, and a refusal by the mail server is an
    InvitationError on the email field, with no invitation kept."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvitationError("Enter an email address in the correct format, like "
                              "name@example.com", field="email") from None
    role = Role(role)
    if role is Role.ADMINISTRATOR:
        raise InvitationError("Administrators are created with the command line, not invited")
    if grant_kind and grant_kind not in _GRANTS:
        raise InvitationError(f"Unknown permission {grant_kind!r}")
    token = token_new()
    now = now or timezone.now()
    invitation = Invitation.objects.create(
        email=email, name=name.strip()[:150], role=role.value, grant_kind=grant_kind,
        grant_id=grant_id, token_hash=token_hash(token), expires_at=now + timedelta(
            days=INVITATION_DAYS), created_by=created_by if created_by and created_by.pk
        else None)
    if send:
        try:
            _send(invitation, token)
        except OSError:  # smtplib's errors too: refused, timed out, no route; keep nothing
            logger.exception("Could not send invitation %s", invitation.pk)
            invitation.delete()
            raise InvitationError("The invitation could not be emailed: the mail server did not "
                                  "accept it. Try again later", field="email") from None
    return invitation, token


def _send(invitation: Invitation, token: str) -> None:
    inviter = display_name(user=invitation.created_by, fallback="The Locus team")
    body = "\n".join([
        f"Hello {invitation.name}," if invitation.name else "Hello,", "",
        f"{inviter} has invited you to Locus as {role_with_article(invitation.role)}.", "",
        "Open this link to set your password and sign in:", invitation_url(token), "",
        f"The link works once and expires on "
        f"{timezone.localtime(invitation.expires_at):%-d %B %Y at %H:%M}.",
        "If you were not expecting this email, you can ignore it."])
    send_mail("Your invitation to Locus", body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


def invitation_get(*, token: str, now=None) -> Invitation:
    """The usable invitation for a token, or InvitationError saying why not."""
    invitation = Invitation.objects.filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise InvitationError("This invitation link is not valid. Check you copied all of it, "
                              "or ask for a new invitation")
    if invitation.accepted_at is not None:
        raise InvitationError("This invitation has already been used. Sign in, or reset your "
                              "password if you have forgotten it")
    if invitation.expires_at <= (now or timezone.now()):
        raise InvitationError("This invitation has expired. Ask the person who invited you "
                              "for a new one")
    return invitation


class Match(NamedTuple):
    """Which account accepting an invitation would use, for the person looking at it (ADR 20):

    - ``new``: no account has the address; accepting creates one (username: the address);
    - ``confirm``: no account has it but one waiting for its address to be confirmed (a firm
      registered with a password, by anyone); accepting replaces that one with a new account
      that has only what the invitation gives (ADR 20, third addendum);
    - ``accept``: the signed-in account has the address (as its email or its username);
      accepting gives the role and the permission to it;
    - ``sign_in``: another account has the address; sign in with it first;
    - ``deactivated``: only deactivated accounts have it; an administrator must reactivate one.
    """

    kind: str
    account: object | None = None


def invitation_match(*, invitation: Invitation, user=None) -> Match:
    """How accepting would go: invitations match existing accounts by email address, in any
    case, and never make a second account for an address that has one (ADR 20)."""
    accounts = users_by_email(email=invitation.email)
    if user is not None and user.is_authenticated and any(a.pk == user.pk for a in accounts):
        return Match("accept", user)
    waiting = [a for a in accounts if confirmation_waiting(a)]
    others = [a for a in accounts if a not in waiting]
    if any(a.is_active for a in others):
        return Match("sign_in")
    if others:
        return Match("deactivated")
    return Match("confirm", waiting[0]) if waiting else Match("new")


def _new_user(invitation: Invitation, password: str, password_again: str):
    """A new account for the invited address, with the password the invitee chooses now."""
    if password != password_again:
        raise InvitationError("The passwords do not match", field="password_again")
    User = get_user_model()
    user = User(username=invitation.email, email=invitation.email,
                first_name=invitation.name[:150])
    try:
        password_validate(password=password, user=user)
    except ValidationError as exc:
        raise InvitationError(". ".join(exc.messages), field="password") from None
    user.set_password(password)
    return user


def _account_for(invitation: Invitation, user, password: str, password_again: str, now):
    """The account accepting gives to, made if need be, and what that did."""
    match = invitation_match(invitation=invitation, user=user)
    if match.kind == "sign_in":
        raise InvitationError(f"An account already uses {invitation.email}. Sign in with it to "
                              "accept the invitation")
    if match.kind == "deactivated":
        raise InvitationError(f"The account that uses {invitation.email} has been deactivated. "
                              "Ask an administrator to reactivate it, then open this link again")
    if match.kind == "accept":
        return match.account, []
    account = _new_user(invitation, password, password_again)
    if match.kind == "confirm":
        # Whoever registered with the address made the waiting account, its password, name,
        # firm link and role: nothing the invitee can trust (H30 finding 2). The invitation
        # proves the address, so that account goes (its contact keeps the firm without it,
        # as a released one does) and the invitee gets a new one with only the invitation's
        # role and permission (ADR 20, third addendum).
        for waiting in users_by_email(email=invitation.email):
            confirmation_discard(user=waiting)
        account.save()
        return account, [f"Your account is ready. Your username is {account.get_username()}. "
                         "The unconfirmed account made with this address when a business was "
                         "registered has been removed; the registration itself is kept."]
    account.save()
    return account, [f"Your account is ready. Your username is {account.get_username()}."]


@transaction.atomic
def invitation_accept(*, token: str, user=None, password: str = "", password_again: str = "",
                      now=None) -> Accepted:
    """Accept: use the account the invited address belongs to (the signed-in one, which must
    be it), or create one, give the role and the object permission, and use up the token.
    Says what happened, including when nothing did (the role and the permission were already
    held)."""
    invitation = invitation_get(token=token, now=now)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationError("This invitation has already been used")
    account, said = _account_for(invitation, user, password, password_again, now)
    had_role = account.groups.filter(name=invitation.role).exists()
    account.groups.add(Group.objects.get_or_create(name=invitation.role)[0])
    granted = Granted(next="") if not invitation.grant_kind else \
        _GRANTS[invitation.grant_kind](account, invitation.grant_id)
    if isinstance(granted, str):  # a grant that only says where to go
        granted = Granted(next=granted)
    role = role_with_article(invitation.role)
    said.append(granted.said or (f"You were already {role} in Locus, so nothing has changed."
                                 if had_role else f"You have joined Locus as {role}."))
    invitation.accepted_at = now or timezone.now()
    invitation.accepted_by = account
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return Accepted(user=account, next=granted.next or None, said=" ".join(said))


def invitation_accepted_by(*, token: str, user) -> Invitation | None:
    """The used invitation for a token if this signed-in user accepted it (to show them the
    invitation-accepted page again), else None."""
    if user is None or not user.is_authenticated:
        return None
    return Invitation.objects.filter(token_hash=token_hash(token), accepted_by=user,
                                     accepted_at__isnull=False).first()
