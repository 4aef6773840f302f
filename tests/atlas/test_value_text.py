"""One formatter of values: the build's opportunity reasons (``locus.pathways.opportunities.value_text``)
and the atlas pages (``locus.atlas.text.value_text``) write the same value and unit the same way, except
where a page asks otherwise: 'no data' for a missing value, no sign on a value that rounds to zero, and
counts, indexes, ratios and scores as bare numbers under a header that names the unit."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from locus.atlas import text
from locus.pathways import opportunities
from locus.pipeline.catalogue import INDICATORS

UNITS = sorted({ind.unit for ind in INDICATORS} | {"GBP million", "GBP per week", "EUR", "hours per week"})
WORDED = [u for u in UNITS if u not in opportunities.BARE_UNITS and not u.startswith("score")]
values = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


def test_the_catalogue_has_units_of_every_kind():
    assert {"GBP per head", "EUR per head", "GBP per GBP 100", "percent", "count", "index"} <= set(UNITS)
    assert "persons per 1,000" in WORDED  # a rate, not a head count: its unit is written
    assert len(WORDED) >= 8


@settings(max_examples=400, deadline=None)
@given(value=values, unit=st.sampled_from(WORDED))
def test_the_page_and_the_build_write_a_value_the_same_way(value, unit):
    page, build = text.value_text(value, unit), opportunities.value_text(value, unit)
    if round(value, 2) == 0:  # the page drops the sign of a value that rounds to zero, the build keeps it
        assert page == build.replace("-", "", 1) if build.startswith("-") else page == build
        assert not page.startswith("-")
    else:
        assert page == build


@settings(max_examples=200, deadline=None)
@given(value=values, unit=st.sampled_from([u for u in UNITS if u.startswith(("GBP", "EUR"))]))
def test_money_has_its_symbol_after_the_sign_and_two_decimals_below_100(value, unit):
    written = text.value_text(value, unit)
    symbol = "€" if unit.startswith("EUR") else "£"
    assert written.lstrip("-").startswith(symbol)
    assert written.startswith("-") == (round(value, 2) < 0)
    amount = written.lstrip("-")[1:].split(" ", 1)[0]
    decimals = len(amount.split(".")[1]) if "." in amount else 0
    assert decimals == (2 if unit == "GBP per GBP 100" or abs(value) < 100 else 0)


@given(value=st.one_of(st.none(), st.just(math.nan), st.just(math.inf), st.just(-math.inf)),
       unit=st.sampled_from(UNITS))
def test_no_value_is_no_data_on_pages_and_n_a_in_the_reasons(value, unit):
    assert text.value_text(value, unit) == "no data"
    assert opportunities.value_text(value, unit) == "n/a"


def test_the_values_that_used_to_differ():
    """The pages wrote pounds and euros from 10 to 100 with one decimal ('£36.2 per hour'), the reasons with
    two; both now write money with two decimals below £100, as the reasons always did."""
    for v, unit, written in [(36.2, "GBP per hour", "£36.20 per hour"), (-12.5, "GBP per head", "-£12.50 per head"),
                             (15.25, "EUR per head", "€15.25 per head"), (256.4, "EUR per head", "€256 per head"),
                             (23450, "GBP per head", "£23,450 per head"), (12.345, "firms per 100,000",
                                                                          "12.35 firms per 100,000")]:
        assert text.value_text(v, unit) == opportunities.value_text(v, unit) == written


def test_bare_units_on_pages_only():
    assert text.value_text(1234.4, "count") == "1,234" and opportunities.value_text(1234.4, "count") == "1,234 count"
    assert text.value_text(2848286, "persons") == "2,848,286"
    assert text.value_text(12.345, "persons per 1,000") == "12.35 persons per 1,000"
    assert text.value_text(0.347, "index") == "0.35" and text.value_text(1.234, "ratio") == "1.23"
    assert text.value_text(3.1, "score (1-4)") == "3.10"
    assert opportunities.value_text(0.347, "index", bare=True) == "0.35"


def test_a_negative_amount_per_100_pounds_has_its_sign_before_the_pound():
    """It was '£-1.00 per £100 of research income' on both sides."""
    assert opportunities.value_text(-1, "GBP per GBP 100") == "-£1.00 per £100 of research income"
    assert opportunities.value_text(1234.5, "GBP per GBP 100") == "£1,234.50 per £100 of research income"
