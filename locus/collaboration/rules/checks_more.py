"""More check kinds: the largest single share, publishing, claiming, project size, countries, and
the composites any_of / all_of."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from locus.collaboration.rules.checks import (
    Check,
    Outcome,
    _lower_first,
    _noun,
    no_costs,
    no_costs_note,
    projects,
)
from locus.collaboration.rules.checks_entities import KINDS as ENTITY_KINDS
from locus.collaboration.rules.checks_entities import independent_country_counts
from locus.collaboration.rules.groups import GROUPS, money, percent, within


def _organisations(n: int, kind: str = "") -> str:
    """'1 other organisation', '3 other organisations'."""
    return f"{n} {kind}organisation{'' if n == 1 else 's'}"


class MaxSingleShare(Check):
    kind = "max_single_share"
    required_args = ("max",)

    def evaluate(self, table, ctx):
        mask = self.group(ctx=ctx).mask(table)
        largest = table.per_project_max(table.costs, mask)
        totals = table.totals()
        share = np.divide(largest, totals, out=np.zeros_like(totals), where=totals > 0)
        row = np.full(table.n_projects, -1)
        if table.n_projects == 1 and mask.any():
            row[0] = int(np.flatnonzero(mask)[np.argmax(table.costs[mask])])
        return Outcome(within(largest, float(ctx.value(self.args["max"])), totals) & (totals > 0),
                       {"share": share, "largest": largest, "total": totals, "row": row})

    def explain(self, outcome, i, ctx):
        v, m, g = outcome.at(i), float(ctx.value(self.args["max"])), self.group(ctx=ctx)
        if v["total"] <= 0:
            return no_costs(f"the share of the largest {g.singular}")
        who = (ctx.names[v["row"]] if ctx.names and v["row"] >= 0 else f"The largest {g.singular}")
        said = f"{who} carries {percent(v['share'], m)} of eligible costs"
        if outcome.passed[i]:
            return f"{said}; no single {g.singular} may carry more than {percent(m)}."
        move = v["largest"] - m * v["total"]
        return (f"{said}; no single {g.singular} may carry more than {percent(m)}. To pass, move "
                f"at least {money(move)} of its costs to other partners.")

    def change(self, outcome, failing, ctx):
        m = float(ctx.value(self.args["max"]))
        return (f"{projects(int(failing.sum()), 'has', 'have')} one {self.group(ctx=ctx).singular} carrying more "
                f"than {percent(m)} of eligible costs{no_costs_note(outcome, failing)}.")


class AllPublish(Check):
    kind = "all_publish"

    def evaluate(self, table, ctx):
        mask = self.group(ctx=ctx).mask(table)
        silent = table.per_project_count(mask & ~table.publishes)
        return Outcome(silent == 0, {"silent": silent, "members": table.per_project_count(mask)})

    def explain(self, outcome, i, ctx):
        v, g = outcome.at(i), self.group(ctx=ctx)
        if outcome.passed[i]:  # "Every one of the 1 university ..." read oddly: say it by number
            members = int(v["members"])
            if members == 0:
                return f"No {g.singular} takes part, so none needs the right to publish."
            if members == 1:
                return f"The {g.singular} has the right to publish its results."
            every = "Both" if members == 2 else f"All {members}"
            return f"{every} {g.plural} have the right to publish their results."
        one = v["silent"] == 1
        return (f"{_noun(v['silent'], g)} {'does' if one else 'do'} not have the right to publish "
                f"{'its' if one else 'their'} own research results. To pass, agree in the collaboration "
                f"agreement that {'it' if one else 'they'} may publish.")


class Claiming(Check):
    kind = "claiming"

    def evaluate(self, table, ctx):
        lead_claims = table.per_project_count(table.is_lead & table.claims) >= 1
        others = table.per_project_count(~table.is_lead & table.claims)
        need = int(ctx.value(self.args.get("min_other", 1)))
        return Outcome(lead_claims & (others >= need),
                       {"lead_claims": lead_claims, "others": others})

    def explain(self, outcome, i, ctx):
        v, need = outcome.at(i), int(ctx.value(self.args.get("min_other", 1)))
        if outcome.passed[i]:
            return f"The lead and {_organisations(v['others'], 'other ')} claim funding."
        parts = [] if v["lead_claims"] else ["the lead must claim funding"]
        if v["others"] < need:
            parts.append(f"at least {_organisations(need, 'other ')} must claim funding "
                         f"({v['others']} {'does' if v['others'] == 1 else 'do'})")
        return "Not enough organisations claim funding: " + "; ".join(parts) + "."


class TotalCosts(Check):
    kind = "total_costs"

    def _bounds(self, ctx):
        return (float(ctx.value(self.args.get("min", 0))),
                float(ctx.value(self.args.get("max", float("inf")))))

    def evaluate(self, table, ctx):
        low, high = self._bounds(ctx)
        totals = table.totals()
        return Outcome((totals >= low) & (totals <= high), {"total": totals})

    def explain(self, outcome, i, ctx):
        total, (low, high) = outcome.at(i)["total"], self._bounds(ctx)
        said = f"Total eligible costs are {money(total)}; they must be between {money(low)} and {money(high)}"
        if outcome.passed[i]:
            return said + "."
        gap = f"add {money(low - total)}" if total < low else f"remove {money(total - high)}"
        return f"{said}. To pass, {gap} of costs, or ask the funder for an exception."


class Countries(Check):
    kind = "countries"
    required_args = ("min_distinct", "eligible")

    def _conditional(self, ctx) -> tuple[set[str], set[str]]:
        """Countries that count only for some values of a setting (Horizon Europe's Pillar II-only
        associated countries): (those that count under the current setting, those that do not)."""
        counted: set[str] = set()
        excluded: set[str] = set()
        for cond in self.args.get("conditional", []):
            countries = set(ctx.value(f"${cond['countries']}"))
            if ctx.value(f"${cond['when']}") in cond["in"]:
                counted |= countries
            else:
                excluded |= countries
        return counted, excluded - counted

    def referenced_params(self) -> set[str]:
        names = set(self.args["eligible"]) | ({self.args["at_least_one_in"]}
                                              if self.args.get("at_least_one_in") else set())
        for cond in self.args.get("conditional", []):
            names |= {cond["countries"], cond["when"]}
        return super().referenced_params() | names

    def _lists(self, ctx) -> tuple[set[str], set[str]]:
        eligible: set[str] = set()
        for name in self.args["eligible"]:
            eligible |= set(ctx.value(f"${name}"))
        eligible |= self._conditional(ctx)[0]
        core = set(ctx.value(f"${self.args['at_least_one_in']}")) if self.args.get(
            "at_least_one_in") else eligible
        return eligible, core

    def _excluded_names(self, table, codes, ctx) -> np.ndarray:
        """Per project: the countries present that count only under another setting, by name."""
        from locus.collaboration.rules.model import country_names

        excluded = self._conditional(ctx)[1]
        out = np.full(table.n_projects, "", dtype=object)
        if not excluded or not len(table):
            return out
        row_codes = codes[table.country]
        for p in np.unique(table.project[np.isin(row_codes, list(excluded))]):
            found = sorted({country_names().get(c, c)
                            for c in row_codes[(table.project == p)] if c in excluded})
            out[p] = ", ".join(found)
        return out

    def evaluate(self, table, ctx):
        eligible, core = self._lists(ctx)
        codes = np.array(table.countries, dtype=object)
        in_eligible = np.isin(codes[table.country] if len(table) else codes[:0], list(eligible))
        in_core = np.isin(codes[table.country] if len(table) else codes[:0], list(core))
        pairs = np.unique(np.stack([table.project[in_eligible], table.country[in_eligible]]), axis=1) \
            if in_eligible.any() else np.zeros((2, 0), dtype=np.int64)
        distinct = np.bincount(pairs[0], minlength=table.n_projects)
        core_count = table.per_project_count(in_core)
        outside = table.per_project_count(~in_eligible)
        need = int(ctx.value(self.args["min_distinct"]))
        if self.args.get("independent"):
            matched, best = independent_country_counts(table, in_eligible, in_core, distinct,
                                                       core_count)
        else:
            matched, best = distinct, np.where(core_count >= 1, distinct, 0)
        return Outcome(best >= need, {"distinct": distinct, "matched": matched, "best": best,
                                      "core": core_count, "outside": outside,
                                      "excluded": self._excluded_names(table, codes, ctx)})

    def explain(self, outcome, i, ctx):
        v, need = outcome.at(i), int(ctx.value(self.args["min_distinct"]))
        where = self.args.get("describe", "eligible countries")
        core = self.args.get("core_label", "a country on the core list")
        said = (f"Participants are established in 1 country that counts ({where})" if v["distinct"] == 1
                else f"Participants are established in {v['distinct']} different countries that count ({where})")
        if v["outside"]:
            said += (f"; {v['outside']} {'participant is' if v['outside'] == 1 else 'participants are'} "
                     f"established elsewhere and {'does' if v['outside'] == 1 else 'do'} not count")
        if v.get("excluded"):
            said += f" ({v['excluded']}: {self.args.get('excluded_note', 'not counted with these settings')})"
        if v["matched"] < v["distinct"]:
            said += (f"; counting organisations under common control once, only {v['matched']} "
                     "independent ones are in different countries")
        if outcome.passed[i]:
            extra = f", with at least one in {core}" if self.args.get("at_least_one_in") else ""
            return f"{said}; at least {need} needed{extra}."
        independent = ", each independent of the others" if self.args.get("independent") else ""
        fixes = []
        if v["matched"] < need:
            more = need - v['matched']
            fixes.append(f"add {'a partner' if more == 1 else 'partners'} from {more} more "
                         f"{'country' if more == 1 else 'different countries'} "
                         f"({where}){independent}")
        if v["core"] < 1 and self.args.get("at_least_one_in"):
            fixes.append(f"include at least one partner established in {core}")
        elif v["matched"] >= need:
            fixes.append(f"make sure one of the independent partners in different countries is "
                         f"established in {core}")
        fixes = [f[:1].upper() + f[1:] for f in fixes]  # one sentence per fix
        return f"{said}; at least {need} needed. To pass: " + ". ".join(fixes) + "."


class _Composite(Check):
    required_args = ("checks",)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.children: list[Check] = self.args.pop("built_checks")

    def referenced_params(self) -> set[str]:
        return set().union(*(c.referenced_params() for c in self.children))

    def _outcomes(self, table, ctx) -> list[Outcome]:
        return [child.evaluate(table, ctx) for child in self.children]


class AnyOf(_Composite):
    kind = "any_of"

    def evaluate(self, table, ctx):
        parts = self._outcomes(table, ctx)
        return Outcome(np.logical_or.reduce([p.passed for p in parts]), parts=parts)

    def explain(self, outcome, i, ctx):
        pairs = list(zip(self.children, outcome.parts, strict=True))
        inner = replace(ctx, depth=ctx.depth + 1)
        if outcome.passed[i]:
            child, part = next((c, p) for c, p in pairs if p.passed[i])
            return f"Met by “{child.label_for(ctx)}”: {child.explain(part, i, inner)}"
        marks = "123456789" if ctx.depth == 0 else "abcdefghi"
        routes = " ".join(f"({marks[n]}) {c.label_for(ctx)}: {c.explain(p, i, inner)}"
                          for n, (c, p) in enumerate(pairs))
        return f"Meets none of these {len(pairs)} ways; any one is enough. {routes}"

    def change(self, outcome, failing, ctx):
        return (f"{projects(int(failing.sum()), 'meets', 'meet')} none of: "
                + "; ".join(_lower_first(c.label_for(ctx)) for c in self.children) + ".")


class AllOf(_Composite):
    kind = "all_of"

    def evaluate(self, table, ctx):
        parts = self._outcomes(table, ctx)
        return Outcome(np.logical_and.reduce([p.passed for p in parts]), parts=parts)

    def explain(self, outcome, i, ctx):
        pairs = list(zip(self.children, outcome.parts, strict=True))
        shown = pairs if outcome.passed[i] else [(c, p) for c, p in pairs if not p.passed[i]]
        return " ".join(c.explain(p, i, ctx) for c, p in shown)

    def change(self, outcome, failing, ctx):
        worst = [(int((failing & ~p.passed).sum()), c) for c, p in
                 zip(self.children, outcome.parts, strict=True)]
        return "; ".join(c.change(p, failing & ~p.passed, ctx) for (n, c), p in
                         zip(worst, outcome.parts, strict=True) if n)


KINDS: dict[str, type[Check]] = {}
for _cls in (MaxSingleShare, AllPublish, Claiming, TotalCosts, Countries, AnyOf, AllOf):
    KINDS[_cls.kind] = _cls
KINDS |= ENTITY_KINDS
GROUP_KEYS = frozenset(GROUPS)
