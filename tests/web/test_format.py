"""Labels placed in sentences keep their acronyms and proper names."""

from __future__ import annotations

import pytest

from locus.web.format import first_upper, in_sentence


@pytest.mark.parametrize("label, inside", [
    ("Business R&D and innovation finance", "business R&D and innovation finance"),
    ("IP and spin-outs", "IP and spin-outs"),
    ("ITL3 (2021)", "ITL3 (2021)"),
    ("University or HE provider", "university or HE provider"),
    ("Combined Authority policy officer", "Combined Authority policy officer"),
    ("English region", "English region"),
    ("Local authority district", "local authority district"),
    ("Programme manager", "programme manager"),
    ("", ""),
])
def test_in_sentence_lowers_only_an_ordinary_first_word(label, inside):
    assert in_sentence(label) == inside


@pytest.mark.parametrize("label, start", [("an SME", "An SME"), ("a university or RTO", "A university or RTO"),
                                          ("iPhone", "IPhone"), ("", "")])
def test_first_upper_changes_the_first_letter_only(label, start):
    assert first_upper(label) == start
