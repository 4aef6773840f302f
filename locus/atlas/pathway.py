"""An area's pathway with its statistical neighbours replaced (the API's ``?neighbours=``).

The neighbours' distances are recomputed on the build's structural variables
(``locus.pathways.neighbours.neighbours_override``) and the weak links of the level are
recomputed with the same model, bootstrap and seeds as the build (``locus.pathways.weak_links``),
so with the computed neighbours the result equals the stored one exactly (a test checks this).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pyarrow as pa

from locus.atlas import models as m
from locus.atlas.errors import AtlasNotFoundError
from locus.pathways import neighbours as nb
from locus.pathways.stages import STAGE_IDS
from locus.pathways.weak_links import WeakLink, weak_links_compute
from locus.pipeline import assemble

BUILD_SEED = 20240601  # assemble.atlas_tables' default seed; level i uses BUILD_SEED + 100 * i


def _features(level: str) -> tuple[list[str], np.ndarray]:
    """The build's structural variables for every area of the level (as in the pipeline: the latest
    value that may be scored, never a partial year's or one built from a source's known defect)."""
    ids = [ind for ind, _t in assemble.STRUCTURAL if ind != "density"]
    latest: dict[tuple[str, str], tuple[int, float]] = {}
    for area, ind, year, value in (m.IndicatorValue.objects.filter(level=level, indicator_id__in=ids,
                                                                   partial_year=False, source_defect=False)
                                   .order_by("area_code", "indicator_id", "year")
                                   .values_list("area_code", "indicator_id", "year", "value")):
        latest[(area, ind)] = (year, value)
    areas = {(a.code, level): {"population_2020": a.population, "land_hectares": a.land_hectares}
             for a in m.AtlasArea.objects.filter(level=level)}
    return assemble._structural(latest, areas, level)  # noqa: SLF001 - the pipeline's own definition


def _draws(level: str, latest_rows: dict) -> dict[tuple[str, str], np.ndarray]:
    rows = list(m.IndicatorValue.objects.filter(level=level, normalised__isnull=False)
                .values_list("area_code", "indicator_id", "year", "normalised"))
    table = pa.table({"level": [level] * len(rows), "area_code": [r[0] for r in rows],
                      "indicator_id": [r[1] for r in rows], "year": pa.array([r[2] for r in rows], pa.int32()),
                      "normalised": pa.array([r[3] for r in rows], pa.float64())})
    return assemble._indicator_draws(table, latest_rows, level)  # noqa: SLF001


def pathway_with_neighbours(*, code: str, level: str, neighbour_codes: list[str]) -> tuple[list[nb.Neighbour],
                                                                                            dict[str, WeakLink]]:
    """(the area's neighbours with distances, its weak links by stage) with its neighbours replaced."""
    codes, feats = _features(level)
    if code not in codes:
        raise AtlasNotFoundError(f"{code} has no pathway scores at level {level}.")
    unknown = [c for c in neighbour_codes if c not in codes]
    if unknown:
        raise AtlasNotFoundError(f"Unknown neighbour code(s) at level {level}: {', '.join(unknown)}.")
    if code in neighbour_codes:
        raise AtlasNotFoundError("An area cannot be its own neighbour.")
    stored = [nb.Neighbour(n.area_code, n.neighbour_code, n.rank, n.distance, n.source)
              for n in m.Neighbour.objects.filter(level=level).order_by("area_code", "rank")]
    found = nb.neighbours_override(neighbours=stored, area_code=code, neighbour_codes=neighbour_codes,
                                   codes=codes, features=feats)
    latest_rows = {}
    for s in m.StageScore.objects.filter(level=level, is_latest=True):
        latest_rows[(s.area_code, s.stage)] = {"year": s.year, "indicators": s.indicators, "score": s.score}
    mat = np.full((len(codes), len(STAGE_IDS)), np.nan)
    index = {c: i for i, c in enumerate(codes)}
    for (area, stage), row in latest_rows.items():
        if area in index:
            mat[index[area], STAGE_IDS.index(stage)] = row["score"]
    by_area = defaultdict(list)
    for n in sorted(found, key=lambda n: (n.area_code, n.rank)):
        by_area[n.area_code].append(n.neighbour_code)
    seed = BUILD_SEED + 100 * assemble.SCORED_LEVELS.index(level)
    links = weak_links_compute(codes=codes, stage_ids=STAGE_IDS, scores=mat, indicator_values=_draws(level, latest_rows),
                               neighbours=dict(by_area), n_boot=assemble.N_BOOT, seed=seed)
    mine = [n for n in found if n.area_code == code]
    return mine, {w.stage: w for w in links if w.area_code == code}
