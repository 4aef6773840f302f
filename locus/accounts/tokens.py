"""Secrets sent by email (invitation and confirmation links): a random token goes in the link and
only its hash is stored, so a leaked database holds no usable link."""

from __future__ import annotations

import hashlib
import secrets


def token_new() -> str:
    """A random, URL-safe token for an emailed link."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored and looked up for a token."""
    return hashlib.sha256(token.encode()).hexdigest()
