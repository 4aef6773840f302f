"""Load every bundled dataset into the database; each dataset in its own transaction.

Rooms register their loaders with bundled_loader_register() from their AppConfig.ready()
(the extension point for `locus load`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

Say = Callable[[str], None]


def _geography(*, force: bool, say: Say) -> dict:
    from locus.geography.services import geography_is_loaded, geography_load

    data_dir = settings.LOCUS_BUNDLED_DATA / "geography"
    if not force and geography_is_loaded(data_dir=data_dir):
        return {"geography": "up to date"}
    return {"geography": geography_load(data_dir=data_dir, progress=say)}


# Geography is the shared ground and loads first; rooms register theirs from AppConfig.ready(),
# so they run in INSTALLED_APPS order (collaboration, policy, then the atlas).
BUNDLED_LOADERS: list[Callable[..., dict]] = [_geography]


def bundled_loader_register(loader: Callable[..., dict]) -> None:
    """Add a room's loader once (ready() may run more than once in tests)."""
    if loader not in BUNDLED_LOADERS:
        BUNDLED_LOADERS.append(loader)


def bundled_data_load(*, force: bool = False, say: Say = lambda step: None) -> dict:
    summary: dict = {}
    for loader in BUNDLED_LOADERS:
        summary.update(loader(force=force, say=say))
    return summary
