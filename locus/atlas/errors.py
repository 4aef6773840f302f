"""The atlas room's error types (subclasses of ``locus.errors.AtlasError``)."""

from __future__ import annotations

from locus.errors import AtlasError


class AtlasNotFoundError(AtlasError):
    """An unknown indicator, level, area, stage or Combined Authority (HTTP 404 when it is in the
    path of an API address; the API turns it into ``AtlasQueryError`` when a query parameter named it)."""


class NoAtlasError(AtlasError):
    """No atlas build has been loaded yet."""


class AtlasQueryError(AtlasError):
    """A query parameter's value is not valid (HTTP 400): its message starts with the parameter."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param
