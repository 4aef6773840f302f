"""Every bundled dataset, for the Data sources page. Rooms add theirs to DATA_SOURCE_PROVIDERS."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from locus.atlas.bundled import atlas_data_sources
from locus.collaboration.loading import collaboration_data_sources
from locus.geography.sources import GEO_SOURCES
from locus.policy.bundled import policy_data_sources


@dataclass(frozen=True)
class DataSource:
    title: str
    publisher: str
    vintage: str
    licence: str
    attribution: str
    url: str
    used_for: str
    room: str


def _geography_sources() -> list[DataSource]:
    return [DataSource(s.title, s.publisher, s.vintage, s.licence, s.attribution, s.url,
                       s.used_for, "Geography") for s in GEO_SOURCES]


# The extension point: each room registers a function returning its DataSource entries.
DATA_SOURCE_PROVIDERS: list[Callable[[], list[DataSource]]] = [_geography_sources]
DATA_SOURCE_PROVIDERS.append(collaboration_data_sources)
DATA_SOURCE_PROVIDERS.append(policy_data_sources)
DATA_SOURCE_PROVIDERS.append(atlas_data_sources)


def data_sources_list() -> list[DataSource]:
    return [source for provider in DATA_SOURCE_PROVIDERS for source in provider()]
