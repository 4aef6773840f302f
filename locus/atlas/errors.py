"""The atlas room's error types (subclasses of ``locus.errors.AtlasError``)."""

from __future__ import annotations

from locus.errors import AtlasError


class AtlasNotFoundError(AtlasError):
    """An unknown indicator, level, area, stage or Combined Authority (HTTP 404)."""


class NoAtlasError(AtlasError):
    """No atlas build has been loaded yet."""
