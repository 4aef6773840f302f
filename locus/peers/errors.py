"""Errors of the peer-networks room (all PeersError, so LocusError)."""

from __future__ import annotations

from locus.errors import PeersError


class PeersFieldError(PeersError):
    """Bad input for one form field; views show it as a GOV.UK field error."""

    def __init__(self, message: str, *, field: str) -> None:
        self.field = field
        super().__init__(message)


class PeersPermissionError(PeersError):
    """The user may not see or do this."""


class DuplicateRegistrationError(PeersFieldError):
    """The firm is already registered for the programme; nothing was created."""

    def __init__(self, message: str, *, field: str, firm_id: int) -> None:
        self.firm_id = firm_id
        super().__init__(message, field=field)
