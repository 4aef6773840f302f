"""Reads about accounts shared by the accounts pages and other rooms."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q


def users_by_email(*, email: str) -> list:
    """The accounts an email address belongs to: those whose email address or username is the
    address, in any case, oldest first (ADR 20). An account made with the command line has its
    own username ("ann") and the address only as its email; one made by an invitation or a
    registration has the address as its username too."""
    email = email.strip()
    if not email:
        return []
    return list(get_user_model().objects.filter(
        Q(email__iexact=email) | Q(username__iexact=email)).order_by("pk"))
