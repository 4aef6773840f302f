"""Normalisation (RIS method): properties checked with hypothesis."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from locus.pathways.normalise import (
    normalise,
    normaliser_apply,
    normaliser_fit,
    skewness,
    winsor_bounds,
)

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
arrays = st.lists(finite, min_size=1, max_size=60).map(lambda v: np.asarray(v, dtype=float))


@given(arrays)
def test_output_in_unit_interval_and_same_shape(values):
    out, _ = normalise(values)
    assert out.shape == values.shape
    assert np.all((out >= 0) & (out <= 1))


@given(arrays)
def test_order_preserving(values):
    out, _ = normalise(values)
    order = np.argsort(values, kind="stable")
    assert np.all(np.diff(out[order]) >= -1e-12)


@given(arrays, st.integers(min_value=0, max_value=59))
def test_missing_stays_missing(values, index):
    values = values.copy()
    values[index % values.size] = np.nan
    out, _ = normalise(values)
    assert np.isnan(out[index % values.size])
    assert np.isfinite(out[~np.isnan(values)]).all()


cents = st.lists(st.integers(-10**6, 10**6), min_size=1, max_size=60).map(lambda v: np.asarray(v) / 100.0)


@given(cents, st.floats(min_value=0.01, max_value=100), st.floats(min_value=-1e3, max_value=1e3))
@settings(max_examples=200)
def test_invariant_to_positive_affine_change_without_transform(values, a, b):
    params = normaliser_fit(values, skew_threshold=np.inf)  # no square root
    scaled = normaliser_fit(a * values + b, skew_threshold=np.inf)
    out = normaliser_apply(values, params=params)
    out2 = normaliser_apply(a * values + b, params=scaled)
    assert np.allclose(out, out2, atol=1e-6)


@given(arrays)
def test_direction_flips_the_scale(values):
    up, _ = normalise(values)
    down, _ = normalise(values, direction="lower_is_better")
    assert np.allclose(up + down, 1.0)


def test_outlier_is_winsorised_to_the_largest_non_outlier():
    values = np.asarray([1.0] * 20 + [2.0] * 20 + [1000.0])
    low, high = winsor_bounds(values, k=2.0)
    assert (low, high) == (1.0, 2.0)
    out, params = normalise(values)
    assert out[-1] == 1.0 and params.high == 2.0


def test_skewed_non_negative_values_get_square_root():
    values = np.asarray([0.0, 1, 1, 1, 2, 2, 3, 4, 9, 16, 25, 36, 49] + [1] * 30)
    assert skewness(np.clip(values, *winsor_bounds(values))) > 1
    _, params = normalise(values)
    assert params.transform == "sqrt"


def test_reference_parameters_clip_other_areas():
    params = normaliser_fit(np.asarray([0.0, 5.0, 10.0]), skew_threshold=np.inf)
    assert list(normaliser_apply(np.asarray([-5.0, 5.0, 50.0]), params=params)) == [0.0, 0.5, 1.0]


def test_constant_values_give_the_middle():
    out, _ = normalise(np.asarray([3.0, 3.0, 3.0]))
    assert list(out) == [0.5, 0.5, 0.5]
