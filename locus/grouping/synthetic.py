"""Generator of realistic test cohorts (documented in docs/methodology/grouping.md).

Real shapes, modelled details:
- locations: real postcodes (sampled by the caller, e.g. from the bundled postcode table
  within chosen local authorities), firms per locality in proportion to the caller's weights;
- sector: SIC 2007 four-digit classes drawn from ONS UK Business Counts shares
  (data/grouping/business_population.csv);
- size: a truncated power law on 5..249 employees (Zipf-like firm sizes, exponent 1.06),
  scaled by the class's employment per local unit relative to all classes (BRES / IDBR);
- themes (1-3 of the Peer Networks themes), meeting mode, declared conflicts, keep-together
  pairs and previous cohorts: modelled with the rates in `CohortShape`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from locus.grouping.problem import Mode, Participant, Problem

THEMES: tuple[str, ...] = (
    "leadership", "marketing", "people", "technology adoption", "finance", "operations",
    "exporting", "net zero", "innovation", "sales", "digital", "wellbeing",
)
THEME_POPULARITY = np.array([12, 10, 10, 9, 7, 6, 4, 4, 6, 8, 7, 3], dtype=float)
PARETO_EXPONENT = 1.06


@dataclass(frozen=True)
class Population:
    """Share of local units and relative size factor per SIC 2007 class."""

    sic4: tuple[str, ...]
    share: np.ndarray
    size_factor: np.ndarray


@dataclass(frozen=True)
class Locality:
    """A place firms come from: candidate postcodes with coordinates, and a weight."""

    name: str
    postcodes: tuple[str, ...]
    lat: np.ndarray
    lon: np.ndarray
    weight: float = 1.0


@dataclass(frozen=True, kw_only=True)
class CohortShape:
    """Modelled rates (assumptions, not measurements)."""

    online_only: float = 0.2
    in_person_only: float = 0.3
    avoid_rate: float = 0.03
    together_rate: float = 0.01
    previous_rate: float = 0.3
    exclude_divisions: frozenset[str] = field(
        default_factory=lambda: frozenset({"84", "97", "98", "99"}))


def population_load(*, path: Path, area: str = "UK") -> Population:
    """Read business_population.csv (sic4, division, area, local_units, employment)."""
    sic, units, jobs = [], [], []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["area"] == area and int(row["local_units"]) > 0:
                sic.append(row["sic4"])
                units.append(float(row["local_units"]))
                jobs.append(float(row["employment"]))
    u, j = np.array(units), np.array(jobs)
    per_unit = j / u
    factor = np.clip(np.sqrt(per_unit / (j.sum() / u.sum())), 0.5, 3.0)
    return Population(sic4=tuple(sic), share=u / u.sum(), size_factor=factor)


def _draw_sizes(rng: np.random.Generator, factor: np.ndarray) -> np.ndarray:
    raw = 5.0 * rng.random(len(factor)) ** (-1.0 / PARETO_EXPONENT)
    return np.clip(np.rint(raw * factor), 5, 249).astype(int)


def _draw_places(rng, localities, n):
    w = np.array([loc.weight for loc in localities], dtype=float)
    which = rng.choice(len(localities), size=n, p=w / w.sum())
    out = []
    for li in which:
        loc = localities[li]
        j = int(rng.integers(len(loc.postcodes)))
        out.append((loc.name, loc.postcodes[j], float(loc.lat[j]), float(loc.lon[j])))
    return out


def _draw_modes(rng, shape: CohortShape, n):
    r = rng.random(n)
    return [Mode.ONLINE if x < shape.online_only else
            Mode.IN_PERSON if x < shape.online_only + shape.in_person_only else Mode.EITHER
            for x in r]


def _draw_sics(rng, population: Population, shape: CohortShape, n):
    keep = np.array([s[:2] not in shape.exclude_divisions for s in population.sic4])
    p = population.share * keep
    idx = rng.choice(len(p), size=n, p=p / p.sum())
    return [population.sic4[i] for i in idx], population.size_factor[idx]


def _links(rng, places, sics, modes, shape):
    """Declared conflicts, keep-together pairs (same locality) and previous cohorts."""
    n = len(places)
    by_loc: dict[str, list[int]] = {}
    for i, place in enumerate(places):
        by_loc.setdefault(place[0], []).append(i)
    avoid = [set() for _ in range(n)]
    together = [set() for _ in range(n)]
    previous = [set() for _ in range(n)]
    for i in range(n):
        mates = by_loc[places[i][0]]
        j = mates[int(rng.integers(len(mates)))]
        if j != i and rng.random() < shape.avoid_rate and j not in together[i]:
            avoid[i].add(j)
        elif (j != i and rng.random() < shape.together_rate and sics[i] != sics[j]
              and modes[i] == modes[j] and not together[i] and not together[j]
              and i not in avoid[j]):
            together[i].add(j)
            together[j].add(i)
    label = 0
    for name in sorted(by_loc):
        chosen = [i for i in by_loc[name] if rng.random() < shape.previous_rate]
        for start in range(0, len(chosen), 9):
            label += 1
            for i in chosen[start:start + 9]:
                previous[i].add(f"P{label:03d}")
    return avoid, together, previous


def synthetic_problem(*, n: int, localities: list[Locality], population: Population,
                      seed: int, shape: CohortShape | None = None) -> Problem:
    """A cohort of n firms drawn as described in the module docstring."""
    shape = shape or CohortShape()
    rng = np.random.default_rng(seed)
    places = _draw_places(rng, localities, n)
    sics, factor = _draw_sics(rng, population, shape, n)
    sizes = _draw_sizes(rng, factor)
    modes = _draw_modes(rng, shape, n)
    k = rng.choice([1, 2, 3], size=n, p=[0.3, 0.45, 0.25])
    pop = THEME_POPULARITY / THEME_POPULARITY.sum()
    themes = [frozenset(rng.choice(THEMES, size=int(m), replace=False, p=pop)) for m in k]
    avoid, together, previous = _links(rng, places, sics, modes, shape)
    ids = [f"F{i + 1:05d}" for i in range(n)]
    parts = tuple(
        Participant(id=ids[i], name=f"Firm {i + 1}", sic=sics[i], employees=int(sizes[i]),
                    postcode=places[i][1], lat=places[i][2], lon=places[i][3],
                    themes=themes[i], mode=modes[i],
                    avoid=frozenset(ids[j] for j in avoid[i]),
                    together=frozenset(ids[j] for j in together[i]),
                    previous_groups=frozenset(previous[i]))
        for i in range(n))
    return Problem(participants=parts)


def random_localities(*, seed: int, count: int, per_locality: int = 400,
                      spread_km: float = 12.0) -> list[Locality]:
    """Synthetic localities (for tests only): points scattered around random UK centres."""
    rng = np.random.default_rng(seed)
    out = []
    for c in range(count):
        lat0, lon0 = rng.uniform(51.0, 54.5), rng.uniform(-3.0, 0.5)
        lat = lat0 + rng.normal(0, spread_km / 111.0, per_locality)
        lon = lon0 + rng.normal(0, spread_km / 70.0, per_locality)
        codes = tuple(f"X{c}-{i}" for i in range(per_locality))
        out.append(Locality(name=f"L{c}", postcodes=codes, lat=lat, lon=lon))
    return out
