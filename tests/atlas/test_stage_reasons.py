"""An ITL3 area without a score for a stage its level scores says why in plain words (on its
profile and in the pathway API), instead of "0 of 0 indicators"."""

from __future__ import annotations

import math
import re

import pytest

from locus.atlas import models as m
from locus.atlas import selectors as sel
from locus.atlas.stage_reasons import stage_missing_reason

pytestmark = pytest.mark.django_db


def _unscored(level: str, stage: str) -> list[str]:
    scored = set(m.StageScore.objects.filter(level=level, stage=stage).values_list("area_code", flat=True))
    return sorted(set(m.AtlasArea.objects.filter(level=level).values_list("code", flat=True)) - scored)


def _used(level: str, stage: str) -> list[str]:
    return [i.id for i in sel.indicators_list()
            if i.stage == stage and sel.score_use_of(indicator_id=i.id).get(level, {}).get("used")]


def test_caithness_knowledge_exchange_says_why_instead_of_0_of_0(client):
    assert "TLM61" in _unscored("itl3", "knowledge_exchange")
    page = client.get("/atlas/areas/TLM61/").content.decode()
    assert "0 of 0 indicators" not in page
    row = re.search(r'<tr class="govuk-table__row" data-stage="knowledge_exchange">(.*?)</tr>', page, re.S).group(1)
    assert "No score" in row and 'href="#no-score-knowledge_exchange"' in row
    reason = re.search(r'<li id="no-score-knowledge_exchange" data-no-score-reason>(.*?)</li>', page, re.S).group(1)
    used = _used("itl3", "knowledge_exchange")
    assert f"at least {math.ceil(len(used) / 2)} of the {len(used)} indicators used for ITL3 areas" in reason
    income = list(m.IndicatorValue.objects.filter(area_code="TLM61", level="itl3",
                                                  indicator_id="research_income_per_head").values_list("value", flat=True))
    assert income and all(v == 0 for v in income)  # the fact the page states
    assert "which is zero for Caithness and Sutherland, and Ross and Cromarty in every year published" in reason


@pytest.mark.parametrize("stage", ["knowledge_exchange", "ip_spinouts"])
def test_every_unscored_itl3_area_gets_a_reason_that_matches_its_values(stage):
    codes = _unscored("itl3", stage)
    assert len(codes) > 50  # half the ITL3 areas have no HE research income to convert
    used = _used("itl3", stage)
    for code in codes[::10]:
        area = sel.area_get(code=code, level="itl3")
        reason = stage_missing_reason(area=area, stage=stage)
        have = m.IndicatorValue.objects.filter(area_code=code, level="itl3", indicator_id__in=used,
                                               value__isnull=False).values("indicator_id").distinct().count()
        assert reason.startswith("No score:") and "0 of 0" not in reason
        assert ("has a value for none of them" in reason) == (have == 0), (code, reason)
        if have:
            assert f"has a value for only {have} (" in reason, (code, reason)


def test_a_scored_stage_has_no_reason_and_keeps_its_indicator_count(client):
    area = sel.area_get(code="TLM61", level="itl3")
    assert stage_missing_reason(area=area, stage="productivity") == ""
    page = client.get("/atlas/areas/TLM61/").content.decode()
    row = re.search(r'data-stage="productivity">(.*?)</tr>', page, re.S).group(1)
    s = sel.area_scores(code="TLM61", level="itl3")["productivity"]
    assert f"{s.n_indicators} of {s.n_stage_indicators} indicators" in row and "No score" not in row
    assert 'id="no-score-productivity"' not in page
    district = client.get("/atlas/areas/E08000003/").content.decode()
    assert 'id="no-score-stages"' not in district  # a district's stages have the district rule instead


def test_the_pathway_api_gives_the_reason_in_note(client):
    stages = {s["stage"]: s for s in client.get("/api/v1/areas/TLM61/pathway").json()["stages"]}
    assert stages["knowledge_exchange"]["score"] is None
    assert stages["knowledge_exchange"]["note"] == stage_missing_reason(
        area=sel.area_get(code="TLM61", level="itl3"), stage="knowledge_exchange")
    assert stages["productivity"]["note"] == ""
