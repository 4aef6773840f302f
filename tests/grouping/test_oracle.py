"""The engine must match a brute-force oracle on tiny cohorts (every partition, every mode)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from locus.grouping import Mode, Participant, Problem, Settings, Weights, groups_form
from locus.grouping.instance import Instance, instance_build
from locus.grouping.objective import Layout, layout_score, layout_violations
from tests.grouping.helpers import hard_violations

SICS = ["6201", "6201", "4321", "5610", "7022"]
THEMES = ["finance", "marketing", "people", "digital"]


def _partitions(items: list[int]):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _partitions(rest):
        yield [[first], *part]
        for i in range(len(part)):
            yield [*part[:i], [first, *part[i]], *part[i + 1:]]


def _options(inst: Instance, block: list[int]):
    s = inst.settings
    size = int(inst.weight[block].sum())
    locks = {int(inst.locked[u]) for u in block} - {-1}
    yield None
    if s.min_size <= size <= s.max_size and len(locks) <= 1 and -2 not in locks:
        label = inst.locked_labels[locks.pop()] if locks else None
        yield (False, label)
        yield (True, label)


def brute_force(inst: Instance) -> int:
    best = None
    for partition in _partitions(list(range(inst.n_units))):
        for choice in itertools.product(*(list(_options(inst, b)) for b in partition)):
            group_of = np.full(inst.n_units, -1)
            modes, labels = [], []
            for block, option in zip(partition, choice, strict=True):
                if option is None:
                    continue
                group_of[block] = len(modes)
                modes.append(option[0])
                labels.append(option[1] or f"_g{len(labels)}")
            if len(set(labels)) < len(labels):
                continue
            layout = Layout(group_of=group_of, in_person=np.array(modes, dtype=bool),
                            labels=tuple(labels))
            if layout_violations(inst=inst, layout=layout):
                continue
            total = layout_score(inst=inst, layout=layout).total
            best = total if best is None else min(best, total)
    return best


def tiny_problem(seed: int) -> Problem:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(4, 8))
    ids = [f"p{i}" for i in range(n)]
    parts = []
    for pid in ids:
        far = rng.random() < 0.2
        parts.append(Participant(
            id=pid, sic=SICS[int(rng.integers(len(SICS)))],
            employees=int(rng.integers(3, 200)),
            lat=53.0 + (0.6 if far else rng.normal(0, 0.08)), lon=-2.0 + rng.normal(0, 0.08),
            themes=frozenset(rng.choice(THEMES, size=int(rng.integers(0, 3)), replace=False)),
            mode=[Mode.EITHER, Mode.ONLINE, Mode.IN_PERSON][int(rng.choice(3, p=[.6, .2, .2]))],
            previous_groups=frozenset({"old"}) if rng.random() < 0.3 else frozenset()))
    if rng.random() < 0.5:
        a, b = rng.choice(n, size=2, replace=False)
        parts[a] = _with(parts[a], avoid=frozenset({ids[b]}))
    if rng.random() < 0.3:
        a, b = rng.choice(n, size=2, replace=False)
        if ids[b] not in parts[a].avoid and ids[a] not in parts[b].avoid:
            parts[a] = _with(parts[a], together=frozenset({ids[b]}))
    if rng.random() < 0.3:
        a = int(rng.integers(n))
        parts[a] = _with(parts[a], locked_group="L1")
    return Problem(participants=tuple(parts))


def _with(p: Participant, **changes) -> Participant:
    from dataclasses import replace
    return replace(p, **changes)


def solution_total(inst: Instance, solution) -> int:
    index = {p.id: i for i, p in enumerate(inst.participants)}
    labels = tuple(g.label for g in solution.groups)
    group_of = np.full(inst.n_units, -1)
    for g, group in enumerate(solution.groups):
        for pid in group.members:
            group_of[inst.unit_of[index[pid]]] = g
    modes = np.array([g.mode == "in_person" for g in solution.groups], dtype=bool)
    return layout_score(inst=inst, layout=Layout(group_of=group_of, in_person=modes,
                                                 labels=labels)).total


@pytest.mark.parametrize("seed", range(24))
def test_engine_matches_brute_force(seed):
    problem = tiny_problem(seed)
    settings = Settings(min_size=2, max_size=3, max_km=25.0, competitor_km=25.0, time_limit=3,
                        seed=seed, weights=Weights(fairness=0.5, sector=1.0), sector_cap=1)
    inst = instance_build(problem=problem, settings=settings)
    try:
        solution = groups_form(problem=problem, settings=settings)
    except Exception as exc:  # structural contradictions: the oracle must agree nothing fits
        from locus.grouping import GroupingInfeasibleError
        assert isinstance(exc, GroupingInfeasibleError)
        return
    assert hard_violations(problem, settings, solution) == []
    assert solution.status == "OPTIMAL"
    assert solution_total(inst, solution) == brute_force(inst)
