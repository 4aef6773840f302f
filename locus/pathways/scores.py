"""Stage scores: the mean of an area's normalised indicators for each pathway stage and year.

Each indicator is normalised once on the reference level (ITL3, all years; see ``normalise``)
and the same parameters are applied to the other levels. The score of an area, stage and year
is the unweighted mean of the normalised values of the stage's indicators, each taken at its
latest year no more than ``window`` years earlier (the RIS uses the latest available data). A
score needs at least half of the stage's indicators. The trend is the least-squares slope of the
score over the last five years with a score (at least three), in score points per year.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from locus.pathways.normalise import NormalisationParams, normaliser_apply, normaliser_fit


@dataclass(frozen=True)
class StageIndicator:
    """The part of a catalogue entry the scores need."""

    indicator_id: str
    stage: str
    direction: str


def indicators_normalise(*, values: pa.Table, indicators: list[StageIndicator],
                         reference_level: str = "itl3") -> tuple[pa.Table, dict[str, NormalisationParams]]:
    """Add a ``normalised`` column in [0, 1] to indicator values (columns indicator_id, level,
    area_code, year, value), fitting each indicator on ``reference_level``."""
    ids = np.asarray(values.column("indicator_id").to_pylist(), dtype=object)
    levels = np.asarray(values.column("level").to_pylist(), dtype=object)
    raw = np.asarray(values.column("value").to_numpy(zero_copy_only=False), dtype=float)
    out = np.full(raw.shape, np.nan)
    params: dict[str, NormalisationParams] = {}
    for ind in indicators:
        mask = ids == ind.indicator_id
        ref = raw[mask & (levels == reference_level)]
        params[ind.indicator_id] = normaliser_fit(ref, direction=ind.direction)
        out[mask] = normaliser_apply(raw[mask], params=params[ind.indicator_id])
    return values.append_column("normalised", pa.array(out, pa.float64())), params


def _slope(years: list[int], scores: list[float]) -> float | None:
    n = len(years)
    if n < 3:
        return None
    mx, my = sum(years) / n, sum(scores) / n
    denom = sum((x - mx) ** 2 for x in years)
    return None if denom == 0 else sum((x - mx) * (s - my) for x, s in zip(years, scores, strict=True)) / denom


def stage_scores_compute(*, normalised: pa.Table, indicators: list[StageIndicator],
                         window: int = 2, min_share: float = 0.5) -> pa.Table:
    """Scores per area, level, stage and year from normalised indicator values."""
    stage_of = {i.indicator_id: i.stage for i in indicators}
    per_stage = defaultdict(list)
    for ind in indicators:
        per_stage[ind.stage].append(ind.indicator_id)
    series: dict[tuple, dict[int, float]] = defaultdict(dict)
    cols = [normalised[c].to_pylist() for c in ("indicator_id", "level", "area_code", "year", "normalised")]
    for iid, level, area, year, value in zip(*cols, strict=True):
        if iid in stage_of and value is not None and math.isfinite(value):
            series[(level, area, iid)][year] = value
    by_area_stage: dict[tuple, dict[str, dict[int, float]]] = defaultdict(dict)
    for (level, area, iid), years in series.items():
        by_area_stage[(level, area, stage_of[iid])][iid] = years
    rows = []
    for (level, area, stage), per_ind in sorted(by_area_stage.items()):
        needed = max(1, math.ceil(min_share * len(per_stage[stage])))
        all_years = sorted({y for years in per_ind.values() for y in years})
        scored: list[tuple[int, float, int, list[str], int, int]] = []
        ordered = sorted(per_ind)
        for year in all_years:  # a score needs fresh data in its own year
            used, vals, data_years = [], [], []
            for iid in ordered:
                years = per_ind[iid]
                latest = next((year - w for w in range(window + 1) if year - w in years), None)
                if latest is not None:
                    used.append(iid)
                    vals.append(years[latest])
                    data_years.append(latest)
            if len(used) >= needed:
                scored.append((year, sum(vals) / len(vals), len(used), used, min(data_years), max(data_years)))
        for idx, (year, score, n, used, y0, y1) in enumerate(scored):
            recent = [(y, s) for y, s, *_ in scored[: idx + 1] if y > year - 5]
            rows.append({
                "area_code": area, "level": level, "stage": stage, "year": year, "score": score,
                "trend": _slope([y for y, _ in recent], [s for _, s in recent]),
                "n_indicators": n, "n_stage_indicators": len(per_stage[stage]),
                "indicators": ",".join(used), "data_year_min": y0, "data_year_max": y1,
                "is_latest": idx == len(scored) - 1,
            })
    schema = pa.schema([("area_code", pa.string()), ("level", pa.string()), ("stage", pa.string()),
                        ("year", pa.int32()), ("score", pa.float64()), ("trend", pa.float64()),
                        ("n_indicators", pa.int32()), ("n_stage_indicators", pa.int32()),
                        ("indicators", pa.string()), ("data_year_min", pa.int32()),
                        ("data_year_max", pa.int32()), ("is_latest", pa.bool_())])
    return pa.Table.from_pylist(rows, schema=schema)
