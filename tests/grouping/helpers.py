"""Helpers for the grouping tests: small cohorts and an independent hard-constraint checker."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from locus.grouping.geo import haversine_matrix
from locus.grouping.problem import Mode, Participant, Problem, Settings
from locus.grouping.solution import Solution
from locus.grouping.synthetic import (
    CohortShape,
    population_load,
    random_localities,
    synthetic_problem,
)

ROOT = Path(__file__).resolve().parents[2]
POPULATION = ROOT / "data" / "grouping" / "business_population.csv"


def cohort(n: int, *, seed: int = 1, localities: int = 2, spread_km: float = 10.0,
           shape: CohortShape | None = None) -> Problem:
    """A realistic small cohort on synthetic localities."""
    pop = population_load(path=POPULATION)
    locs = random_localities(seed=seed, count=localities, spread_km=spread_km)
    return synthetic_problem(n=n, localities=locs, population=pop, seed=seed, shape=shape)


def firm(pid: str, *, lat: float = 53.0, lon: float = -2.0, sic: str = "6201",
         employees: int = 10, mode: Mode = Mode.EITHER, themes=("marketing",),
         **kwargs) -> Participant:
    return Participant(id=pid, name=pid, sic=sic, employees=employees, lat=lat, lon=lon,
                       mode=mode, themes=frozenset(themes), **kwargs)


def hard_violations(problem: Problem, settings: Settings, solution: Solution) -> list[str]:
    """Check a solution against every hard constraint from the participants themselves."""
    out: list[str] = []
    by_id = problem.by_id()
    placed = [pid for g in solution.groups for pid in g.members]
    unplaced = [u.id for u in solution.unplaced]
    if sorted(placed + unplaced) != sorted(by_id):
        out.append("not everyone is placed exactly once or reported unplaced")
    group_of = solution.assignment()
    for g in solution.groups:
        out.extend(_group_violations(by_id, settings, g))
    for p in problem.participants:
        for other in p.together:
            if group_of.get(p.id) != group_of.get(other):
                out.append(f"{p.id} and {other} should be together")
        if p.locked_group and p.id in group_of and group_of[p.id] != p.locked_group:
            out.append(f"{p.id} is not in its locked group {p.locked_group}")
    return out


def _group_violations(by_id, settings: Settings, g) -> list[str]:
    out = []
    members = [by_id[i] for i in g.members]
    if not settings.min_size <= len(members) <= settings.max_size:
        out.append(f"{g.label} has size {len(members)}")
    lat = np.array([m.lat if m.has_location else np.nan for m in members], dtype=float)
    lon = np.array([m.lon if m.has_location else np.nan for m in members], dtype=float)
    km = haversine_matrix(lat_a=lat, lon_a=lon, lat_b=lat, lon_b=lon)
    for a in range(len(members)):
        p = members[a]
        if g.mode == "online" and not p.can_meet_online:
            out.append(f"{p.id} cannot meet online but is in {g.label}")
        if g.mode == "in_person" and not p.can_meet_in_person:
            out.append(f"{p.id} cannot meet in person but is in {g.label}")
        for b in range(a + 1, len(members)):
            q = members[b]
            if q.id in p.avoid or p.id in q.avoid:
                out.append(f"{p.id} and {q.id} avoid each other but share {g.label}")
            near = np.isnan(km[a, b]) or km[a, b] <= settings.competitor_km
            if p.sic_class == q.sic_class and near:
                out.append(f"{p.id} and {q.id} compete but share {g.label}")
            if g.mode == "in_person" and not km[a, b] <= settings.max_km:
                out.append(f"{p.id} and {q.id} are {km[a, b]:.1f} km apart in {g.label}")
    return out


def cluster(prefix: str, n: int, *, lat: float, lon: float, seed: int = 0,
            mode: Mode = Mode.EITHER, spread: float = 0.02) -> list[Participant]:
    """n firms close together, all in different SIC classes."""
    rng = np.random.default_rng(seed)
    classes = ["6201", "4321", "5610", "7022", "4120", "4711", "6920", "7311", "2511", "8559",
               "4520", "1071", "7111", "6831", "9602", "8010", "4941", "5520", "3109", "2562"]
    return [firm(f"{prefix}{i:02d}", lat=lat + rng.normal(0, spread),
                 lon=lon + rng.normal(0, spread), sic=classes[i % len(classes)], mode=mode,
                 employees=int(rng.integers(5, 60)))
            for i in range(n)]

