"""Late joiners never move anyone; rebalancing restores sizes with the fewest moves."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from locus.grouping import Problem, Settings, groups_form
from locus.grouping.incremental import groups_add_late_joiners, groups_rebalance
from tests.grouping.helpers import cluster, cohort, hard_violations


def _strip(problem: Problem, keep: set[str]) -> Problem:
    return Problem(participants=tuple(
        replace(p, avoid=p.avoid & keep, together=frozenset()) for p in problem.participants
        if p.id in keep))


@pytest.fixture(scope="module")
def programme():
    full = cohort(130, seed=8, localities=2)
    full = Problem(participants=tuple(replace(p, together=frozenset())
                                      for p in full.participants))
    first_ids = {p.id for p in full.participants[:110]}
    settings = Settings(min_size=6, max_size=9, time_limit=1.5)
    first = groups_form(problem=_strip(full, first_ids), settings=settings)
    return full, settings, first


def test_late_joiners_leave_existing_members_in_place(programme):
    full, settings, first = programme
    current = first.assignment()
    solution = groups_add_late_joiners(problem=full, settings=settings, current=current)
    after = solution.assignment()
    assert all(after[pid] == label for pid, label in current.items())
    joiners = {p.id for p in full.participants} - set(current)
    placed = {pid for pid, _, to in solution.moves if to}
    assert placed | {u.id for u in solution.unplaced} == joiners
    assert all(frm == "" for _, frm, _ in solution.moves)
    assert hard_violations(full, settings, solution) == []


def test_late_joiners_fill_free_places_before_new_groups():
    base = cluster("A", 16, lat=53.0, lon=-2.0, seed=4)
    settings = Settings(min_size=6, max_size=9, time_limit=1)
    first = groups_form(problem=Problem(participants=tuple(base[:14])), settings=settings)
    solution = groups_add_late_joiners(problem=Problem(participants=tuple(base)),
                                       settings=settings, current=first.assignment())
    assert len(solution.groups) == len(first.groups)
    assert solution.unplaced == ()


def test_rebalance_after_drop_outs(programme):
    full, settings, first = programme
    first_ids = set(first.assignment())
    dropped = set(sorted(first_ids)[::7])
    remaining = _strip(full, first_ids - dropped)
    solution = groups_rebalance(problem=remaining, settings=settings,
                                current=first.assignment())
    assert hard_violations(remaining, settings, solution) == []
    after = solution.assignment()
    moved = [pid for pid, label in first.assignment().items()
             if pid not in dropped and after.get(pid) != label]
    assert len(moved) == len(solution.moves)
    assert len(moved) <= len(dropped) * settings.min_size


def test_rebalance_moves_are_minimal_on_a_tiny_case():
    parts = cluster("T", 12, lat=53.0, lon=-2.0, seed=2)
    settings = Settings(min_size=3, max_size=5, time_limit=2)
    current = {p.id: f"G{i % 3 + 1}" for i, p in enumerate(parts)}
    remaining = [p for p in parts if p.id not in ("T00", "T03", "T06")]
    solution = groups_rebalance(problem=Problem(participants=tuple(remaining)),
                                settings=settings, current=current)
    assert solution.stats["rebalance_status"] == "OPTIMAL"
    assert len(solution.moves) == _fewest_moves(remaining, current, settings)


def _fewest_moves(parts, current, settings) -> int:
    labels = sorted(set(current.values()))
    best = None
    for choice in itertools.product(labels, repeat=len(parts)):
        sizes = {label: choice.count(label) for label in labels}
        if any(0 < s < settings.min_size or s > settings.max_size for s in sizes.values()):
            continue
        moves = sum(c != current[p.id] for p, c in zip(parts, choice, strict=True))
        best = moves if best is None else min(best, moves)
    return best
