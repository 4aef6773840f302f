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
