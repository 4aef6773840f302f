"""Every bundled dataset, for the Data sources page. Rooms register theirs with data_source_provider_register()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from locus.geography.sources import GEO_SOURCES


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


# The extension point: each room registers a function returning its DataSource entries from its
# AppConfig.ready(), so the web shell never imports a room.
DATA_SOURCE_PROVIDERS: list[Callable[[], list[DataSource]]] = [_geography_sources]


def data_source_provider_register(provider: Callable[[], list[DataSource]]) -> None:
    """Add a room's provider once (ready() may run more than once in tests)."""
    if provider not in DATA_SOURCE_PROVIDERS:
        DATA_SOURCE_PROVIDERS.append(provider)


def data_sources_list() -> list[DataSource]:
    return [source for provider in DATA_SOURCE_PROVIDERS for source in provider()]
