"""Error types: one base class, one subclass per domain.

Every error a user can cause carries a message that says what was wrong and,
for data files, which file, line and field.
"""

from __future__ import annotations


class LocusError(Exception):
    """Base class for every error Locus raises on purpose."""


class ConfigError(LocusError):
    """The environment is missing or has a malformed setting."""


class DataFileError(LocusError):
    """A bundled or imported data file is missing, truncated or malformed."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.path = path
        self.line = line
        self.field = field
        where = ", ".join(
            part for part in (
                f"file {path}" if path else "",
                f"line {line}" if line is not None else "",
                f"field {field!r}" if field else "",
            ) if part
        )
        super().__init__(f"{where}: {message}" if where else message)


class GeographyError(LocusError):
    """An unknown area code, level or hierarchy problem."""


class PostcodeError(LocusError):
    """A postcode that is malformed or not in the bundled postcode table."""

    def __init__(self, message: str, *, postcode: str, reason: str) -> None:
        self.postcode = postcode
        self.reason = reason  # "malformed" | "unknown" | "no_location"
        super().__init__(message)


class PipelineError(LocusError):
    """The atlas build failed: a source file, a model or a check."""


class GroupingError(LocusError):
    """A group-formation problem is malformed or infeasible."""


class CollaborationError(LocusError):
    """A consortium, rule set, portfolio or organisation request that cannot be carried out."""


class ConnectorError(LocusError):
    """An external system (an API or a published file) could not be read as expected."""


class PeersError(LocusError):
    """A peer-networks request that breaks a programme rule (eligibility, attendance, costs)."""


class PolicyError(LocusError):
    """A policy-library request that cannot be carried out (unknown case, filter or place)."""


class AtlasError(LocusError):
    """An atlas load or request that cannot be carried out (no build, unknown indicator or area)."""
