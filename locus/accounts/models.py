"""Invitations: a single-use, expiring link to set a password and take up a role."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Invitation(models.Model):
    """Only the SHA-256 of the token is stored; the token itself is only in the email."""

    email = models.EmailField()
    name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=40)
    grant_kind = models.CharField(max_length=40, blank=True,
                                  help_text="Object permission given on acceptance, like "
                                            "peers.group")
    grant_id = models.PositiveBigIntegerField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation of {self.email} as {self.role}"


class EmailConfirmation(models.Model):
    """An account created by someone who has not yet shown they own its email address (a firm
    registering with a password). The account is inactive until the link emailed to the address
    is followed and the account's password given with it (so the person who follows it is
    the one who created the account). Only the SHA-256 of the token is stored (ADR 17)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="email_confirmation")
    purpose = models.CharField(max_length=300, blank=True,
                               help_text="What the account was created for, said in the email")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Wrong passwords given with this link; too many and it stops working")

    def __str__(self) -> str:
        state = "confirmed" if self.confirmed_at else "waiting"
        return f"Email confirmation of {self.user} ({state})"


class SignInThrottle(models.Model):
    """Wrong passwords given for one username in a short window, to slow down guessing
    (``locus.accounts.throttle``). The username is kept only as a SHA-256, since people type
    all sorts into a sign-in box."""

    key = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the username, "
                           "lower case")
    failures = models.PositiveSmallIntegerField(default=0)
    window_started_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        # who may lift a lock by hand in the admin site (Users: "Lift the sign-in lock")
        permissions = [("unlock_sign_in", "Can lift the sign-in lock of a user")]

    def __str__(self) -> str:
        return f"Sign-in throttle {self.key[:8]} ({self.failures} wrong)"


class AttemptThrottle(models.Model):
    """Attempts counted in a fixed window for one scope and value (a registration from one client
    address, with one email address, or a notice emailed to one address), so a limit holds for
    every web worker and across restarts (``locus.accounts.throttle``; ADR 20, second addendum).
    The value is kept only as a SHA-256."""

    key = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the scope and the "
                           "value (a client address or an email address, lower case)")
    count = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Attempt throttle {self.key[:8]} ({self.count} since {self.window_started_at})"


class ApiToken(models.Model):
    """A personal API token: a script sends it as ``Authorization: Bearer <token>`` and acts as
    its owner, with the owner's role and object permissions and no more. Only the SHA-256 of the
    token is stored; the token itself is shown once, when it is created. ``prefix`` (the first
    characters, like ``lcs_ab12``) is kept in clear so the owner can tell tokens apart (ADR 18;
    ``locus.accounts.api_tokens``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the owner uses it for")
    prefix = models.CharField(max_length=12, help_text="The token's first characters, shown to "
                              "tell tokens apart")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"API token {self.prefix}… “{self.name}” of {self.user}"
