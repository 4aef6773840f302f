"""Number formatting for pages: thousands separators, and 'unknown' rather than a blank or zero."""

from __future__ import annotations

import re


def format_number(value: float | int | None, decimals: int = 0) -> str:
    if value is None:
        return "unknown"
    return f"{value:,.{decimals}f}"


def first_upper(text: str | None) -> str:
    """Capitalise the first letter only (Jinja's ``capitalize`` lower-cases the rest: 'an SME'
    became 'An sme', 'IP and spin-outs' 'Ip and spin-outs')."""
    text = "" if text is None else str(text)
    return text[:1].upper() + text[1:]


_PROPER_ADJECTIVES = frozenset({"English", "Welsh", "Scottish", "British", "European"})


def in_sentence(text: str | None) -> str:
    """A label inside a sentence: its first word lower-cased, unless that word is an acronym
    ("IP", "ITL3", "R&D"), a proper adjective ("English region") or begins a proper name
    ("Combined Authority", whose second word is capitalised). Jinja's ``lower`` turned "ITL3
    (2021)" into "itl3 (2021)" and "University or HE provider" into "university or he provider"."""
    text = "" if text is None else str(text)
    first, _, rest = text.partition(" ")
    second = rest.split(" ", 1)[0]
    acronym = first != first.capitalize() or any(ch.isdigit() for ch in first)
    proper = first in _PROPER_ADJECTIVES or (second[:1].isupper() and second[1:].islower())
    return text if acronym or proper or not first else first[:1].lower() + first[1:] + text[len(first):]


# A number typed with commas: they may only separate thousands (1,000 or 12,500,000.50), so "2,5", "1,00" and
# ",5" are refused rather than read as 25, 100 and 5 (the policy cost model and the peers cost ledger).
THOUSANDS_GROUPED = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d*)?")
