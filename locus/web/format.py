"""Number formatting for pages: thousands separators, and 'unknown' rather than a blank or zero."""

from __future__ import annotations


def format_number(value: float | int | None, decimals: int = 0) -> str:
    if value is None:
        return "unknown"
    return f"{value:,.{decimals}f}"
