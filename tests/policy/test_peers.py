"""Combined Authority peer matching: properties, a brute-force oracle, and the real CAs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from locus.policy.peers import Feature, FeatureMatrix, distance_matrix, peers_rank

FEATURES = (Feature("a", "alpha", "", "test", log=True), Feature("b", "beta", "", "test"),
            Feature("c", "gamma", "%", "test"))


def _matrix(values) -> FeatureMatrix:
    n = len(values)
    return FeatureMatrix(tuple(f"P{i}" for i in range(n)), tuple(f"Place {i}" for i in range(n)),
                         FEATURES, np.array(values, dtype=float))


rows = st.lists(st.tuples(st.floats(1, 1e7), st.floats(-100, 100), st.floats(0, 100)),
                min_size=3, max_size=12)


def _oracle(values, i, j) -> float:
    x = np.array(values, dtype=float)
    x[:, 0] = np.log(x[:, 0])
    std = x.std(axis=0)
    floor = np.array([1e-9, *(1e-9 * np.abs(x[:, 1:]).max(axis=0))])  # column 0 is logged: unit-free
    keep = std > floor  # a column of (all but) equal values has no spread
    z = (x[:, keep] - x[:, keep].mean(axis=0)) / std[keep]
    return math.sqrt(((z[i] - z[j]) ** 2).mean()) if keep.any() else math.inf


@settings(max_examples=80, deadline=None)
@given(values=rows)
def test_peers_never_include_the_place_and_are_sorted(values):
    matrix = _matrix(values)
    peers = peers_rank(matrix=matrix, code="P0", limit=len(values))
    assert "P0" not in [p.code for p in peers]
    distances = [p.distance for p in peers]
    assert distances == sorted(distances)
    assert all(0 <= p.similarity <= 100 for p in peers)


@settings(max_examples=80, deadline=None)
@given(values=rows)
def test_distances_match_a_brute_force_oracle_and_are_symmetric(values):
    d = distance_matrix(_matrix(values))
    assert np.allclose(d, d.T)
    for i in range(len(values)):
        for j in range(len(values)):
            if i != j and math.isfinite(d[i, j]):
                assert d[i, j] == pytest.approx(_oracle(values, i, j), rel=1e-6, abs=1e-9)


@settings(max_examples=50, deadline=None)
@given(values=rows, factor=st.floats(0.01, 1000))
@example(values=[(1.0, 84.0, 0.0)] * 3, factor=130.4933693009429)  # equal rows: rounding once made std ~1e-12
@example(values=[(1.0, 0.0, 0.0), (1.0, 0.0, 0.0), (1.0000000000000002, 0.0, 0.0)], factor=0.5)  # one ulp apart
def test_rescaling_a_feature_changes_nothing(values, factor):
    scaled = [(a * factor, b * factor, c) for a, b, c in values]
    first = [p.code for p in peers_rank(matrix=_matrix(values), code="P1", limit=20)]
    second = [p.code for p in peers_rank(matrix=_matrix(scaled), code="P1", limit=20)]
    d1, d2 = distance_matrix(_matrix(values)), distance_matrix(_matrix(scaled))
    assert np.allclose(d1, d2, rtol=1e-6, atol=1e-8)
    if len(set(np.round(d1[1], 9))) == len(d1[1]):  # no ties: the same order
        assert first == second


def test_a_twin_is_the_nearest_peer_and_the_reason_says_why():
    values = [(1000, 5, 50), (1001, 5, 50), (90000, -40, 10), (50, 60, 90)]
    peers = peers_rank(matrix=_matrix(values), code="P0", limit=3)
    assert peers[0].code == "P1" and peers[0].similarity > 99
    assert peers[0].reasons[0].startswith("Similar")
    assert "differ most" in peers[-1].reasons[-1]


def test_extra_columns_can_be_added_by_another_room():
    values = [(1000, 5, 50), (1000, 5, 50), (1000, 5, 50.0001)]
    matrix = _matrix(values)
    richer = matrix.with_columns([Feature("stage", "pathway score", "", "atlas")],
                                 {"stage": [0.0, 3.0, 0.1]})
    assert peers_rank(matrix=richer, code="P0", limit=1)[0].code == "P2"
    with pytest.raises(ValueError):
        FeatureMatrix(("a",), ("A",), FEATURES, np.zeros((2, 3)))


@pytest.mark.django_db
def test_real_combined_authorities(client):
    from locus.geography.models import Area
    from locus.policy.places import ca_feature_matrix, ca_peers, place_share

    matrix = ca_feature_matrix()
    assert len(matrix.codes) == Area.objects.filter(level="ca").count() == 15
    gm = Area.objects.get(code="E47000001")
    match = ca_peers(area=gm, limit=5)
    assert len(match.peers) == 5 and "E47000001" not in [p.code for p in match.peers]
    assert match.row("E47000001")[0] == gm.population
    share = place_share(area=gm)
    assert share.share == pytest.approx(gm.population / 67_081_234)
    assert "sized by population" in share.basis
    page = client.get("/policy/peers/E47000001/").content.decode()
    assert "Similarity is based on population, density, land area, number of member districts" in page
    assert "Pathway stage scores are not included: the atlas has none for Combined Authorities yet." in page
    assert client.get("/policy/peers/E08000003/").status_code == 404  # a district, not a CA
    assert client.get("/policy/peers/", {"ca": "e47000001"}).status_code == 302


def test_reasons_keep_acronyms_and_end_sentences():
    features = (Feature("a", "business R&D and innovation finance score", "score (0-1)", "test", decimals=2),
                Feature("b", "GVA per head", "GBP", "test"), Feature("c", "population", "people", "test"))
    values = np.array([[0.2, 30000.0, 1e6], [0.21, 30500.0, 3e6], [0.9, 50000.0, 1.1e6]])
    matrix = FeatureMatrix(("X", "Y", "Z"), ("X", "Y", "Z"), features, values)
    nearest = peers_rank(matrix=matrix, code="X", limit=1)[0]
    assert nearest.code == "Y"
    assert nearest.reasons[0].startswith("Similar business R&D and innovation finance score (0.20 and 0.21)")
    assert "similar GVA per head (30,000 GBP and 30,500 GBP)" in nearest.reasons[0]
    assert all(r.endswith(".") for r in nearest.reasons)


def test_reasons_call_values_similar_only_within_half_a_standard_deviation():
    features = (Feature("a", "share of people in the largest district", "%", "test"),
                Feature("b", "density", "people per km²", "test"), Feature("c", "population", "people", "test"))
    # Two places: every feature is two standard deviations apart, so none is "similar", although
    # Y is X's nearest (only) peer. With a third place like Y, X and Y become similar in population.
    values = np.array([[20.0, 2000.0, 1e6], [10.0, 3000.0, 2e6]])
    matrix = FeatureMatrix(("X", "Y"), ("X", "Y"), features, values)
    nearest = peers_rank(matrix=matrix, code="X", limit=1)[0]
    assert nearest.code == "Y"
    assert nearest.reasons[0].startswith("Most alike in ")
    assert "imilar" not in nearest.reasons[0]
    wide = FeatureMatrix(("X", "Y", "Z"), ("X", "Y", "Z"), features,
                         np.vstack([values, [[90.0, 9000.0, 9e7]]]))
    assert "similar population" in peers_rank(matrix=wide, code="X", limit=1)[0].reasons[0].lower()
