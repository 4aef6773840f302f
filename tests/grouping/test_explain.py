"""Explanations agree with the assignment they describe."""

from __future__ import annotations

import numpy as np
import pytest

from locus.grouping import Settings, groups_form
from locus.grouping.explain import groups_explain
from locus.grouping.geo import haversine_matrix
from locus.grouping.synthetic import CohortShape
from tests.grouping.helpers import cohort


@pytest.fixture(scope="module")
def case():
    problem = cohort(90, seed=21, localities=2, shape=CohortShape(previous_rate=0.6))
    settings = Settings(min_size=6, max_size=8, time_limit=1.5)
    solution = groups_form(problem=problem, settings=settings)
    return problem, settings, solution, groups_explain(problem=problem, settings=settings,
                                                       solution=solution)


def test_every_group_and_firm_is_explained_once(case):
    problem, _, solution, expl = case
    assert [g.members for g in expl.groups] == [g.members for g in solution.groups]
    assert sorted(f.id for f in expl.firms) == sorted(p.id for p in problem.participants)
    group_of = solution.assignment()
    for f in expl.firms:
        assert f.group == group_of.get(f.id)
        assert f.reasons


def test_group_facts_match_the_members(case):
    problem, settings, solution, expl = case
    by_id = problem.by_id()
    for g in expl.groups:
        members = [by_id[i] for i in g.members]
        assert g.size == len(members)
        assert sum(g.divisions.values()) == len(members)
        heads = [m.head_count for m in members]
        assert (g.employees_min, g.employees_max) == (min(heads), max(heads))
        for theme, count in g.shared_themes.items():
            assert count == sum(theme in m.themes for m in members) >= 2
        if g.mode == "in_person":
            lat = np.array([m.lat for m in members])
            lon = np.array([m.lon for m in members])
            km = haversine_matrix(lat_a=lat, lon_a=lon, lat_b=lat, lon_b=lon)
            assert g.furthest_km == pytest.approx(km.max(), abs=0.051)
            assert g.furthest_km <= settings.max_km
        else:
            assert g.furthest_km is None
        for a, b, times in g.repeat_pairs:
            assert len(by_id[a].previous_groups & by_id[b].previous_groups) == times


def test_costs_add_up_to_the_objective(case):
    _, _, solution, expl = case
    total = sum(sum(g.costs.values()) for g in expl.groups) + expl.fairness_cost
    assert total == pytest.approx(solution.objective, abs=0.02 * len(expl.groups) + 0.05)


def test_fairness_ranks_order_the_groups(case):
    *_, expl = case
    ranked = sorted(expl.groups, key=lambda g: g.fairness_rank)
    costs = [g.mean_pair_cost for g in ranked]
    assert costs == sorted(costs, reverse=True)
    # plain words: which group is least well matched, and what the score means
    assert f"the least well matched of the {len(ranked)} groups" in ranked[0].summary
    assert "0 = every pair shares a theme, is of a similar size" in ranked[0].summary
    assert all("pair cost" not in g.summary and "fairness rank" not in g.summary
               for g in ranked)
    if len(ranked) > 1:
        assert f"number 2 of the {len(ranked)} groups, counting from the least well matched" \
            in ranked[1].summary


def test_alternatives_are_real_groups_with_room(case):
    _, settings, solution, expl = case
    sizes = {g.label: len(g.members) for g in solution.groups}
    for f in expl.firms:
        if f.best_alternative is not None:
            assert f.best_alternative != f.group
            assert sizes[f.best_alternative] < settings.max_size
            assert f"group {f.best_alternative} could also take it" in f.reasons[-1]
            assert f"{f.alternative_cost:.2f} there against {f.mean_pair_cost:.2f} here" \
                in f.reasons[-1]
        elif f.group is not None:
            assert f.reasons[-1].startswith("no other group could take it without breaking")
        if f.group is not None:  # placed firms' reasons are the engine's explanation texts
            assert not any("cost" in r or "hard constraint" in r for r in f.reasons)
