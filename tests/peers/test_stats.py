"""Confidence intervals against scipy as the oracle."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from locus.peers.stats import paired_change, welch_difference

values = st.floats(min_value=0, max_value=1, allow_nan=False)
pairs = st.lists(st.tuples(values, values), min_size=3, max_size=40)


def test_hand_worked_paired_change():
    c = paired_change(pairs=[(0.4, 0.5), (0.5, 0.55), (0.6, 0.75)])
    assert c.n == 3 and c.change == pytest.approx(0.1)
    # differences 0.1, 0.05, 0.15: sd 0.05; t(2, 0.975) = 4.302653
    assert c.high - c.change == pytest.approx(4.302653 * 0.05 / 3 ** 0.5, rel=1e-6)


@settings(max_examples=60)
@given(pairs)
def test_paired_interval_matches_scipy(data):
    before, after = zip(*data, strict=True)
    c = paired_change(pairs=data)
    if c.sd is None or c.sd < 1e-6:
        return
    ci = stats.ttest_rel(after, before).confidence_interval(0.95)
    assert c.low == pytest.approx(ci.low, abs=1e-9) and c.high == pytest.approx(ci.high, abs=1e-9)


@settings(max_examples=60)
@given(pairs, pairs)
def test_welch_interval_matches_scipy(a, b):
    ta, tb = paired_change(pairs=a), paired_change(pairs=b)
    if min(ta.sd or 0, tb.sd or 0) < 1e-6:
        return
    da = [y - x for x, y in a]
    db = [y - x for x, y in b]
    ci = stats.ttest_ind(da, db, equal_var=False).confidence_interval(0.95)
    d = welch_difference(treated=ta, comparison=tb)
    assert d.low == pytest.approx(ci.low, abs=1e-9) and d.high == pytest.approx(ci.high, abs=1e-9)


def test_too_few_firms_gives_no_interval():
    assert paired_change(pairs=[]).n == 0
    one = paired_change(pairs=[(0.2, 0.3)])
    assert one.change == pytest.approx(0.1) and one.low is None
    assert welch_difference(treated=one, comparison=one).low is None
