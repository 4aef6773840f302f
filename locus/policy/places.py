"""Combined Authorities for policy work: the list, peer matching and a place's share of the UK.

Peer matching uses what is real and bundled (the geography: population, land area, density and
the shape of each CA), plus any columns other rooms register in
``hooks.PEER_FEATURE_PROVIDERS`` (the atlas's pathway stage scores, once built).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from locus.errors import PolicyError
from locus.geography.models import Area, Level
from locus.geography.selectors import area_members
from locus.policy import hooks
from locus.policy.hooks import business_count_for
from locus.policy.peers import Feature, FeatureMatrix, Peer, peers_rank
from locus.policy.priorities import PriorityPeer, Statement, priorities_get, priority_peers

POPULATION_SOURCE = "mySociety register of local authorities, mid-2020 population (CC BY 4.0)"
LAND_SOURCE = "ONS Standard Area Measurements, December 2023, land only (OGL v3.0)"
GEOGRAPHY_FEATURES = (
    Feature("population", "population", "people", POPULATION_SOURCE, log=True),
    Feature("density", "density", "people per km²", "derived: population / land area",
            log=True),
    Feature("land_km2", "land area", "km²", LAND_SOURCE, log=True),
    Feature("districts", "number of member districts", "", "ONS local authority district to "
            "Combined Authority lookup (OGL v3.0)"),
    Feature("largest_share", "share of people in the largest district", "%",
            f"derived from district populations ({POPULATION_SOURCE})", decimals=0),
)


def ca_list() -> list[Area]:
    return list(Area.objects.filter(level=Level.CA).order_by("name"))


def ca_get(*, code: str) -> Area:
    area = Area.objects.filter(code=code.strip().upper(), level=Level.CA).first()
    if area is None:
        raise PolicyError(f"No Combined Authority has the code {code!r}.")
    return area


def _geography_row(area: Area) -> list[float]:
    members = area_members(area=area)
    people = [(m.area.population or 0) * m.share for m in members]
    largest = 100 * max(people) / area.population if people and area.population else np.nan
    land = area.land_hectares / 100 if area.land_hectares else np.nan
    return [float(area.population or np.nan), float(area.density_per_km2 or np.nan), land,
            float(len(members)), largest]


def ca_feature_matrix() -> FeatureMatrix:
    """Every CA by the geography features, plus columns registered by other rooms."""
    areas = ca_list()
    matrix = FeatureMatrix(tuple(a.code for a in areas), tuple(a.name for a in areas),
                           GEOGRAPHY_FEATURES,
                           np.array([_geography_row(a) for a in areas], dtype=float).reshape(
                               len(areas), len(GEOGRAPHY_FEATURES)))
    for features, columns in hooks.peer_columns_for(areas):
        matrix = matrix.with_columns(features, columns)
    return matrix


@dataclass(frozen=True)
class PeerMatch:
    area: Area
    peers: list[Peer]  # in place and pathway profile
    matrix: FeatureMatrix
    priorities: list[Statement]  # the area's own stated priorities; empty: unknown
    priority_peers: list[PriorityPeer]  # in stated priorities
    priorities_known: int  # authorities with checked priorities

    def row(self, code: str) -> list[float]:
        return list(self.matrix.values[self.matrix.codes.index(code)])

    @property
    def uses_pathway(self) -> bool:
        return any(f.key.startswith("atlas_") for f in self.matrix.features)


def _priorities_dir():
    from django.conf import settings

    return settings.LOCUS_BUNDLED_DATA / "policy"


def ca_peers(*, area: Area, limit: int = 5) -> PeerMatch:
    """Peers of a CA in two dimensions: place and pathway profile, and stated priorities."""
    if area.level != Level.CA:
        raise PolicyError(f"{area.name} is not a Combined Authority.")
    matrix = ca_feature_matrix()
    priorities = priorities_get(_priorities_dir())
    names = dict(zip(matrix.codes, matrix.names, strict=True))
    return PeerMatch(area, peers_rank(matrix=matrix, code=area.code, limit=limit), matrix,
                     priorities.of(area.code),
                     priority_peers(priorities=priorities, code=area.code, names=names, limit=limit),
                     len({s.ca for s in priorities.statements if s.ca in names}))


@dataclass(frozen=True)
class PlaceShare:
    share: float
    basis: str  # plain words, shown in the pack


def uk_population() -> int:
    return int(sum(Area.objects.filter(level=Level.NATION).values_list("population", flat=True)))


def place_share(*, area: Area) -> PlaceShare:
    """The place's share of the UK: by business count if a provider has it, else population."""
    count = business_count_for(area)
    if count is not None and count.national > 0:
        return PlaceShare(count.count / count.national,
                          f"{area.name} has {count.count:,} of the UK's {count.national:,} "
                          f"businesses ({count.source}, {count.vintage}"
                          f"{f', {count.licence}' if count.licence else ''}); national firm and "
                          "course-place numbers are shared out in that proportion.")
    uk = uk_population()
    if not area.population or not uk:
        raise PolicyError(f"The population of {area.name} is unknown, so measures cannot be "
                          "sized to it.")
    return PlaceShare(area.population / uk,
                      f"No business count is available to Locus yet, so measures are sized by "
                      f"population: {area.name} has {area.population:,} of the UK's {uk:,} "
                      f"people ({POPULATION_SOURCE}), and national firm and course-place numbers "
                      "are shared out in that proportion. This assumes firms take part in "
                      "proportion to population.")
