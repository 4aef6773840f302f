"""Stage scores: mean of normalised indicators, carry-forward window, minimum share, trend."""

import pyarrow as pa
import pytest

from locus.pathways.scores import StageIndicator, indicators_normalise, stage_scores_compute

INDS = [StageIndicator("a", "s1", "higher_is_better"), StageIndicator("b", "s1", "higher_is_better"),
        StageIndicator("c", "s2", "lower_is_better")]


def _table(rows):
    return pa.Table.from_pylist([dict(zip(("indicator_id", "level", "area_code", "year", "normalised"), r,
                                          strict=True)) for r in rows])


def test_mean_of_available_indicators_with_carry_forward():
    rows = [("a", "itl3", "X", 2018, 0.2), ("b", "itl3", "X", 2019, 0.6), ("a", "itl3", "X", 2020, 0.4)]
    scores = stage_scores_compute(normalised=_table(rows), indicators=INDS)
    got = {(r["year"]): (r["score"], r["n_indicators"]) for r in scores.to_pylist()}
    # 2018: a only (1 of 2 = half, enough); 2019: a(2018) + b(2019); 2020: a(2020) + b(2019)
    assert got == {2018: (0.2, 1), 2019: (pytest.approx(0.4), 2), 2020: (pytest.approx(0.5), 2)}
    latest = [r for r in scores.to_pylist() if r["is_latest"]]
    assert [r["year"] for r in latest] == [2020]


def test_no_score_in_a_year_without_fresh_data_and_window_limits_carry_forward():
    rows = [("a", "itl3", "X", 2010, 0.5), ("a", "itl3", "X", 2015, 0.7)]
    years = [r["year"] for r in stage_scores_compute(normalised=_table(rows), indicators=INDS).to_pylist()]
    assert years == [2010, 2015]  # nothing invented for 2011-2014


def test_minimum_share_of_indicators():
    inds = INDS + [StageIndicator("d", "s1", "higher_is_better"), StageIndicator("e", "s1", "higher_is_better")]
    rows = [("a", "itl3", "X", 2018, 0.2)]
    assert stage_scores_compute(normalised=_table(rows), indicators=inds).num_rows == 0


def test_trend_is_the_least_squares_slope():
    rows = [("a", "itl3", "X", y, 0.1 * i) for i, y in enumerate(range(2015, 2020))]
    scores = stage_scores_compute(normalised=_table(rows), indicators=INDS).to_pylist()
    assert scores[-1]["trend"] == pytest.approx(0.1)
    assert scores[0]["trend"] is None and scores[1]["trend"] is None


def test_normalisation_is_fitted_on_the_reference_level_and_applied_to_others():
    values = pa.Table.from_pylist([
        {"indicator_id": "a", "level": "itl3", "area_code": f"T{i}", "year": 2018, "value": float(i)}
        for i in range(11)] + [{"indicator_id": "a", "level": "ca", "area_code": "C", "year": 2018, "value": 20.0},
                               {"indicator_id": "c", "level": "itl3", "area_code": "T1", "year": 2018, "value": 1.0},
                               {"indicator_id": "c", "level": "itl3", "area_code": "T2", "year": 2018, "value": 3.0}])
    out, params = indicators_normalise(values=values, indicators=INDS)
    norm = {(r["indicator_id"], r["area_code"]): r["normalised"] for r in out.to_pylist()}
    assert norm[("a", "T0")] == 0.0 and norm[("a", "T10")] == 1.0
    assert norm[("a", "C")] == 1.0  # clipped to the reference range
    assert norm[("c", "T1")] == 1.0 and norm[("c", "T2")] == 0.0  # lower is better
    assert params["a"].n == 11


def _reference_scores(rows, inds, window=2, min_share=0.5):
    """A plain loop over (level, area, stage): the oracle for the vectorised implementation."""
    import math

    stage_of = {i.indicator_id: i.stage for i in inds}
    size = {s: sum(1 for i in inds if i.stage == s) for s in stage_of.values()}
    series = {}
    for iid, level, area, year, value in rows:
        if iid in stage_of:
            series.setdefault((level, area, stage_of[iid]), {}).setdefault(iid, {})[year] = value
    out = []
    for (level, area, stage), per_ind in sorted(series.items()):
        scored = []
        for year in sorted({y for ys in per_ind.values() for y in ys}):
            used = [(iid, next(year - w for w in range(window + 1) if year - w in per_ind[iid]))
                    for iid in sorted(per_ind) if any(year - w in per_ind[iid] for w in range(window + 1))]
            if len(used) >= max(1, math.ceil(min_share * size[stage])):
                vals = [per_ind[i][y] for i, y in used]
                scored.append((year, sum(vals) / len(vals), [i for i, _ in used], [y for _, y in used]))
        for idx, (year, score, used, years) in enumerate(scored):
            out.append((area, level, stage, year, score, len(used), ",".join(used), min(years), max(years),
                        idx == len(scored) - 1))
    return out


try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    given = None

if given is not None:
    _row = st.tuples(st.sampled_from(["a", "b", "c", "x"]), st.sampled_from(["itl3", "ca"]),
                     st.sampled_from(["P", "Q", "R"]), st.integers(2000, 2012),
                     st.floats(0, 1, allow_nan=False))

    @settings(max_examples=150, deadline=None)
    @given(st.lists(_row, max_size=60, unique_by=lambda r: r[:4]))
    def test_vectorised_scores_equal_a_plain_loop(rows):
        got = stage_scores_compute(normalised=_table(rows), indicators=INDS).to_pylist() if rows else []
        want = _reference_scores(rows, INDS)
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            assert (g["area_code"], g["level"], g["stage"], g["year"]) == w[:4]
            assert g["score"] == pytest.approx(w[4], abs=1e-12)
            assert (g["n_indicators"], g["indicators"], g["data_year_min"], g["data_year_max"],
                    g["is_latest"]) == w[5:]
