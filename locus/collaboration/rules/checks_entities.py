"""Check kinds about who pays and who is independent: match funding (the grant requested against
total eligible costs) and independent legal entities (participants under common control count
once), with the matching that tells how many independent entities sit in different countries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from locus.collaboration.rules.checks import Check, Outcome, _noun, no_costs, projects
from locus.collaboration.rules.groups import at_least, money, percent
from locus.collaboration.rules.table import ParticipantTable


class MatchFunding(Check):
    """Participants fund at least ``min`` of total eligible costs themselves: the grant requested
    by everyone who claims funding is at most (1 - min) of the total. A participant that claims
    funding but gives no grant leaves the check unanswered, which fails it and says so."""

    kind = "match_funding"
    required_args = ("min",)

    def evaluate(self, table, ctx):
        m = float(ctx.value(self.args["min"]))
        grant = np.where(table.claims, table.grant, 0.0)
        unknown = table.per_project_count(np.isnan(grant))
        requested = table.per_project_sum(np.nan_to_num(grant))
        totals = table.totals()
        matched = totals - requested
        share = np.divide(matched, totals, out=np.zeros_like(totals), where=totals > 0)
        passed = (unknown == 0) & at_least(matched, m, totals) & (totals > 0)
        return Outcome(passed, {"unknown": unknown, "grant": requested, "total": totals,
                                "share": share})

    def explain(self, outcome, i, ctx):
        v, m = outcome.at(i), float(ctx.value(self.args["min"]))
        most = (1 - m) * v["total"]
        if v["total"] <= 0:
            return no_costs("how much of the project is match funded")
        if v["unknown"]:
            who = ("1 organisation claiming funding does" if v["unknown"] == 1
                   else f"{v['unknown']} organisations claiming funding do")
            return (f"{who} not say what grant they "
                    f"request, so match funding cannot be checked. To pass, give the grant each "
                    f"one requests: together at most {money(most)} ({percent(1 - m)} of total "
                    f"eligible costs of {money(v['total'])}).")
        said = (f"The grant requested is {money(v['grant'])} of {money(v['total'])} total "
                f"eligible costs, so the project is {percent(v['share'], m)} match funded")
        if outcome.passed[i]:
            return f"{said}; at least {percent(m)} needed."
        return (f"{said}; at least {percent(m)} needed. To pass, request at least "
                f"{money(v['grant'] - most)} less grant, or fund more of the costs yourselves.")

    def change(self, outcome, failing, ctx):
        m = float(ctx.value(self.args["min"]))
        unknown = failing & (outcome.values["unknown"] > 0)
        over = failing & ~unknown & (outcome.values["total"] > 0)
        excess = (outcome.values["grant"] - (1 - m) * outcome.values["total"])[over].sum()
        parts = []
        if over.any():
            parts.append(f"{projects(int(over.sum()), 'is', 'are')} less than {percent(m)} match funded "
                         f"({money(excess)} of grant above the limit in all)")
        if unknown.any():
            parts.append(f"{projects(int(unknown.sum()), 'has', 'have')} no grant recorded for a "
                         "participant that claims funding")
        zero = failing & ~unknown & (outcome.values["total"] <= 0)
        if zero.any():
            parts.append(f"{projects(int(zero.sum()), 'has', 'have')} no eligible costs recorded")
        return "; ".join(parts) + "."


def _pairs_per_project(table: ParticipantTable, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per project: rows in ``mask`` and distinct control groups among them."""
    rows = table.per_project_count(mask)
    if not mask.any():
        return rows, np.zeros(table.n_projects, dtype=np.int64)
    pairs = np.unique(np.stack([table.project[mask], table.control[mask]]), axis=1)
    return rows, np.bincount(pairs[0], minlength=table.n_projects).astype(np.int64)


class MinIndependent(Check):
    """At least ``min`` independent organisations: those under common control count once."""

    kind = "min_independent"
    required_args = ("min",)

    def evaluate(self, table, ctx):
        rows, groups = _pairs_per_project(table, self.group(ctx=ctx).mask(table))
        return Outcome(groups >= int(ctx.value(self.args["min"])),
                       {"independent": groups, "shared": rows - groups})

    def explain(self, outcome, i, ctx):
        v, need, g = outcome.at(i), int(ctx.value(self.args["min"])), self.group(ctx=ctx)
        said = f"Has {v['independent']} independent {g.singular if v['independent'] == 1 else g.plural}"
        if v["shared"]:
            said += (f" (another {_noun(v['shared'], g)} {'is' if v['shared'] == 1 else 'are'} under "
                     "common control with a participant and count"
                     f"{'s' if v['shared'] == 1 else ''} with it)")
        if outcome.passed[i]:
            return f"{said}; at least {need} needed."
        missing = need - v["independent"]
        return (f"{said}; at least {need} needed. To pass, add {missing} more "
                f"{g.singular if missing == 1 else g.plural} not controlled by, or under the same "
                "control as, any other participant.")


def max_matching(groups: dict[int, set[int]]) -> int:
    """Largest number of groups that can each be given a different country (Kuhn's algorithm)."""
    owner: dict[int, int] = {}

    def augment(group: int, seen: set[int]) -> bool:
        for country in groups[group]:
            if country in seen:
                continue
            seen.add(country)
            if country not in owner or augment(owner[country], seen):
                owner[country] = group
                return True
        return False

    return sum(augment(group, set()) for group in groups)


def independent_countries(pairs: Iterable[tuple[int, int]], core: set[int]) -> tuple[int, int]:
    """(most independent entities in different countries, the same with one in ``core``, or 0).

    ``pairs`` are (control group, country) of the participants that count. Entities under common
    control are one entity, so the answer is a maximum matching of groups to countries.
    """
    groups: dict[int, set[int]] = defaultdict(set)
    for group, country in pairs:
        groups[int(group)].add(int(country))
    best = max_matching(groups)
    with_core = 0
    for group, countries in groups.items():
        for country in countries & core:
            rest = {g: cs - {country} for g, cs in groups.items() if g != group}
            with_core = max(with_core, 1 + max_matching(rest))
            if with_core == best:
                return best, with_core
    return best, with_core


def independent_country_counts(table: ParticipantTable, eligible: np.ndarray, core: np.ndarray,
                               distinct: np.ndarray, core_count: np.ndarray
                               ) -> tuple[np.ndarray, np.ndarray]:
    """Per project: (matched, with_core) as ``independent_countries`` gives them.

    Where every eligible participant is its own control group (always, in grant portfolios) the
    answer is the number of distinct countries, so only projects with shared control are matched
    one by one."""
    matched = distinct.astype(np.int64)
    with_core = np.where(core_count >= 1, matched, 0)
    rows, groups = _pairs_per_project(table, eligible)
    for p in np.flatnonzero(groups < rows):
        members = np.flatnonzero(eligible & (table.project == p))
        core_codes = {int(c) for c in table.country[members[core[members]]]}
        matched[p], with_core[p] = independent_countries(
            zip(table.control[members], table.country[members], strict=True), core_codes)
    return matched, with_core


KINDS: dict[str, type[Check]] = {c.kind: c for c in (MatchFunding, MinIndependent)}
