"""Infeasible input gets a diagnosis naming the constraint and the participants involved."""

from __future__ import annotations

import pytest

from locus.grouping import GroupingInfeasibleError, Mode, Problem, Settings, groups_form
from tests.grouping.helpers import cluster, firm, hard_violations

MANCHESTER = (53.48, -2.24)
PENZANCE = (50.12, -5.54)


def _remote_seven() -> Problem:
    city = cluster("M", 30, lat=MANCHESTER[0], lon=MANCHESTER[1], seed=1)
    remote = cluster("P", 7, lat=PENZANCE[0], lon=PENZANCE[1], seed=2, mode=Mode.IN_PERSON)
    return Problem(participants=tuple(city + remote))


def test_small_in_person_cluster_is_reported_unplaceable():
    problem = _remote_seven()
    settings = Settings(min_size=8, max_size=10, max_km=40, time_limit=1)
    solution = groups_form(problem=problem, settings=settings)
    assert sorted(u.id for u in solution.unplaced) == [f"P{i:02d}" for i in range(7)]
    assert all("only 7 firms that can meet in person, them included, are within 40 km" in u.reason
               and u.code == "in_person_shortage" for u in solution.unplaced)
    assert any(d.constraint == "in_person_shortage" for d in solution.diagnoses)
    assert hard_violations(problem, settings, solution) == []


def test_strict_mode_raises_with_the_same_diagnosis():
    settings = Settings(min_size=8, max_size=10, max_km=40, time_limit=1, allow_unplaced=False)
    with pytest.raises(GroupingInfeasibleError) as info:
        groups_form(problem=_remote_seven(), settings=settings)
    (diag,) = [d for d in info.value.diagnoses if d.constraint == "in_person_shortage"]
    assert diag.message.startswith("No grouping can place P00, P01")
    assert diag.facts["nearby"] == 7 and diag.facts["min_size"] == 8
    assert set(diag.participant_ids) == {f"P{i:02d}" for i in range(7)}


def test_either_mode_firms_fall_back_to_online_instead():
    city = cluster("M", 30, lat=MANCHESTER[0], lon=MANCHESTER[1], seed=1, mode=Mode.ONLINE)
    remote = cluster("P", 7, lat=PENZANCE[0], lon=PENZANCE[1], seed=2)
    problem = Problem(participants=tuple(city + remote))
    solution = groups_form(problem=problem, settings=Settings(time_limit=1))
    assert solution.unplaced == ()
    assert all(g.mode == "online" for g in solution.groups)


def test_keep_together_chain_with_competitors_is_structural():
    parts = cluster("A", 12, lat=53.0, lon=-2.0)
    parts[0] = firm("A00", sic="6201", together=frozenset({"A01"}))
    parts[1] = firm("A01", sic="4321", together=frozenset({"A02"}))
    parts[2] = firm("A02", sic="6201")
    with pytest.raises(GroupingInfeasibleError) as info:
        groups_form(problem=Problem(participants=tuple(parts)), settings=Settings(time_limit=1))
    (diag,) = info.value.diagnoses
    assert diag.constraint == "together_vs_avoid"
    assert set(diag.participant_ids) == {"A00", "A01", "A02"}


def test_oversized_locked_group_is_structural():
    parts = [firm(p.id, sic=p.sic, lat=p.lat, lon=p.lon, locked_group="X")
             for p in cluster("L", 11, lat=53.0, lon=-2.0)]
    with pytest.raises(GroupingInfeasibleError) as info:
        groups_form(problem=Problem(participants=tuple(parts)), settings=Settings(time_limit=1))
    assert info.value.diagnoses[0].constraint == "locked_size"
    assert "11 firms are locked into it" in info.value.diagnoses[0].message


def test_locked_group_mixing_online_only_and_in_person_only():
    parts = cluster("L", 10, lat=53.0, lon=-2.0)
    parts[0] = firm("L00", sic="6201", mode=Mode.ONLINE, locked_group="X")
    parts[1] = firm("L01", sic="4321", mode=Mode.IN_PERSON, locked_group="X")
    with pytest.raises(GroupingInfeasibleError) as info:
        groups_form(problem=Problem(participants=tuple(parts)), settings=Settings(time_limit=1))
    assert info.value.diagnoses[0].constraint == "locked_mode"


def test_too_few_participants():
    parts = cluster("S", 5, lat=53.0, lon=-2.0)
    with pytest.raises(GroupingInfeasibleError) as info:
        groups_form(problem=Problem(participants=tuple(parts)), settings=Settings(time_limit=1))
    assert "cohort_size" in {d.constraint for d in info.value.diagnoses}


def test_firm_competing_with_everyone_nearby():
    parts = [firm(f"C{i:02d}", sic="6201", lat=53.0 + i * 0.001, mode=Mode.IN_PERSON)
             for i in range(12)]
    solution = groups_form(problem=Problem(participants=tuple(parts)),
                           settings=Settings(time_limit=1))
    assert len(solution.unplaced) == 12
    assert all(u.code == "partner_shortage" for u in solution.unplaced)
    assert all("No grouping can keep C" in u.reason and "away from its competitors" in u.reason
               for u in solution.unplaced)
