"""QA H25's polish items on the atlas: the specialisation chart's reference line names Great Britain (LQs are
against GB), the 'highest location quotients' list marks sectors under 1.25 as not specialised, a weak link's
interval that rounds to zero reads '0.00' not '-0.00', and chart captions give units in words."""

from __future__ import annotations

import re

import pytest
from django.template import engines
from django.test import Client

WOE = "E47000009"


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def profile(client) -> str:
    return client.get(f"/atlas/areas/{WOE}/").content.decode()


def test_signed_numbers_that_round_to_zero_have_no_sign():
    from locus.atlas.text import gap_text, signed_text

    assert signed_text(-0.004) == "0.00" and signed_text(0.004) == "0.00"
    assert signed_text(-0.08) == "-0.08" and signed_text(0.14) == "+0.14"
    assert gap_text(0.14, -0.001, 0.27) == "+0.14 (95% interval 0.00 to +0.27)"


def test_the_pages_signed_macro_has_no_signed_zero():
    jinja = next(e for e in engines.all() if "Jinja2" in type(e).__name__)
    tpl = jinja.from_string('{% from "atlas/_macros.html" import signed %}{{ signed(-0.001) }}|{{ signed(-0.08) }}|'
                            '{{ signed(0.14) }}|{{ signed(none) }}')
    assert tpl.render({}).strip() == "0.00|-0.08|+0.14|no data"


def test_no_signed_zero_on_the_profile(profile):
    assert not re.search(r"[-+]0\.00\b", profile)


def test_unit_words():
    from locus.atlas.text import unit_words

    assert unit_words("GBP per GBP 100") == "£ per £100 of research income"
    assert unit_words("EUR per head") == "€ per head"
    assert unit_words("GBP per head") == "£ per head"
    assert unit_words("GBP") == "£"
    assert unit_words("firms per 100,000") == "firms per 100,000"


def test_chart_captions_give_units_in_words(profile):
    assert "(£ per £100 of research income)</figcaption>" in profile
    assert "(€ per head)</figcaption>" in profile
    assert "(GBP per GBP 100)" not in profile and "(EUR per head)" not in profile


def test_the_specialisation_chart_is_against_great_britain(profile):
    assert "Great Britain average (1.0)" in profile
    assert "national average" not in profile


def test_sectors_under_the_threshold_are_marked_not_specialised(profile):
    table = profile[profile.index('id="specialisation-table"'):]
    table = table[:table.index("</table>")]
    assert "Most specialised" not in table and "specialised at 1.25 or more" in table
    for cell in re.findall(r'data-col="lq">(.*?)</td>', table):
        lq = float(cell.split()[0])
        assert ("not specialised" in cell) == (lq < 1.25), cell
