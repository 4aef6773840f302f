"""Errors of the peer-networks room (all PeersError, so LocusError)."""

from __future__ import annotations

from locus.errors import PeersError


class PeersFieldError(PeersError):
    """Bad input for one form field; views show it as a GOV.UK field error."""

    def __init__(self, message: str, *, field: str) -> None:
        self.field = field
        super().__init__(message)


class PeersFieldErrors(PeersFieldError):
    """Several fields are wrong at once, so a form can show every problem in one go; as a
    single error it reads as all the messages and names the first field."""

    def __init__(self, errors: list[PeersFieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors), field=errors[0].field)


class CostSupersededError(PeersFieldError):
    """The cost entry has already been corrected or removed (perhaps a moment ago, by someone
    else): correct the newer entry instead. The API answers 409."""


class PeersPermissionError(PeersError):
    """The user may not see or do this."""


class DuplicateRegistrationError(PeersFieldError):
    """The firm is already registered for the programme; nothing was created."""

    def __init__(self, message: str, *, field: str, firm_id: int) -> None:
        self.firm_id = firm_id
        super().__init__(message, field=field)


class GroupsInfeasibleError(PeersFieldError):
    """No grouping keeps every rule. `diagnoses`: one {"code", "facts", "message",
    "firm_ids"} per cause (the engine's machine-readable code and the facts behind it, so the
    reason can be shown later in the words of the day)."""

    def __init__(self, message: str, *, diagnoses: list[dict]) -> None:
        self.diagnoses = diagnoses
        super().__init__(message, field="settings")
