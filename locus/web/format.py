"""Number formatting for pages: thousands separators, and 'unknown' rather than a blank or zero."""

from __future__ import annotations


def format_number(value: float | int | None, decimals: int = 0) -> str:
    if value is None:
        return "unknown"
    return f"{value:,.{decimals}f}"


def first_upper(text: str | None) -> str:
    """Capitalise the first letter only (Jinja's ``capitalize`` lower-cases the rest: 'an SME'
    became 'An sme', 'IP and spin-outs' 'Ip and spin-outs')."""
    text = "" if text is None else str(text)
    return text[:1].upper() + text[1:]
