"""Management-practices score (ONS MES approach) and digital index, against hand-worked cases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from locus.errors import PeersError
from locus.peers.diagnostics import (
    MANAGEMENT_QUESTIONS,
    TECHNOLOGIES,
    answers_clean,
    diagnostic_score,
    digital_index,
    management_score,
)

TECH_HALF = {f"tech_{k}": v for (k, _), v in zip(
    TECHNOLOGIES, ["yes"] * 4 + ["trying"] * 2 + ["no"] * 4, strict=True)}


def test_no_kpis_and_no_targets_score_zero_not_missing():
    """Hand-worked: the follow-ups of 'no KPIs' and 'no targets' count as 0 (ONS July 2024)."""
    answers = {"ci_problems": "fixed", "kpi_count": "none", "targets_timeframe": "none",
               "promotion": "partly", "underperformance": "within6", "training": "some"}
    overall, areas = management_score(answers)
    # items: 1/3, 0, 0, 0, 0, 0, 0, 1/2, 1, 1/3 -> 2.1667 / 10
    assert overall == pytest.approx((1 / 3 + 0.5 + 1 + 1 / 3) / 10)
    assert overall == pytest.approx(0.216667, abs=1e-6)
    assert areas == pytest.approx({"continuous_improvement": 1 / 3, "kpis": 0.0,
                                   "targets": 0.0, "employment": (0.5 + 1 + 1 / 3) / 3})
    old_method = (1 / 3 + 0 + 0 + 0.5 + 1 + 1 / 3) / 6  # skipped items left out (pre-2024)
    assert overall < old_method


def test_follow_up_answers_given_despite_no_kpis_are_ignored():
    answers = {"ci_problems": "fixed", "kpi_count": "none", "kpi_review_managers": "weekly",
               "kpi_review_staff": "weekly", "targets_timeframe": "none",
               "targets_stretch": "stretch", "promotion": "partly",
               "underperformance": "within6", "training": "some"}
    assert management_score(answers)[1]["kpis"] == 0.0
    assert "kpi_review_managers" not in answers_clean(answers=answers)


def test_best_practice_scores_one():
    best = {q.key: max(q.options, key=lambda o: o[2])[0] for q in MANAGEMENT_QUESTIONS}
    overall, areas = management_score(best)
    assert overall == 1.0 and set(areas.values()) == {1.0}


def test_mixed_case_by_hand():
    answers = {"ci_problems": "prevent", "kpi_count": "3-9", "kpi_review_managers": "monthly",
               "kpi_review_staff": "quarterly", "targets_timeframe": "both",
               "targets_stretch": "extreme", "targets_awareness": "managers",
               "promotion": "merit", "underperformance": "none", "training": "most"}
    overall, areas = management_score(answers)
    assert overall == pytest.approx(5.8333333 / 10, abs=1e-6)
    assert areas["continuous_improvement"] == pytest.approx(2 / 3)
    assert areas["kpis"] == pytest.approx(5 / 9)
    assert areas["targets"] == pytest.approx((1 + 0.5 + 1 / 3) / 3)
    # 'nobody has underperformed' scores 0, as ONS scores it
    assert areas["employment"] == pytest.approx((1 + 0 + 2 / 3) / 3)


def test_digital_index_counts_trying_as_half():
    assert digital_index(TECH_HALF) == pytest.approx(0.5)


def test_a_missing_answer_is_an_error_not_a_zero():
    with pytest.raises(PeersError, match="Answer the question"):
        management_score({"ci_problems": "fixed"})
    with pytest.raises(PeersError, match="Say whether"):
        digital_index({})
    with pytest.raises(PeersError, match="is not an answer"):
        management_score({q.key: "banana" for q in MANAGEMENT_QUESTIONS})


answer_sets = st.fixed_dictionaries({
    q.key: st.sampled_from([o[0] for o in q.options]) for q in MANAGEMENT_QUESTIONS})


@given(answer_sets)
def test_scores_are_between_0_and_1_and_the_mean_of_items(answers):
    answers = {**answers, **TECH_HALF}
    scores = diagnostic_score(answers=answers)
    assert 0 <= scores.management <= 1 and all(0 <= a <= 1 for a in scores.areas.values())
    a = scores.areas  # 1 + 3 + 3 + 3 items
    weighted = (a["continuous_improvement"] + 3 * a["kpis"] + 3 * a["targets"]
                + 3 * a["employment"]) / 10
    assert scores.management == pytest.approx(weighted)
    if answers["kpi_count"] == "none":
        assert a["kpis"] == 0
    if answers["targets_timeframe"] == "none":
        assert a["targets"] == 0


@given(answer_sets, st.sampled_from([q for q in MANAGEMENT_QUESTIONS if not q.skip_if]))
def test_a_better_answer_never_lowers_the_score(answers, question):
    best = max(question.options, key=lambda o: o[2])[0]
    before = management_score(answers)[0]
    after = management_score({**answers, question.key: best})[0]
    assert after >= before - 1e-12
