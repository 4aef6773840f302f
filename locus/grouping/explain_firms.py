"""Per-firm explanations: why each firm is in its group, and its best alternative."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from locus.grouping.instance import Features, pair_components
from locus.grouping.problem import Mode, Participant, Settings
from locus.grouping.wording import firm_reason_text, firm_reasons_text

CRITERIA = ("themes", "size", "travel", "repeat")


@dataclass(frozen=True)
class Context:
    parts: tuple[Participant, ...]
    index: dict[str, int]
    feats: Features
    settings: Settings
    avoided_by: dict[str, frozenset[str]]


@dataclass(frozen=True)
class FirmExplanation:
    """Why a firm is where it is. `facts`: one dict per reason, with a machine-readable `code`
    and its figures; `reasons`: the same in plain words (`wording.firm_reason_text`)."""

    id: str
    group: str | None
    reasons: tuple[str, ...]
    mean_pair_cost: float | None
    best_alternative: str | None
    alternative_cost: float | None
    facts: tuple[dict, ...] = ()


def pair_costs(ctx: Context, rows: np.ndarray, cols: np.ndarray | None,
               in_person: bool) -> dict[str, np.ndarray]:
    """Weighted per-criterion pair costs (floats) and distances for rows x cols
    (cols=None: every participant)."""
    comp = pair_components(features=ctx.feats, rows=rows, cols=cols)
    w, s = ctx.settings.weights, ctx.settings
    km = comp["km"]
    travel = np.nan_to_num(km) / s.max_km if in_person else np.zeros_like(km)
    return {"themes": w.themes * comp["themes"], "size": w.size * comp["size"],
            "travel": w.travel * travel, "repeat": w.repeat * comp["repeat"], "km": km}


def _blocked(ctx: Context, rows: np.ndarray, cols: np.ndarray, km: np.ndarray,
             where: dict[int, int]) -> np.ndarray:
    """rows x cols: True where the pair may never share a group (avoid or competitor);
    `where` maps a participant index to its column."""
    f, s = ctx.feats, ctx.settings
    same = f.sic_class[rows][:, None] == f.sic_class[cols][None, :]
    out = same & (np.isnan(km) | (np.nan_to_num(km) <= s.competitor_km))
    for r, i in enumerate(rows):
        p = ctx.parts[i]
        for other in p.avoid | ctx.avoided_by.get(p.id, frozenset()):
            c = where.get(ctx.index[other])
            if c is not None:
                out[r, c] = True
    return out


def _reasons(ctx: Context, p: Participant, mates: list[Participant], km: np.ndarray
             ) -> list[dict]:
    """The facts behind each reason (`wording.firm_reason_text` words them)."""
    out: list[dict] = []
    if p.locked_group:
        out.append({"code": "locked", "group": p.locked_group})
    together = sorted(m.id for m in mates if m.id in p.together or p.id in m.together)
    if together:
        out.append({"code": "together", "with": together})
    out.append({"code": "mode", "mode": p.mode.value})
    sharing = [m for m in mates if p.themes & m.themes]
    common = sorted({t for m in sharing for t in p.themes & m.themes})
    out.append({"code": "themes", "sharing": len(sharing), "mates": len(mates),
                "common": common})
    heads = [m.head_count for m in mates if m.head_count is not None]
    if p.head_count is not None and heads:
        out.append({"code": "size", "employees": p.head_count, "min": min(heads),
                    "max": max(heads)})
    same = sum(1 for m in mates if m.sic_division == p.sic_division)
    out.append({"code": "industry", "division": p.sic_division, "same": same})
    if not np.all(np.isnan(km)):
        out.append({"code": "distance", "min_km": round(float(np.nanmin(km)), 1),
                    "max_km": round(float(np.nanmax(km)), 1)})
    met = sorted(m.id for m in mates if p.previous_groups & m.previous_groups)
    if met:
        out.append({"code": "met_before", "with": met})
    return out


def firms_explain(*, ctx: Context, solution, groups) -> tuple[FirmExplanation, ...]:
    """One explanation per participant (placed ones first, in group order)."""
    cols = np.array([ctx.index[i] for g in groups for i in g.members], dtype=int)
    starts = np.cumsum([0] + [len(g.members) for g in groups[:-1]]).astype(int)
    where = {int(j): c for c, j in enumerate(cols)}
    pen = ctx.settings.weights.in_person
    out = []
    for gi, g in enumerate(groups):
        rows = cols[starts[gi]:starts[gi] + len(g.members)]
        alts = _alternatives(ctx, rows, cols, starts, groups, gi, where)
        ip = g.mode == "in_person"
        for r, i in enumerate(rows):
            p = ctx.parts[i]
            mates = np.array([j for j in rows if j != i])
            own = pair_costs(ctx, np.array([i]), mates, ip)
            mean = float(sum(own[c][0].sum() for c in CRITERIA) / max(len(mates), 1))
            mean += 0.0 if ip or not _prefers_in_person(p) else pen
            km = own["km"][0] if ip else np.array([np.nan])
            facts = _reasons(ctx, p, [ctx.parts[j] for j in mates], km)
            alt, alt_cost = alts[r]
            facts.append({"code": "no_alternative"} if alt is None else
                         {"code": "alternative", "group": alt, "there": round(alt_cost, 4),
                          "here": round(mean, 4)})
            out.append(FirmExplanation(
                id=p.id, group=g.label, reasons=tuple(firm_reasons_text(facts)),
                mean_pair_cost=round(mean, 4), best_alternative=alt,
                alternative_cost=None if alt_cost is None else round(alt_cost, 4),
                facts=tuple(facts)))
    for u in solution.unplaced:
        fact = {"code": "unplaced", "why": u.code, "facts": dict(u.facts), "reason": u.reason}
        out.append(FirmExplanation(id=u.id, group=None, reasons=(firm_reason_text(
            fact, fallback=u.reason),), mean_pair_cost=None, best_alternative=None,
            alternative_cost=None, facts=(fact,)))
    return tuple(out)


def _prefers_in_person(p: Participant) -> bool:
    return p.mode is Mode.EITHER and p.has_location


def _alternatives(ctx: Context, rows, cols, starts, groups, own: int, where):
    """For each row firm: (label, cost) of the cheapest other group it could join."""
    s = ctx.settings
    pc = pair_costs(ctx, rows, None, True)
    km = pc["km"][:, cols]
    base = (pc["themes"] + pc["size"] + pc["repeat"])[:, cols]
    sizes = np.array([len(g.members) for g in groups])
    ip = np.array([g.mode == "in_person" for g in groups])
    base_sum = np.add.reduceat(base, starts, axis=1)
    travel_sum = np.add.reduceat(pc["travel"][:, cols], starts, axis=1)
    cost = (base_sum + np.where(ip, travel_sum, 0.0)) / sizes
    blocked = np.logical_or.reduceat(_blocked(ctx, rows, cols, km, where), starts, axis=1)
    far = np.logical_or.reduceat(np.isnan(km) | (np.nan_to_num(km) > s.max_km), starts, axis=1)
    out = []
    for r, i in enumerate(rows):
        p = ctx.parts[i]
        ok = ~blocked[r] & (sizes < s.max_size)
        ok &= np.where(ip, ~far[r] & p.can_meet_in_person, p.can_meet_online)
        ok[own] = False
        if not ok.any():
            out.append((None, None))
            continue
        total = cost[r] + np.where(ip, 0.0, s.weights.in_person * _prefers_in_person(p))
        j = int(np.argmin(np.where(ok, total, np.inf)))
        out.append((groups[j].label, float(total[j])))
    return out
