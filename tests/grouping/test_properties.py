"""Property tests: on random cohorts every hard constraint holds and everyone is accounted for."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from locus.grouping import GroupingInfeasibleError, Problem, Settings, groups_form
from locus.grouping.bound import lower_bound
from locus.grouping.greedy import construct
from locus.grouping.instance import instance_build
from locus.grouping.moves import relocation_deltas, swap_candidates, swap_deltas
from locus.grouping.objective import layout_score, layout_violations
from locus.grouping.state import NO_GAIN, SearchState
from locus.grouping.synthetic import CohortShape
from tests.grouping.helpers import cohort, hard_violations

shapes = st.builds(
    CohortShape,
    online_only=st.floats(0.0, 0.4), in_person_only=st.floats(0.0, 0.5),
    avoid_rate=st.floats(0.0, 0.2), together_rate=st.floats(0.0, 0.1),
    previous_rate=st.floats(0.0, 0.6))


def _lock_some(problem: Problem, count: int) -> Problem:
    """Lock `count` either-mode firms of one locality to group L1."""
    parts = list(problem.participants)
    chosen = [i for i, p in enumerate(parts) if p.mode.value == "either" and not p.together]
    for i in chosen[:count]:
        parts[i] = replace(parts[i], locked_group="L1", avoid=frozenset())
    locked = {parts[i].id for i in chosen[:count]}
    parts = [replace(p, avoid=p.avoid - locked) for p in parts]
    return Problem(participants=tuple(parts))


@settings(max_examples=14, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(12, 70), seed=st.integers(1, 10_000), localities=st.integers(1, 3),
       spread=st.floats(3.0, 30.0), min_size=st.integers(3, 8), extra=st.integers(0, 3),
       max_km=st.floats(10.0, 80.0), shape=shapes, locks=st.integers(0, 2))
def test_every_hard_constraint_holds(n, seed, localities, spread, min_size, extra, max_km,
                                     shape, locks):
    problem = _lock_some(cohort(n, seed=seed, localities=localities, spread_km=spread,
                                shape=shape), locks)
    s = Settings(min_size=min_size, max_size=min_size + extra, max_km=max_km, time_limit=0.4,
                 seed=seed)
    try:
        solution = groups_form(problem=problem, settings=s)
    except GroupingInfeasibleError as exc:
        assert exc.diagnoses and all(d.message for d in exc.diagnoses)
        return
    assert hard_violations(problem, s, solution) == []
    assert solution.bound <= solution.objective + 1e-6
    assert 0.0 <= solution.gap <= 1.0
    for u in solution.unplaced:
        assert u.reason


@settings(max_examples=10, deadline=None)
@given(n=st.integers(20, 80), seed=st.integers(1, 10_000), shape=shapes)
def test_search_deltas_are_exact(n, seed, shape):
    """Every relocation and swap delta equals the change of the reference objective."""
    s = Settings(min_size=4, max_size=6, max_km=30.0, time_limit=1)
    inst = instance_build(problem=cohort(n, seed=seed, shape=shape), settings=s)
    rng = np.random.default_rng(seed)
    state = SearchState(inst, construct(inst=inst, rng=rng))
    for _ in range(40):
        u = int(rng.integers(inst.n_units))
        if rng.random() < 0.5:
            deltas = relocation_deltas(state, u)
            if deltas is None or not (deltas < NO_GAIN).any():
                continue
            g = int(rng.choice(np.flatnonzero(deltas < NO_GAIN)))
            before = state.total()
            state.apply_move(u, g)
            assert state.total() - before == deltas[g]
        else:
            deltas, partners = swap_deltas(state, u, swap_candidates(state, u))
            ok = np.flatnonzero(deltas < NO_GAIN)
            if len(ok) == 0:
                continue
            j = int(rng.choice(ok))
            before = state.total()
            state.apply_swap(u, int(partners[j]))
            assert state.total() - before == deltas[j]
        layout = state.layout()
        assert layout_score(inst=inst, layout=layout).total == state.total()
        assert layout_violations(inst=inst, layout=layout) == []


@pytest.mark.parametrize("seed", [3, 17])
def test_bound_is_below_every_solution(seed):
    s = Settings(min_size=5, max_size=7, time_limit=1)
    problem = cohort(60, seed=seed)
    inst = instance_build(problem=problem, settings=s)
    bound = lower_bound(inst=inst)
    for policy in ("greedy", "random"):
        layout = construct(inst=inst, rng=np.random.default_rng(seed), policy=policy)
        score = layout_score(inst=inst, layout=layout)
        assert bound <= score.total
    solution = groups_form(problem=problem, settings=s)
    assert solution.bound <= solution.objective


def test_local_search_and_cpsat_never_worsen_the_greedy_start():
    problem = cohort(120, seed=5, localities=2)
    solution = groups_form(problem=problem, settings=Settings(time_limit=2))
    phases = solution.phases
    assert phases["cpsat"] <= phases["local_search"] <= phases["greedy"]
    assert solution.objective == pytest.approx(phases["cpsat"])
