"""Extension-point adapters for the shared ground: ``locus load`` and the Data sources page.

Nothing here imports models at module level, so the shared modules can import it early.
"""

from __future__ import annotations

from collections.abc import Callable


def collaboration_loader(*, force: bool, say: Callable[[str], None]) -> dict:
    """Load the bundled collaboration data unless it is already up to date."""
    from django.conf import settings

    from locus.collaboration.bundled import collaboration_bundled_load, collaboration_is_loaded

    data_dir = settings.LOCUS_BUNDLED_DATA / "collaboration"
    if not force and collaboration_is_loaded(data_dir=data_dir):
        return {"collaboration": "up to date"}
    summary = collaboration_bundled_load(data_dir=data_dir, say=say)
    return {"collaboration": {key: value.get("organisations") or value.get("projects")
                              for key, value in summary.items()}}


def collaboration_data_sources() -> list:
    """The bundled collaboration datasets for the Data sources page."""
    from locus.collaboration.sources import BUNDLED_SOURCES
    from locus.web.sources import DataSource

    return [DataSource(s.title, s.publisher, s.vintage, s.licence, s.attribution, s.url,
                       s.used_for, "Collaboration") for s in BUNDLED_SOURCES]
