"""Confirm that whoever created an account owns its email address (ADR 17).

An account created without that proof (a firm registering with a password) is inactive until
its owner follows a link emailed to the address and gives the account's password with it: the
link proves the address, the password proves that the person at the address is the one who
created the account (otherwise anyone could register with someone else's address and a password
of their own, and the address's owner, pressing the button, would hand them the account). The
link carries a random token; only its hash is stored; it works once and expires, and stops
working after too many wrong passwords. An account whose link expired unconfirmed does not keep
the address: registering again with it replaces the account."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from locus.accounts.models import EmailConfirmation
from locus.accounts.services import AccountError, email_send
from locus.accounts.tokens import token_hash, token_new

CONFIRMATION_DAYS = 3
MAX_FAILED_ATTEMPTS = 5  # wrong passwords with one link before it stops working


class ConfirmationError(AccountError):
    """A confirmation link that cannot be used; `reason` is invalid, used, expired or locked
    (too many wrong passwords)."""

    def __init__(self, message: str, *, reason: str) -> None:
        self.reason = reason
        super().__init__(message)


class ConfirmationPasswordError(AccountError):
    """The password given with a usable link is missing or wrong; the link still works (until
    too many wrong passwords). `field` is the form field it concerns."""

    field = "password"


def confirmation_url(token: str) -> str:
    return settings.LOCUS_SITE_URL + reverse("accounts:confirm_email", args=[token])


def _pending(user) -> EmailConfirmation | None:
    """The confirmation an inactive account is waiting for, if any. An account an administrator
    deactivated has none, so it is never activated or replaced by these links."""
    if user is None or user.is_active:
        return None
    return EmailConfirmation.objects.filter(user=user, confirmed_at__isnull=True).first()


def confirmation_waiting(user) -> bool:
    return _pending(user) is not None


def confirmation_start(*, user, purpose: str = "", now=None, send: bool = True) -> str:
    """Make the account inactive until its email address is confirmed, and email the link
    (after the surrounding transaction commits, without the response waiting for the mail
    server: ``email_send``). Returns the token (shown only in the email)."""
    now = now or timezone.now()
    token = token_new()
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    confirmation, _ = EmailConfirmation.objects.update_or_create(user=user, defaults={
        "purpose": purpose[:300], "token_hash": token_hash(token),
        "expires_at": now + timedelta(days=CONFIRMATION_DAYS), "confirmed_at": None,
        "failed_attempts": 0})
    if send:
        transaction.on_commit(lambda: _send(confirmation, token))
    return token


def _send(confirmation: EmailConfirmation, token: str) -> None:
    user = confirmation.user
    body = "\n".join([
        f"Hello {user.first_name}," if user.first_name else "Hello,", "",
        f"Someone used this email address to create a Locus account"
        f"{' to ' + confirmation.purpose if confirmation.purpose else ''}.",
        "If it was you, open this link and enter the password you chose when you created the "
        "account, to confirm your email address and be able to sign in:",
        confirmation_url(token), "",
        f"The link works once and expires on "
        f"{timezone.localtime(confirmation.expires_at):%-d %B %Y at %H:%M}. After that you can "
        f"ask for a new link on the sign-in page.",
        "Your username is this email address.", "",
        "If it was not you, ignore this email: nobody can sign in to the account until the "
        "address is confirmed, and it cannot be confirmed without the password of whoever "
        "created it."])
    email_send(message=EmailMessage("Confirm your email address for Locus", body,
                                    settings.DEFAULT_FROM_EMAIL, [user.email]),
               about=f"the email confirmation of user {user.pk}")


def confirmation_get(*, token: str, now=None) -> EmailConfirmation:
    """The usable confirmation for a token, or ConfirmationError saying why not."""
    confirmation = EmailConfirmation.objects.select_related("user").filter(
        token_hash=token_hash(token)).first()
    if confirmation is None:
        raise ConfirmationError("This link is not valid. Check you copied all of it from the "
                                "email, or ask for a new link", reason="invalid")
    if confirmation.confirmed_at is not None:
        raise ConfirmationError("This email address has already been confirmed. Sign in with "
                                "it, or reset your password if you have forgotten it",
                                reason="used")
    if confirmation.expires_at <= (now or timezone.now()):
        raise ConfirmationError("This link has expired. Ask for a new link", reason="expired")
    if confirmation.failed_attempts >= MAX_FAILED_ATTEMPTS:
        raise _locked()
    return confirmation


def _locked() -> ConfirmationError:
    return ConfirmationError("This link no longer works because a wrong password was entered "
                             "with it too many times. Ask for a new link", reason="locked")


def _activate(confirmation: EmailConfirmation, now) -> None:
    confirmation.confirmed_at = now
    confirmation.save(update_fields=["confirmed_at"])
    user = confirmation.user
    user.is_active = True
    user.save(update_fields=["is_active"])


def confirmation_discard(*, user) -> bool:
    """Delete an account still waiting for its email address to be confirmed, whether or not its
    link has expired: an invitation to the address proves who owns it, and the waiting account
    was made by whoever registered with it, who may not (ADR 20, third addendum). What it was
    linked to stays without it (a firm's contact keeps the firm, as ``confirmation_release``
    leaves it). Returns whether it was waiting."""
    if _pending(user) is None:
        return False
    user.delete()
    return True


def confirmation_confirm(*, token: str, password: str, now=None):
    """Follow the link with the account's password: activate the account and use up the token.
    Returns the user. A missing or wrong password raises ConfirmationPasswordError and leaves
    the link usable, counting the wrong password; after MAX_FAILED_ATTEMPTS the link stops
    working (ConfirmationError, reason locked) and a new one must be asked for."""
    if not password:
        confirmation_get(token=token, now=now)  # an unusable link says so first
        raise ConfirmationPasswordError("Enter the password you chose when you created the "
                                        "account")
    with transaction.atomic():
        found = confirmation_get(token=token, now=now)
        confirmation = EmailConfirmation.objects.select_for_update().select_related("user").get(
            pk=found.pk)
        if confirmation.confirmed_at is not None or confirmation.token_hash != found.token_hash:
            raise ConfirmationError("This link has already been used", reason="used")
        if confirmation.failed_attempts >= MAX_FAILED_ATTEMPTS:
            raise _locked()
        right = confirmation.user.check_password(password)  # Django's hashers, as sign-in
        if right:
            _activate(confirmation, now or timezone.now())
            return confirmation.user
        EmailConfirmation.objects.filter(pk=confirmation.pk).update(
            failed_attempts=F("failed_attempts") + 1)
    left = MAX_FAILED_ATTEMPTS - confirmation.failed_attempts - 1
    if left <= 0:
        raise _locked()
    raise ConfirmationPasswordError(
        "The password is not the one chosen when the account was created. Enter that password "
        f"({left} more {'try' if left == 1 else 'tries'} before this link stops working)")


def confirmation_resend(*, email: str, now=None) -> bool:
    """Email a new link if an account with this address is waiting to be confirmed (the old
    link stops working). The caller says the same thing either way; returns whether sent."""
    email = email.strip()
    for user in get_user_model().objects.filter(email__iexact=email, is_active=False):
        confirmation = _pending(user)
        if confirmation is not None:
            confirmation_start(user=user, purpose=confirmation.purpose, now=now)
            return True
    return False


def confirmation_release(*, email: str, now=None) -> bool:
    """Delete an account that uses this address as its username if it was never confirmed and
    its link has expired, so the address's real owner can use it. Returns whether released."""
    now = now or timezone.now()
    user = get_user_model().objects.filter(username__iexact=email.strip()).first()
    confirmation = _pending(user)
    if confirmation is None or confirmation.expires_at > now:
        return False
    user.delete()
    return True


def confirmation_pending_for_sign_in(*, username: str):
    """The account a sign-in names if it is waiting for its email to be confirmed (exactly as
    Django looks up usernames), or None."""
    User = get_user_model()
    try:
        user = User._default_manager.get_by_natural_key(username)
    except User.DoesNotExist:
        return None
    return user if confirmation_waiting(user) else None
