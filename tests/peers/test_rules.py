"""Identifiers, duplicate keys, eligibility rules and meeting schedules (pure functions)."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from locus.errors import PeersError
from locus.peers.rules import (
    Applicant,
    EligibilityRules,
    company_number_normalise,
    eligibility_reasons,
    name_key,
)
from locus.peers.scheduling import meeting_dates, schedule_plan


@pytest.mark.parametrize("raw,clean", [("01234567", "01234567"), ("1234567", "01234567"),
                                       ("sc 123456", "SC123456"), ("OC301234", "OC301234"),
                                       ("R0123456", "R0123456")])
def test_company_numbers_are_normalised(raw, clean):
    assert company_number_normalise(raw) == clean


@pytest.mark.parametrize("raw", ["123456789", "ABCDEFGH", "S1234567", "12-34", "SC12345X"])
def test_bad_company_numbers_are_refused(raw):
    with pytest.raises(ValueError, match="correct format"):
        company_number_normalise(raw)


def test_name_keys_ignore_legal_suffixes_and_punctuation():
    assert name_key("The Acme Co. Ltd") == name_key("ACME LIMITED") == "acme"
    assert name_key("Smith & Sons (UK) plc") == "smith sons"


RULES = EligibilityRules(min_years_trading=1, min_employees=5, min_turnover=Decimal(100000),
                         place_codes=frozenset({"E47000001"}), place_names="Greater Manchester")


def applicant(**kw):
    base = {"employees": 10, "turnover": Decimal(250000), "trading_since": 2015,
            "area_codes": frozenset({"E08000003", "E47000001"})}
    return Applicant(**{**base, **kw})


def test_an_applicant_meeting_every_rule_is_eligible():
    assert eligibility_reasons(rules=RULES, applicant=applicant(), year=2026) == []


@pytest.mark.parametrize("kw,reason", [
    ({"employees": 3}, "at least 5 employees"),
    ({"turnover": Decimal(50000)}, "at least £100,000"),
    ({"turnover": None}, "needs to know the business's annual turnover"),
    ({"trading_since": 2026}, "traded for at least 1 year"),
    ({"area_codes": frozenset({"E08000035"})}, "based in Greater Manchester"),
])
def test_each_rule_gives_its_reason(kw, reason):
    reasons = eligibility_reasons(rules=RULES, applicant=applicant(**kw), year=2026)
    assert len(reasons) == 1 and reason in reasons[0]


def test_no_rules_means_everyone_is_eligible():
    assert eligibility_reasons(rules=EligibilityRules(), year=2026,
                               applicant=applicant(employees=0, turnover=None,
                                                   trading_since=None)) == []


def test_monthly_means_the_same_weekday_of_the_month():
    days = meeting_dates(first=date(2026, 1, 13), count=4, cadence="monthly")  # 2nd Tuesday
    assert days == [date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 14)]
    assert all(d.weekday() == 1 for d in days)
    fifth = meeting_dates(first=date(2026, 1, 29), count=2, cadence="monthly")  # 5th Thursday
    assert fifth[1] == date(2026, 2, 26)  # February has four: the last one


@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
       st.integers(1, 24), st.sampled_from(["weekly", "fortnightly", "four_weekly", "monthly"]))
def test_dates_increase_and_keep_the_weekday(first, count, cadence):
    days = meeting_dates(first=first, count=count, cadence=cadence)
    assert len(days) == count and days[0] == first
    assert all(a < b for a, b in zip(days, days[1:], strict=False))
    assert {d.weekday() for d in days} == {first.weekday()}


def test_times_stay_at_local_time_across_summer_time():
    slots = schedule_plan(first=date(2026, 3, 10), at=time(9, 30), count=2, cadence="monthly",
                          pattern="online", venue_ids=[], theme_ids=[])
    assert [s.starts_at.hour for s in slots] == [9, 9]
    assert [s.starts_at.utcoffset().total_seconds() for s in slots] == [0, 3600]


def test_alternating_meetings_rotate_hosts_and_themes():
    slots = schedule_plan(first=date(2026, 1, 6), at=time(10), count=6, cadence="fortnightly",
                          pattern="alternate_in_person_first", venue_ids=[7, 8], theme_ids=[1, 2,
                                                                                             3, 4])
    assert [s.mode for s in slots] == ["in_person", "online"] * 3
    assert [s.venue_id for s in slots] == [7, None, 8, None, 7, None]
    assert [s.theme_id for s in slots] == [1, 2, 3, 4, 1, 2]


def test_in_person_without_a_venue_is_refused():
    with pytest.raises(PeersError, match="host venue"):
        schedule_plan(first=date(2026, 1, 6), at=time(10), count=2, cadence="weekly",
                      pattern="in_person", venue_ids=[], theme_ids=[])
    with pytest.raises(PeersError, match="cadence"):
        meeting_dates(first=date(2026, 1, 6), count=2, cadence="yearly")
