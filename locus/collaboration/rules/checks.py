"""Check kinds: each evaluates a rule over every project at once and explains one project's result.

A rule set (YAML) names a kind and its arguments; ``$name`` arguments come from the rule set's
parameters. ``evaluate`` returns per-project arrays; ``explain`` turns one project's values into a
sentence that says why it passed or failed and, on failure, what would fix it; ``change`` sums up
what the failing projects of a portfolio would have to change.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from locus.collaboration.rules.groups import GROUPS, Group, at_least, money, percent, within
from locus.collaboration.rules.table import ORGANISATION_TYPES, ParticipantTable


@dataclass
class Context:
    params: Mapping[str, Any]
    names: Sequence[str] | None = None
    depth: int = 0  # nesting of composite checks, for numbering routes (1) then (a)

    def value(self, arg: Any) -> Any:
        if isinstance(arg, str) and arg.startswith("$"):
            return self.params[arg[1:]]
        return arg


@dataclass
class Outcome:
    passed: np.ndarray
    values: dict[str, np.ndarray] = field(default_factory=dict)
    parts: list[Outcome] = field(default_factory=list)

    def at(self, i: int) -> dict[str, Any]:
        return {k: v[i].item() if hasattr(v[i], "item") else v[i] for k, v in self.values.items()}


class Check(ABC):
    """A rule check; each concrete kind implements evaluate and explain."""

    kind: ClassVar[str]
    required_args: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *, id: str, label: str, severity: str = "required", **args: Any) -> None:
        self.id, self.label, self.severity, self.args = id, label, severity, args

    def group(self, key: str = "who", ctx: Context | None = None) -> Group:
        """The group a check counts; ``who: $setting`` takes it from a ``choice`` setting whose
        options are group keys (which participants are research participants, for example)."""
        name = self.args.get(key, "any")
        if isinstance(name, str) and name.startswith("$"):
            if ctx is None:
                raise ValueError(f"check {self.id!r}: its group is a setting; pass the context")
            name = ctx.value(name)
        return GROUPS[name]

    @abstractmethod
    def evaluate(self, table: ParticipantTable, ctx: Context) -> Outcome:
        """Vectorised result of this check for every project in the table."""

    @abstractmethod
    def explain(self, outcome: Outcome, i: int, ctx: Context) -> str:
        """Plain-words reason for project ``i``."""

    def label_for(self, ctx: Context) -> str:
        """The label with the request's settings (``label`` says the defaults; a check whose label
        names a setting carries ``label_set``, the same words with the setting as a placeholder)."""
        template = self.args.get("label_set")
        return label_fill(template, ctx.params) if template else self.label

    def change(self, outcome: Outcome, failing: np.ndarray, ctx: Context) -> str:
        return f"{projects(int(failing.sum()), 'fails', 'fail')}: {_lower_first(self.label_for(ctx))}."

    def referenced_params(self) -> set[str]:
        return {v[1:] for v in self.args.values() if isinstance(v, str) and v.startswith("$")}


_PLACEHOLDER = re.compile(r"\{(\w+)(?::([^}]*))?\}")
_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _setting_text(value: Any, spec: str) -> str:
    if spec == "money":
        millions = float(value) / 1_000_000
        return f"£{millions:g} million" if millions >= 1 and millions * 10 == int(millions * 10) \
            else money(float(value))
    if spec == "pct":
        return percent(float(value))
    if spec == "words":
        n = int(value)
        return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"
    if spec.startswith("plural|"):
        _, one, many = spec.split("|")
        return one if int(value) == 1 else many
    return str(value)


def label_fill(template: str, params: Mapping[str, Any]) -> str:
    """A check's label with the settings in force: 'At least {min_match_funding:pct} match
    funded' -> 'At least 50 % match funded' ({name:money}, {name:words}, {name:plural|a|b})."""
    return _PLACEHOLDER.sub(lambda m: _setting_text(params[m.group(1)], m.group(2) or ""), template)


def projects(count: int, *verb: str) -> str:
    """'1 project', '2 projects'; with a verb's singular and plural forms, '1 project fails',
    '2 projects fail'."""
    said = f"{count:,} project{'' if count == 1 else 's'}"
    return f"{said} {verb[0] if count == 1 else verb[1]}" if verb else said


def _lower_first(text: str) -> str:
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def no_costs(what: str) -> str:
    """Explanation of a share check on a project whose eligible costs total £0: a share of nothing
    cannot be worked out, so the check fails rather than passing vacuously."""
    return (f"Total eligible costs are £0, so {what} cannot be worked out. To pass, give each "
            "participant's eligible costs.")


def no_costs_note(outcome: Outcome, failing: np.ndarray) -> str:
    """' (N of them with no eligible costs recorded)' for a simulator summary, or ''."""
    n = int((failing & (outcome.values["total"] <= 0)).sum())
    return f" ({n:,} of them with no eligible costs recorded)" if n else ""


