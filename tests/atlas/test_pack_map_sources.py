"""The evidence pack's national maps name their source build and the years their scores are of."""

from __future__ import annotations

from html import unescape

import pytest

from locus.atlas import models as m

pytestmark = pytest.mark.django_db


def test_each_pack_map_names_the_build_and_the_year_of_its_scores(client, atlas_loaded):
    """The maps said only "Research base score, Combined Authorities" and the boundaries' source:
    no year (the scores are of 2020, not of the pack's date) and no source for the values."""
    pack = unescape(client.get("/atlas/areas/E47000001/evidence-pack.html").content.decode())
    maps = pack.split('id="maps"')[1].split("</section>")[0]
    lines = [part.split("</span>")[0] for part in maps.split('<span class="map-source">')[1:]]
    assert len(lines) == 2  # the first scored stage's score and the weakest link's gap
    score_years = sorted(set(m.StageScore.objects.filter(level="ca", stage="research", is_latest=True)
                             .values_list("year", flat=True)))
    years = str(score_years[0]) if len(score_years) == 1 else f"{score_years[0]}-{score_years[-1]}"
    assert lines[0].startswith(f"Source: Locus atlas build {atlas_loaded.checksum[:12]}, each area's latest stage "
                               f"score ({years});")
    assert "weak-link assessment (" in lines[1] and "Sources and licences" in lines[1]
