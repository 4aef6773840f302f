"""Explanations: per group and criterion, and per firm (why it is in its group).

Everything is recomputed from the participants' own attributes, independently of the solver
state, so an explanation is also a check of the assignment it describes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, replace

import numpy as np

from locus.grouping.explain_firms import (
    CRITERIA,
    Context,
    FirmExplanation,
    firms_explain,
    pair_costs,
)
from locus.grouping.instance import features_build
from locus.grouping.problem import Participant, Problem, Settings
from locus.grouping.solution import Solution, Unplaced
from locus.grouping.wording import group_summary_text


@dataclass(frozen=True)
class GroupExplanation:
    label: str
    mode: str
    size: int
    members: tuple[str, ...]
    shared_themes: dict[str, int]
    pairs_sharing_theme: int
    pairs: int
    employees_min: int | None
    employees_max: int | None
    divisions: dict[str, int]
    divisions_over_cap: tuple[str, ...]
    furthest_km: float | None
    furthest_pair: tuple[str, str] | None
    mean_km: float | None
    repeat_pairs: tuple[tuple[str, str, int], ...]
    costs: dict[str, float]
    mean_pair_cost: float
    fairness_rank: int
    summary: str


@dataclass(frozen=True)
class Explanation:
    groups: tuple[GroupExplanation, ...]
    firms: tuple[FirmExplanation, ...]
    unplaced: tuple[Unplaced, ...]
    fairness_cost: float

    def to_dict(self) -> dict:
        return asdict(self)


def _theme_facts(members: list[Participant]) -> tuple[dict[str, int], int, int]:
    counts = Counter(t for p in members for t in p.themes)
    shared = {t: c for t, c in counts.most_common() if c >= 2}
    pairs = sharing = 0
    for i, a in enumerate(members):
        for b in members[i + 1:]:
            pairs += 1
            sharing += int(bool(a.themes & b.themes))
    return shared, sharing, pairs


def _travel_facts(ids, km: np.ndarray, in_person: bool):
    if not in_person or len(ids) < 2:
        return None, None, None
    iu = np.triu_indices(len(ids), 1)
    vals = km[iu]
    j = int(np.nanargmax(vals))
    pair = (ids[iu[0][j]], ids[iu[1][j]])
    return round(float(vals[j]), 1), pair, round(float(np.nanmean(vals)), 1)


def _group(ctx: Context, label: str, mode: str, ids: tuple[str, ...]) -> GroupExplanation:
    s = ctx.settings
    members = [ctx.parts[ctx.index[i]] for i in ids]
    idx = np.array([ctx.index[i] for i in ids])
    ip = mode == "in_person"
    pc = pair_costs(ctx, idx, idx, ip)
    size = len(ids)
    iu = np.triu_indices(size, 1)
    costs = {c: round(float(2 * pc[c][iu].sum() / max(size - 1, 1)), 4) for c in CRITERIA}
    divs = Counter(p.sic_division for p in members)
    over = tuple(sorted(d for d, c in divs.items() if c > s.sector_cap))
    costs["sector"] = round(s.weights.sector * sum(max(0, c - s.sector_cap)
                                                   for c in divs.values()), 4)
    either = sum(1 for p in members if p.mode.value == "either" and p.has_location)
    costs["online"] = 0.0 if ip else round(s.weights.in_person * either, 4)
    pair_total = sum(float(pc[c][iu].sum()) for c in CRITERIA)
    mean_pair = pair_total / max(len(iu[0]), 1)
    shared, sharing, pairs = _theme_facts(members)
    heads = [p.head_count for p in members if p.head_count is not None]
    furthest, fpair, mean_km = _travel_facts(ids, pc["km"], ip)
    repeats = tuple((ids[a], ids[b], int(round(np.sqrt(pc["repeat"][a, b] / s.weights.repeat))))
                    for a, b in zip(*iu, strict=True)
                    if s.weights.repeat and pc["repeat"][a, b] > 0)
    expl = GroupExplanation(
        label=label, mode=mode, size=size, members=ids, shared_themes=shared,
        pairs_sharing_theme=sharing, pairs=pairs, employees_min=min(heads, default=None),
        employees_max=max(heads, default=None), divisions=dict(sorted(divs.items())),
        divisions_over_cap=over, furthest_km=furthest, furthest_pair=fpair, mean_km=mean_km,
        repeat_pairs=repeats, costs=costs, mean_pair_cost=round(mean_pair, 4),
        fairness_rank=0, summary="")
    return expl


def _summary(g: GroupExplanation, settings: Settings, n_groups: int) -> str:
    """One plain-words line for a programme manager (the figures are in the fields)."""
    return group_summary_text(asdict(g), sector_cap=settings.sector_cap,
                              max_km=settings.max_km, n_groups=n_groups)


def groups_explain(*, problem: Problem, settings: Settings, solution: Solution) -> Explanation:
    """Explain every group and every firm of a solution."""
    parts = problem.participants
    avoided_by: dict[str, set[str]] = {}
    for p in parts:
        for other in p.avoid:
            avoided_by.setdefault(other, set()).add(p.id)
    ctx = Context(parts=parts, index={p.id: i for i, p in enumerate(parts)},
                  feats=features_build(participants=parts), settings=settings,
                  avoided_by={k: frozenset(v) for k, v in avoided_by.items()})
    groups = [_group(ctx, g.label, g.mode, g.members) for g in solution.groups]
    order = sorted(range(len(groups)), key=lambda i: -groups[i].mean_pair_cost)
    ranked = list(groups)
    for rank, i in enumerate(order, start=1):
        g = replace(groups[i], fairness_rank=rank)
        ranked[i] = replace(g, summary=_summary(g, settings, len(groups)))
    worst = max((g.mean_pair_cost for g in ranked), default=0.0)
    placed = sum(g.size for g in ranked)
    firms = firms_explain(ctx=ctx, solution=solution, groups=ranked)
    return Explanation(groups=tuple(ranked), firms=firms, unplaced=solution.unplaced,
                       fairness_cost=round(settings.weights.fairness * len(parts) * worst, 4)
                       if placed else 0.0)
