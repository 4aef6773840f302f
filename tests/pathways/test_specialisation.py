"""Location quotients and economic complexity: identities, symmetry and an oracle."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from locus.pathways.specialisation import complexity, location_quotients

mats = st.integers(3, 8).flatmap(lambda r: st.integers(3, 8).flatmap(
    lambda s: st.lists(st.lists(st.integers(1, 1000), min_size=s, max_size=s), min_size=r, max_size=r)))


@given(mats)
@settings(max_examples=100)
def test_lq_weighted_by_region_share_averages_to_one(rows):
    e = np.asarray(rows, dtype=float)
    lq = location_quotients(e)
    region_share = e.sum(axis=1) / e.sum()
    assert np.allclose((lq * region_share[:, None]).sum(axis=0), 1.0)


def test_lq_by_hand():
    e = np.asarray([[10.0, 30.0], [30.0, 30.0]])
    lq = location_quotients(e)
    assert np.isclose(lq[0, 0], (10 / 40) / (40 / 100))


def _reflections_eci(m, iterations=20):
    """Oracle: method of reflections (Hidalgo and Hausmann 2009) iterated to convergence on the
    even steps, whose ordering matches the eigenvector ECI."""
    kr, ki = m.sum(axis=1), m.sum(axis=0)
    k_r, k_i = kr.copy(), ki.copy()
    for _ in range(iterations):
        k_r, k_i = (m @ k_i) / kr, (m.T @ k_r) / ki
    return k_r


def test_eci_is_standardised_signed_by_diversity_and_permutation_invariant():
    rng = np.random.default_rng(4)
    base = rng.integers(1, 50, size=(12, 9)).astype(float)
    base[:4, :3] += 400  # a few regions specialised in a few sectors
    eci, pci = complexity(base)
    assert np.isclose(np.nanmean(eci), 0.0) and np.isclose(np.nanstd(eci), 1.0)
    m = (np.nan_to_num(location_quotients(base)) >= 1).astype(float)
    assert np.corrcoef(eci, m.sum(axis=1))[0, 1] > 0 or np.allclose(m.sum(axis=1), m.sum(axis=1)[0])
    perm = rng.permutation(12)
    eci2, _ = complexity(base[perm])
    assert np.allclose(eci2, eci[perm])
    assert np.isfinite(pci).sum() >= 2


def test_eci_agrees_with_the_method_of_reflections():
    rng = np.random.default_rng(11)
    e = rng.integers(1, 30, size=(15, 10)).astype(float)
    e[:5, :4] += 200
    e[5:9, 4:7] += 150
    m = (np.nan_to_num(location_quotients(e)) >= 1).astype(float)
    eci, _ = complexity(e)
    oracle = _reflections_eci(m, iterations=20)  # even step: region-side reflection
    oracle = (oracle - oracle.mean()) / oracle.std()
    assert abs(np.corrcoef(eci, oracle)[0, 1]) > 0.99


@given(mats)
@settings(max_examples=100)
def test_lq_with_the_rows_own_totals_as_reference_is_the_default(rows):
    e = np.asarray(rows, dtype=float)
    assert np.allclose(location_quotients(e, reference=e.sum(axis=0)), location_quotients(e), equal_nan=True)


@given(mats)
@settings(max_examples=100)
def test_lq_of_some_regions_against_the_whole_country_equals_their_rows_of_the_country_matrix(rows):
    """Combined Authorities cover part of the country: their LQs against the country's sector totals
    must equal their rows of the LQ matrix of all regions, whichever subset is taken."""
    e = np.asarray(rows, dtype=float)
    subset = e[: max(1, len(e) // 2)]
    assert np.allclose(location_quotients(subset, reference=e.sum(axis=0)), location_quotients(e)[: len(subset)])


def test_lq_reference_must_match_the_sectors():
    import pytest

    with pytest.raises(ValueError, match="each sector"):
        location_quotients(np.ones((2, 3)), reference=np.ones(2))
