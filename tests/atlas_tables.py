"""Emptying the atlas tables after a test module or package loaded a build, so that other rooms' tests
see no atlas (shared by the atlas, API and policy fixtures that load the real build)."""

from __future__ import annotations


def atlas_tables_clear(*, extra: tuple = ()) -> None:
    """Delete every loaded atlas row (children first), then clear the selectors' cache."""
    from locus.atlas import models as m
    from locus.atlas.selectors import cache_clear

    for model in (m.IndicatorValue, m.StageScore, m.Neighbour, m.WeakLink, m.Opportunity, m.Specialisation,
                  m.Complexity, m.AtlasArea, m.Indicator, m.AtlasBuild, *extra):
        model.objects.all().delete()
    cache_clear()
