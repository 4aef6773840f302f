"""Why one area has no score for a stage that its level does score (half the ITL3 areas have no
knowledge-exchange score, for example): in plain words, from the build's own record of which
indicators enter the scores at each level (the manifest's ``score_use``) and the area's values.

A stage score needs at least half of the indicators the level uses for the stage, within two years
of each other (``locus.pathways.scores``; methodology, section 4). A stage the whole level does not
score (districts) has its reason in ``selectors.stage_not_scored_reason`` instead.
"""

from __future__ import annotations

import math

from locus.atlas import models as m
from locus.atlas import selectors as sel
from locus.atlas.text import LEVEL_PLURAL, lower_first, plural

# A ratio's denominator -> the indicator that measures it per head, to say when it is zero or absent.
DENOMINATOR_INDICATORS = {"research_income": "research_income_per_head"}
METHOD = "methodology, section 4"


def _years(years: list[int]) -> str:
    return f"{min(years)}-{max(years)}" if min(years) != max(years) else str(years[0])


def _denominator_words(area: m.AtlasArea, missing: list[m.Indicator]) -> str:
    """' They are ratios to X, which is zero for the area in every year published (Y).' or ''."""
    shared = {i.denominator for i in missing}
    if len(shared) != 1 or (source := DENOMINATOR_INDICATORS.get(next(iter(shared)))) is None:
        return ""
    base = sel.indicator_get(indicator_id=source)
    rows = list(m.IndicatorValue.objects.filter(area_code=area.code, level=area.level, indicator_id=source,
                                                value__isnull=False).values_list("year", "value"))
    what = lower_first(base.title)
    if not rows:
        return f" Those are ratios to {what.replace(' per head', '')}, and {area.name} has no figure for it."
    if all(v == 0 for _y, v in rows):
        return (f" Those are ratios to {what.replace(' per head', '')}, which is zero for {area.name} in every "
                f"year published ({_years([y for y, _v in rows])}): there is no research income to convert.")
    return ""


def stage_missing_reason(*, area: m.AtlasArea, stage: str) -> str:
    """Why ``area`` has no score for ``stage`` although its level scores the stage ('' if it has one)."""
    if sel.area_scores(code=area.code, level=area.level).get(stage) is not None:
        return ""
    build = sel.build_live_get()
    stage_indicators = [i for i in sel.indicators_list() if i.stage == stage]
    used = [i for i in stage_indicators
            if sel.score_use_of(indicator_id=i.id, build=build).get(area.level, {}).get("used")]
    kind, title = LEVEL_PLURAL.get(area.level, area.level), lower_first(sel.stage_title(stage))
    if not used:
        return (f"No score: none of the {plural(len(stage_indicators), 'indicator')} of {title} meets the "
                f"rules for entering the scores of {kind} in this build. See the {METHOD}.")
    with_values = set(m.IndicatorValue.objects.filter(area_code=area.code, level=area.level, value__isnull=False,
                                                      indicator_id__in=[i.id for i in used])
                      .values_list("indicator_id", flat=True).distinct())
    have = [i for i in used if i.id in with_values]
    missing = [i for i in used if i.id not in with_values]
    need = max(1, math.ceil(len(used) / 2))
    rule = f"a score for this stage needs at least {need} of the {len(used)} indicators used for {kind}"
    if len(have) < need:
        got = (f"{area.name} has a value for none of them" if not have else
               f"{area.name} has a value for only {len(have)} ({'; '.join(lower_first(i.title) for i in have)})")
        return (f"No score: {rule}, and {got}. No value for {'; '.join(lower_first(i.title) for i in missing)}."
                f"{_denominator_words(area, missing)} See the {METHOD}.")
    return (f"No score: {rule} within two years of each other, and {area.name}'s values of "
            f"{'; '.join(lower_first(i.title) for i in have)} are never that close in time. See the {METHOD}.")