def _noun(n: int, group: Group) -> str:
    return f"{n} {group.singular if n == 1 else group.plural}"


class MinCount(Check):
    kind = "min_count"
    required_args = ("min",)

    def evaluate(self, table, ctx):
        mask = self.group(ctx=ctx).mask(table)
        count = table.per_project_count(mask)
        business = table.org_type == ORGANISATION_TYPES.index("business")
        unsized = table.per_project_count(business & (table.size == 0))
        return Outcome(count >= int(ctx.value(self.args["min"])),
                       {"count": count, "unsized_businesses": unsized})

    def explain(self, outcome, i, ctx):
        v, need, g = outcome.at(i), int(ctx.value(self.args["min"])), self.group(ctx=ctx)
        if outcome.passed[i]:
            return f"Has {_noun(v['count'], g)}; at least {need} needed."
        missing = need - v["count"]
        text = (f"Has {_noun(v['count'], g)}; at least {need} needed. To pass, add "
                f"{missing} more {g.singular if missing == 1 else g.plural}.")
        if self.args.get("who") == "sme" and v["unsized_businesses"]:
            text += (f" {_noun(v['unsized_businesses'], GROUPS['business'])} have no size given: "
                     "say whether each is micro, small, medium or large.")
        return text

    def change(self, outcome, failing, ctx):
        need = int(ctx.value(self.args["min"]))
        extra = int((need - outcome.values["count"][failing]).sum())
        noun = self.group(ctx=ctx).singular.split(" (")[0] if extra == 1 else self.group(ctx=ctx).plural
        return (f"{projects(int(failing.sum()))} would need {extra:,} more {noun} in all "
                f"(at least {need} each).")


class MaxCount(Check):
    kind = "max_count"
    required_args = ("max",)

    def evaluate(self, table, ctx):
        count = table.per_project_count(self.group(ctx=ctx).mask(table))
        return Outcome(count <= int(ctx.value(self.args["max"])), {"count": count})

    def explain(self, outcome, i, ctx):
        v, most, g = outcome.at(i), int(ctx.value(self.args["max"])), self.group(ctx=ctx)
        if outcome.passed[i]:
            return f"Has {_noun(v['count'], g)}; at most {most} suggested."
        return (f"Has {_noun(v['count'], g)}; at most {most} suggested. To pass, remove "
                f"{v['count'] - most} or explain to the funder why the project needs them.")


class LeadType(Check):
    kind = "lead_type"
    required_args = ("allowed",)

    def evaluate(self, table, ctx):
        allowed = np.zeros(len(table), dtype=bool)
        for key in self.args["allowed"]:
            allowed |= GROUPS[key].mask(table)
        leads = table.per_project_count(table.is_lead)
        ok = table.per_project_count(table.is_lead & allowed) >= 1
        row = np.full(table.n_projects, -1)
        if table.n_projects == 1 and table.is_lead.any():
            row[0] = int(np.flatnonzero(table.is_lead)[0])
        values = {"leads": leads, "allowed_lead": ok, "row": row}
        alt = self.args.get("alternative")
        if alt:
            alt_lead = table.per_project_count(table.is_lead & GROUPS[alt["lead"]].mask(table)) >= 1
            alt_count = table.per_project_count(GROUPS[alt["who"]].mask(table))
            values["alt_lead"] = alt_lead
            values["alt_count"] = alt_count
            ok = ok | (alt_lead & (alt_count >= int(ctx.value(alt["min"]))))
        return Outcome((leads == 1) & ok, values)

    def _wanted(self, ctx) -> str:
        names = " or ".join(GROUPS[k].singular for k in self.args["allowed"])
        alt = self.args.get("alternative")
        if alt:
            names += (f" (or an {GROUPS[alt['lead']].singular} working with at least "
                      f"{int(ctx.value(alt['min']))} {GROUPS[alt['who']].plural})")
        return names

    def explain(self, outcome, i, ctx):
        v = outcome.at(i)
        if v["leads"] != 1:
            return (f"{'No' if v['leads'] == 0 else v['leads']} lead organisation"
                    f"{'s' if v['leads'] > 1 else ''} recorded; exactly one is needed, "
                    f"a {self._wanted(ctx)}.")
        lead = ctx.names[v["row"]] if ctx.names and v["row"] >= 0 else "The lead"
        if outcome.passed[i]:
            how = "" if v["allowed_lead"] else f", working with {v['alt_count']} " \
                f"{GROUPS[self.args['alternative']['who']].plural}"
            return f"{lead} leads{how}; the lead must be a {self._wanted(ctx)}."
        return (f"{lead} leads, but the lead must be a {self._wanted(ctx)}. To pass, make such "
                "an organisation the lead" + (", or add businesses" if self.args.get(
                    "alternative") else "") + ".")

    def change(self, outcome, failing, ctx):
        no_lead = int((outcome.values["leads"][failing] != 1).sum())
        return (f"{projects(int(failing.sum()))} would need a different lead"
                + (f" ({no_lead:,} of them {'has' if no_lead == 1 else 'have'} no single recorded lead)"
                   if no_lead else "") + f"; the lead must be a {self._wanted(ctx)}.")


