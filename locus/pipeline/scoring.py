"""Which indicator values enter the stage scores at each level: the coverage rule and the LAD rule.

**Coverage rule.** A score compares places across the UK, so an indicator enters the stage scores
of a level only when, in its best-covered year, the areas of that level with a value lie in every
ITL1 region where the level has areas, or in all but one (``COVERAGE_MAX_MISSING_REGIONS``; a
source that misses Northern Ireland still counts). Coverage is measured by geographic spread, not
by a count of areas: a knowledge-exchange ratio has no value where there is no HE research income
to convert (half of ITL3 areas), which is a real absence, whereas a dataset built for one region
(the Arloesiadur network covers Wales only) has not observed the rest of the country, and mixing
it into a score would make covered and uncovered places incomparable. An indicator that fails the
rule is still published as values; the manifest (``score_use``) says why it is not scored. Values of
a year an input covers only in part (``partial_year``), and values built from a row a source is known to have
wrong (``source_defect``), are left out here as everywhere in scoring.

**LAD rule.** At local authority district level only indicators whose source measures districts
(``native_geography`` "LAD", or published per district by their source) enter the scores: values
shared down from NUTS2, NUTS3 or ITL3 by population are not local evidence. A stage is scored at
LAD only if at least half of its indicators (``LAD_MIN_NATIVE_SHARE``) are native; a district's
score then needs at least half of the stage's indicators, as at every level (``scores``), so in
practice only stages with enough native indicators get LAD scores.
"""

from __future__ import annotations

import duckdb

from locus.pathways.scores import StageIndicator
from locus.pathways.stages import STAGE_IDS
from locus.pipeline.catalogue import INDICATORS, Indicator

COVERAGE_MAX_MISSING_REGIONS = 1
LAD_MIN_NATIVE_SHARE = 0.5


def lad_native(indicator: Indicator) -> bool:
    """True when the indicator's source measures local authority districts themselves."""
    return indicator.native_geography == "LAD" or (indicator.is_given and "lad" in indicator.levels)


def stage_candidates() -> list[Indicator]:
    """Catalogue indicators of a pathway stage with a direction (context indicators never score)."""
    return [i for i in INDICATORS if i.stage in STAGE_IDS and i.direction != "context"]


def lad_stages() -> dict[str, dict]:
    """Per stage: its native-at-LAD indicators and whether the stage is scored at LAD."""
    out = {}
    for stage in STAGE_IDS:
        members = [i for i in stage_candidates() if i.stage == stage and not i.is_given]
        native = [i.id for i in members if lad_native(i)]
        share = len(native) / len(members) if members else 0.0
        out[stage] = {"native": native, "of": len(members), "scored": bool(native) and share >= LAD_MIN_NATIVE_SHARE}
    return out


def _spans(con: duckdb.DuckDBPyConnection, levels: tuple[str, ...], ids: list[str]) -> dict:
    listed_levels = ", ".join(f"'{lv}'" for lv in levels)
    listed_ids = ", ".join(f"'{i}'" for i in ids)
    rows = con.execute(
        f"WITH v AS (SELECT indicator_id, level, year, area_code FROM ind_indicator_values "
        f"WHERE level IN ({listed_levels}) AND indicator_id IN ({listed_ids}) AND NOT partial_year AND NOT source_defect), "
        "cnt AS (SELECT indicator_id, level, year, count(*) AS n FROM v GROUP BY ALL), "
        "best AS (SELECT indicator_id, level, year FROM (SELECT *, row_number() OVER (PARTITION BY "
        "indicator_id, level ORDER BY n DESC, year DESC) AS rn FROM cnt) WHERE rn = 1), "
        "reg AS (SELECT b.indicator_id, b.level, b.year, count(DISTINCT a.itl1_code) AS regions, "
        "count(*) AS areas FROM best AS b JOIN v USING (indicator_id, level, year) "
        "JOIN ind_areas AS a ON a.code = v.area_code AND a.level = v.level GROUP BY ALL), "
        f"tot AS (SELECT level, count(DISTINCT itl1_code) AS of_regions, count(*) AS of_areas FROM ind_areas "
        f"WHERE level IN ({listed_levels}) GROUP BY level) "
        "SELECT r.indicator_id, r.level, r.year, r.regions, t.of_regions, r.areas, t.of_areas "
        "FROM reg AS r JOIN tot AS t USING (level) ORDER BY 1, 2").fetchall()
    return {(r[0], r[1]): {"year": r[2], "regions": r[3], "of_regions": r[4], "areas": r[5], "of_areas": r[6]}
            for r in rows}


def score_use(con: duckdb.DuckDBPyConnection, levels: tuple[str, ...]) -> dict[str, dict[str, dict]]:
    """{indicator: {level: {"used": bool, "reason": str, coverage figures}}} for every stage indicator."""
    candidates = stage_candidates()
    spans = _spans(con, levels, [i.id for i in candidates])
    lad = lad_stages()
    out: dict[str, dict[str, dict]] = {}
    for ind in candidates:
        for level in levels:
            cov = spans.get((ind.id, level))
            if cov is None:
                entry = {"used": False, "reason": "no values at this level"}
            elif cov["regions"] < cov["of_regions"] - COVERAGE_MAX_MISSING_REGIONS:
                entry = {"used": False, "reason": f"coverage rule: values in {cov['regions']} of the "
                         f"{cov['of_regions']} ITL1 regions with areas at this level ({cov['areas']} of "
                         f"{cov['of_areas']} areas in {cov['year']})", **cov}
            elif level == "lad" and not lad_native(ind):
                entry = {"used": False, "reason": f"LAD rule: measured at {ind.native_geography}, so district "
                         "values are shared down by population, not local evidence", **cov}
            elif level == "lad" and not lad[ind.stage]["scored"]:
                entry = {"used": False, "reason": "LAD rule: fewer than half of the stage's indicators are "
                         "measured at district level", **cov}
            else:
                entry = {"used": True, "reason": "used in the stage score", **cov}
            out.setdefault(ind.id, {})[level] = entry
    return out


def level_indicators(use: dict[str, dict[str, dict]], level: str) -> tuple[list[StageIndicator], list[str]]:
    """(the stage's indicator set at this level, the ids whose values enter the scores).

    The set counts every indicator that passes the coverage rule at the level (so at LAD a stage's
    minimum of half its indicators is measured against the whole stage), and the values used are
    those marked used (at LAD: the native ones)."""
    members, used = [], []
    for ind in stage_candidates():
        entry = use.get(ind.id, {}).get(level)
        if entry is None:
            continue
        covered = entry["used"] or entry["reason"].startswith("LAD rule")
        if covered:
            members.append(StageIndicator(ind.id, ind.stage, ind.direction))
        if entry["used"]:
            used.append(ind.id)
    return members, used

