"""The cost model file as the web and API see it (read once, re-read when the file changes)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from locus.policy import costs
from locus.policy.files import cost_assumptions_read
from locus.policy.schema import Benchmark, CostAssumption


@dataclass(frozen=True)
class CostModel:
    assumptions: dict[str, CostAssumption]
    benchmarks: list[Benchmark]
    notes: dict
    path: str

    def default_breakdown(self) -> costs.Breakdown:
        return costs.breakdown(costs.defaults(self.assumptions))


@lru_cache(maxsize=2)
def _read(path: str, mtime: float) -> CostModel:
    assumptions, benchmarks, notes = cost_assumptions_read(Path(path))
    costs.defaults(assumptions)  # fails fast if a formula input is missing
    return CostModel(assumptions, benchmarks, notes, "data/policy/cost_model.yaml")


def cost_model_get(path: Path | None = None) -> CostModel:
    path = path or settings.LOCUS_BUNDLED_DATA / "policy" / "cost_model.yaml"
    return _read(str(path), path.stat().st_mtime)
