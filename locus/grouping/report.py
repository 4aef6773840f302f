"""The JSON report: quality figures, run facts, per-group and per-firm explanations."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np

from locus.grouping.explain import Explanation
from locus.grouping.problem import Settings
from locus.grouping.solution import Solution


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def report_build(*, settings: Settings, solution: Solution, explanation: Explanation) -> dict:
    """Everything a programme manager or analyst needs to check a grouping."""
    return _plain({
        "objective": solution.objective,
        "bound": solution.bound,
        "gap": solution.gap,
        "seconds": solution.seconds,
        "status": solution.status,
        "phases": solution.phases,
        "fairness_cost": explanation.fairness_cost,
        "settings": {**asdict(settings)},
        "stats": solution.stats,
        "groups": [asdict(g) for g in explanation.groups],
        "firms": [asdict(f) for f in explanation.firms],
        "unplaced": [asdict(u) for u in solution.unplaced],
        "diagnoses": [asdict(d) for d in solution.diagnoses],
        "moves": [{"id": m[0], "from": m[1], "to": m[2]} for m in solution.moves],
    })


def report_write(*, path: Path, report: dict) -> None:
    Path(path).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
