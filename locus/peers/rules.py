"""Pure rules of recruitment: identifiers, duplicate keys and per-programme eligibility."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# Companies House numbers: 8 characters, either 8 digits (England and Wales, leading zeros
# often dropped) or a 2-letter prefix and 6 digits (SC Scotland, NI Northern Ireland, OC LLP,
# SO Scottish LLP, NC Northern Irish LLP, FC overseas, ...), or R + 7 digits (old NI numbers).
_COMPANY_NUMBER = re.compile(r"^(?:\d{8}|[A-Z]{2}\d{6}|R\d{7})$")
_NAME_SUFFIX = re.compile(r"\b(limited|ltd|plc|llp|lp|cic|cio|the|and|co|company|uk)\b")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def company_number_normalise(text: str) -> str:
    """Upper-case, strip spaces and pad a short all-digit number; ValueError if not valid."""
    raw = re.sub(r"\s+", "", text or "").upper()
    if raw.isdecimal() and 1 <= len(raw) < 8:
        raw = raw.zfill(8)
    if not _COMPANY_NUMBER.match(raw):
        raise ValueError("Enter a Companies House number in the correct format, like 01234567 "
                         "or SC123456")
    return raw


def name_key(name: str) -> str:
    """A business name reduced for duplicate detection: 'The Acme Co. Ltd' -> 'acme'."""
    lowered = name.lower().replace("&", " and ")
    return " ".join(_NAME_SUFFIX.sub(" ", _NON_WORD.sub(" ", lowered)).split())


@dataclass(frozen=True)
class EligibilityRules:
    min_years_trading: int | None = None
    min_employees: int | None = None
    max_employees: int | None = None
    min_turnover: Decimal | None = None
    max_turnover: Decimal | None = None
    place_codes: frozenset[str] = frozenset()  # LAD/CA codes served (empty = anywhere)
    place_names: str = ""


@dataclass(frozen=True)
class Applicant:
    employees: int
    turnover: Decimal | None
    trading_since: int | None
    area_codes: frozenset[str]  # the firm's LAD, ITL3, CA, region and nation codes


def eligibility_reasons(*, rules: EligibilityRules, applicant: Applicant, year: int) -> list[str]:
    """Why an applicant is not eligible (empty list = eligible), in plain words."""
    reasons: list[str] = []
    if rules.min_years_trading is not None:
        if applicant.trading_since is None:
            reasons.append("the programme needs to know when the business started trading")
        elif year - applicant.trading_since < rules.min_years_trading:
            reasons.append(f"the business must have traded for at least "
                           f"{rules.min_years_trading} year{'s' * (rules.min_years_trading != 1)}")
    if rules.min_employees is not None and applicant.employees < rules.min_employees:
        reasons.append(f"the business must have at least {rules.min_employees} employees")
    if rules.max_employees is not None and applicant.employees > rules.max_employees:
        reasons.append(f"the business must have no more than {rules.max_employees} employees")
    if rules.min_turnover is not None or rules.max_turnover is not None:
        if applicant.turnover is None:
            reasons.append("the programme needs to know the business's annual turnover")
        elif rules.min_turnover is not None and applicant.turnover < rules.min_turnover:
            reasons.append(f"annual turnover must be at least £{rules.min_turnover:,.0f}")
        elif rules.max_turnover is not None and applicant.turnover > rules.max_turnover:
            reasons.append(f"annual turnover must be no more than £{rules.max_turnover:,.0f}")
    if rules.place_codes and not (rules.place_codes & applicant.area_codes):
        reasons.append(f"the business must be based in {rules.place_names or 'the area served'}")
    return reasons
