"""The atlas's `level` and `stage` parameters list the values the views accept in the OpenAPI document
(schemathesis sent level=region, level=nation and level=itl2, which the document allowed as any string
and the API rightly refused), and the views accept exactly those values."""

from __future__ import annotations

import pytest

from locus.atlas import selectors as sel
from locus.atlas.errors import AtlasNotFoundError
from locus.pathways.stages import STAGE_IDS

pytestmark = pytest.mark.django_db


def _enum(spec, path, name):
    parameters = spec["paths"][path]["get"]["parameters"]
    return next(p["schema"].get("enum") for p in parameters if p["name"] == name)


@pytest.mark.parametrize("path,allowed", [("/api/v1/indicators/{indicator_id}/values", sel.VALUE_LEVELS),
                                          ("/api/v1/stages/{stage}/scores", sel.PATHWAY_LEVELS),
                                          ("/api/v1/weak-links", sel.PATHWAY_LEVELS)])
def test_level_lists_the_levels_the_view_accepts(client, path, allowed):
    documented = _enum(client.get("/api/v1/openapi.json").json(), path, "level")
    assert documented == list(allowed)
    for level in documented:
        assert sel.level_check(level=level, allowed=allowed) == level
    for level in ("region", "county"):
        with pytest.raises(AtlasNotFoundError, match="level"):
            sel.level_check(level=level, allowed=allowed)


def test_stage_lists_the_pathway_stages(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert _enum(spec, "/api/v1/stages/{stage}/scores", "stage") == list(STAGE_IDS)
    assert _enum(spec, "/api/v1/weak-links", "stage") == ["", *STAGE_IDS]
