"""Load every bundled dataset into the database; each dataset in its own transaction.

Rooms register their loaders in BUNDLED_LOADERS (the extension point for `locus load`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from locus.atlas.bundled import atlas_loader
from locus.collaboration.loading import collaboration_loader
from locus.policy.bundled import policy_loader

Say = Callable[[str], None]


def _geography(*, force: bool, say: Say) -> dict:
    from locus.geography.services import geography_is_loaded, geography_load

    data_dir = settings.LOCUS_BUNDLED_DATA / "geography"
    if not force and geography_is_loaded(data_dir=data_dir):
        return {"geography": "up to date"}
    return {"geography": geography_load(data_dir=data_dir, progress=say)}


BUNDLED_LOADERS: list[Callable[..., dict]] = [_geography]
BUNDLED_LOADERS.append(collaboration_loader)
BUNDLED_LOADERS.append(policy_loader)
BUNDLED_LOADERS.append(atlas_loader)


def bundled_data_load(*, force: bool = False, say: Say = lambda step: None) -> dict:
    summary: dict = {}
    for loader in BUNDLED_LOADERS:
        summary.update(loader(force=force, say=say))
    return summary
