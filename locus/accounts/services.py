"""Writes for users and roles, and the sending of account emails."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction

from locus.accounts.roles import Role
from locus.errors import LocusError

logger = logging.getLogger(__name__)


class AccountError(LocusError):
    """A user or role request that cannot be carried out."""


# Django's password validators (settings.AUTH_PASSWORD_VALIDATORS), in GOV.UK words, by code
_PASSWORD_WORDS = {
    "password_too_short": "Password must be {min_length} characters or more",
    "password_too_common": "Password is too common: choose one that is harder to guess, like a "
                           "few unrelated words",
    "password_entirely_numeric": "Password must include letters or symbols, not only numbers",
    "password_too_similar": "Password must not be so like your {verbose_name}",
}


def password_validate(*, password: str, user=None) -> None:
    """Check a new password with Django's validators; raises ValidationError with one GOV.UK
    message per rule it breaks ("Password must be 12 characters or more"). A validator this
    does not know keeps Django's own message."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError([
            ValidationError(_PASSWORD_WORDS[e.code].format(**(e.params or {})), code=e.code)
            if e.code in _PASSWORD_WORDS else e for e in exc.error_list]) from None


def roles_ensure() -> list[Group]:
    """Create the role groups if missing (idempotent)."""
    return [Group.objects.get_or_create(name=role.value)[0] for role in Role]


def username_validate(*, username: str) -> str:
    """The username as the admin site's "Add user" form would store it, or AccountError.

    The same rules: surrounding spaces dropped and Unicode normalised (NFKC), required, at most
    the field's length (150), only letters, digits and @ . + - _ (Django's username validator),
    and not the name of an existing user in any case ("Ann" when "ann" exists), as Django's
    UserCreationForm refuses: sign-in throttling and invitations treat usernames without case."""
    User = get_user_model()
    field = User._meta.get_field(User.USERNAME_FIELD)
    username = User.normalize_username((username or "").strip())
    if not username:
        raise AccountError("Give a username: it cannot be empty or only spaces.")
    if len(username) > field.max_length:
        raise AccountError(f"The username is {len(username)} characters long: it must be "
                           f"{field.max_length} characters or fewer.")
    try:
        field.run_validators(username)
    except ValidationError:
        raise AccountError(f"The username {username!r} may only contain letters, digits and "
                           "@ . + - _ (no spaces or other symbols).") from None
    taken = User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": username}).first()
    if taken is not None:
        raise AccountError(f"A user called {taken.get_username()!r} already exists"
                           + ("." if taken.get_username() == username else
                              f": {username!r} differs only in case, which is not allowed."))
    return username


@transaction.atomic
def user_create(*, username: str, email: str, password: str, role: Role | str):
    """Create a user with one role; administrators may use the admin site."""
    try:
        role = Role(role)
    except ValueError:
        raise AccountError(f"Unknown role {role!r}: use one of {', '.join(r.value for r in Role)}.") from None
    User = get_user_model()
    username = username_validate(username=username)
    try:
        validate_email(email)
    except ValidationError:
        raise AccountError(f"{email!r} is not an email address: invitations and password resets are sent there.") from None
    try:
        password_validate(password=password)
    except ValidationError as exc:
        raise AccountError(". ".join(exc.messages)) from None
    is_admin = role is Role.ADMINISTRATOR
    user = User.objects.create_user(username=username, email=email, password=password,
                                    is_staff=is_admin, is_superuser=is_admin)
    roles_ensure()
    user.groups.add(Group.objects.get(name=role.value))
    return user


def user_roles(*, user) -> set[Role]:
    names = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return {role for role in Role if role.value in names}


def email_send(*, message: EmailMessage, about: str) -> threading.Thread | None:
    """Send an account email built in the request (password reset, confirmation link) without
    making the response wait for the mail server, and log a failure rather than show it.

    A page that answers "if the address has an account, we have emailed it" must take as long
    for an unknown address as for a known one, or its timing tells which addresses have
    accounts (ADR 19). With ``LOCUS_EMAIL_IN_BACKGROUND`` (on except under tests) the message
    goes out on a daemon thread and this returns the thread; otherwise it is sent at once, so
    tests see ``mail.outbox`` before the response, and this returns None. Either way a failure
    is logged with ``about`` (like "user 12": no address in the log) and never raised: the
    page must read the same whether or not an email was sent. The thread touches no database;
    the connection is made here, from the settings in force for this request."""
    message.connection = message.connection or get_connection()
    if not settings.LOCUS_EMAIL_IN_BACKGROUND:
        _email_deliver(message, about)
        return None
    thread = threading.Thread(target=_email_deliver, args=(message, about), daemon=True,
                              name="locus-account-email")
    thread.start()
    return thread


def _email_deliver(message: EmailMessage, about: str) -> None:
    try:
        message.send()
    except Exception:  # SMTP refusals, timeouts, DNS: all logged, none shown
        logger.exception("Could not send the email %r for %s", message.subject, about)