class _Share(Check):
    def evaluate(self, table, ctx):
        group_costs = table.per_project_sum(np.where(self.group(ctx=ctx).mask(table), table.costs, 0.0))
        totals = table.totals()
        share = np.divide(group_costs, totals, out=np.zeros_like(totals), where=totals > 0)
        values = {"share": share, "group_costs": group_costs, "total": totals}
        other = self._other(ctx)
        if other:  # the costs the other reading of an unsettled setting would count
            values["other_costs"] = table.per_project_sum(
                np.where(GROUPS[other["group"]].mask(table), table.costs, 0.0))
        return Outcome(self._test(group_costs, totals, ctx) & ((totals > 0) | self._vacuous(ctx)),
                       values)

    def _other(self, ctx) -> dict | None:
        """``if_other: {group, note}``: a group the check would count under another value of its
        setting (``who: $setting``), named when it would change the answer's numbers."""
        other = self.args.get("if_other")
        return other if other and GROUPS[other["group"]] != self.group(ctx=ctx) else None

    def _vacuous(self, ctx) -> bool:
        """True when the check holds whatever the costs (a minimum share of 0)."""
        return False


class MaxShare(_Share):
    kind = "max_share"
    required_args = ("max",)

    def _test(self, group_costs, totals, ctx):
        return within(group_costs, float(ctx.value(self.args["max"])), totals)

    def explain(self, outcome, i, ctx):
        v, m, g = outcome.at(i), float(ctx.value(self.args["max"])), self.group(ctx=ctx)
        if v["total"] <= 0:
            return no_costs(f"the share of costs {g.plural} carry")
        said = f"{_cap(g.plural)} carry {percent(v['share'], m)} of eligible costs"
        other = self._other(ctx)
        if other and v["other_costs"] != v["group_costs"]:
            share = v["other_costs"] / v["total"]
            within_max = bool(within(np.array([v["other_costs"]]), m, np.array([v["total"]]))[0])
            said_other = (f" {other['note']}, {GROUPS[other['group']].plural} would carry "
                          f"{percent(share, m)}, {'within' if within_max else 'above'} the maximum.")
        else:
            said_other = ""
        if outcome.passed[i]:
            return f"{said}; the maximum is {percent(m)}.{said_other}"
        cut = (v["group_costs"] - m * v["total"]) / (1 - m) if m < 1 else 0.0
        add = v["group_costs"] / m - v["total"] if m > 0 else float("inf")
        return (f"{said}; the maximum is {percent(m)}. To pass, reduce their costs by at least "
                f"{money(cut)}, or add at least {money(add)} of costs for other partners."
                f"{said_other}")

    def change(self, outcome, failing, ctx):
        m = float(ctx.value(self.args["max"]))
        excess = (outcome.values["group_costs"] - m * outcome.values["total"])[failing].sum()
        return (f"{projects(int(failing.sum()), 'gives', 'give')} {self.group(ctx=ctx).plural} more than "
                f"{percent(m)} of eligible costs ({money(excess)} above the cap in all)"
                f"{no_costs_note(outcome, failing)}.")


class MinShare(_Share):
    kind = "min_share"
    required_args = ("min",)

    def _test(self, group_costs, totals, ctx):
        return at_least(group_costs, float(ctx.value(self.args["min"])), totals)

    def _vacuous(self, ctx) -> bool:
        return float(ctx.value(self.args["min"])) <= 0

    def explain(self, outcome, i, ctx):
        v, m, g = outcome.at(i), float(ctx.value(self.args["min"])), self.group(ctx=ctx)
        if m <= 0:
            return f"No minimum share of eligible costs is set for {g.plural}."
        if v["total"] <= 0:
            return no_costs(f"the share of costs {g.plural} carry")
        said = f"{_cap(g.plural)} carry {percent(v['share'], m)} of eligible costs"
        if outcome.passed[i]:
            return f"{said}; at least {percent(m)} needed."
        add = (m * v["total"] - v["group_costs"]) / (1 - m) if m < 1 else float("inf")
        return (f"{said}; at least {percent(m)} needed. To pass, add at least {money(add)} "
                f"of costs for {g.plural} (a new partner or more work for an existing one).")

    def change(self, outcome, failing, ctx):
        m = float(ctx.value(self.args["min"]))
        gap = (m * outcome.values["total"] - outcome.values["group_costs"])[failing].sum()
        return (f"{projects(int(failing.sum()), 'gives', 'give')} {self.group(ctx=ctx).plural} less than "
                f"{percent(m)} of eligible costs ({money(gap)} short in all)"
                f"{no_costs_note(outcome, failing)}.")
