"""Apply a rule set: to one consortium (the checker) or to many projects (the simulator)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from locus.collaboration.rules.checks import Check, Context, MinCount, MinShare, Outcome
from locus.collaboration.rules.model import (
    FieldErrors,
    RuleSet,
    country_names,
    parameters_resolve,
    rule_set_get,
)
from locus.collaboration.rules.table import (
    ORGANISATION_TYPES,
    ROLES,
    SIZES,
    TIERS,
    Participant,
    ParticipantTable,
    table_from_participants,
)

MAX_PARTICIPANTS = 100
MAX_NAME = 200


@dataclass
class Evaluation:
    rule_set: RuleSet
    params: dict[str, Any]
    outcomes: list[tuple[Check, Outcome]]
    passed: np.ndarray  # every required check passed, per project


@dataclass(frozen=True)
class CheckResult:
    id: str
    label: str
    severity: str
    passed: bool
    message: str


@dataclass(frozen=True)
class CheckReport:
    rule_set: str
    version: str
    title: str
    passed: bool
    checks: list[CheckResult]
    parameters: dict[str, Any]
    needs: list[str]  # groups of organisation the consortium lacks (for partner suggestions)


def evaluate(*, rule_set: RuleSet, table: ParticipantTable, params: Mapping[str, Any],
             names: Sequence[str] | None = None) -> Evaluation:
    ctx = Context(params=params, names=names)
    outcomes = [(check, check.evaluate(table, ctx)) for check in rule_set.checks]
    passed = np.ones(table.n_projects, dtype=bool)
    for check, outcome in outcomes:
        if check.severity == "required":
            passed &= outcome.passed
    return Evaluation(rule_set=rule_set, params=dict(params), outcomes=outcomes, passed=passed)


def _choice(value: Any, allowed: Sequence[str], name: str, errors: list, *, optional: bool) -> Any:
    if value in (None, "") and optional:
        return None
    if value not in allowed:
        errors.append((name, f"{value!r} is not one of {', '.join(allowed)}"))
    return value


def _participant(raw: Mapping[str, Any], i: int, errors: list) -> Participant | None:
    at = f"participants[{i}]"
    before = len(errors)
    name = str(raw.get("name") or "").strip()
    if not name:
        errors.append((f"{at}.name", "enter the organisation's name"))
    elif len(name) > MAX_NAME:
        errors.append((f"{at}.name", f"the organisation's name must be {MAX_NAME} characters or fewer "
                                     f"(this one has {len(name)})"))
    role = _choice(raw.get("role"), ROLES, f"{at}.role", errors, optional=False)
    org_type = _choice(raw.get("organisation_type"), ORGANISATION_TYPES[:-1],
                       f"{at}.organisation_type", errors, optional=False)
    size = _choice(raw.get("size"), SIZES[1:], f"{at}.size", errors, optional=True)
    tier = _choice(raw.get("tier"), TIERS[1:], f"{at}.tier", errors, optional=True)
    country = str(raw.get("country") or "").strip().upper()
    if country not in country_names():
        errors.append((f"{at}.country", f"{raw.get('country')!r} is not an ISO 3166 alpha-2 "
                                        "country code (for example GB, DE or FR)"))
    costs = raw.get("eligible_costs")
    try:
        costs = float(costs)
        if not math.isfinite(costs) or costs < 0:
            raise ValueError
    except (TypeError, ValueError):
        given = raw.get("eligible_costs")
        errors.append((f"{at}.eligible_costs", "eligible costs are missing: give a number of pounds, zero or more"
                       if given in (None, "") else
                       f"eligible costs must be a number of pounds, zero or more (got {given!r})"))
    publishes = _flag(raw.get("publishes"), False, f"{at}.publishes", errors)
    claims_funding = _flag(raw.get("claims_funding"), True, f"{at}.claims_funding", errors)
    grant = _grant(raw.get("grant_requested"), costs, f"{at}.grant_requested", errors)
    controlled_by = _controlled_by(raw.get("controlled_by"), f"{at}.controlled_by", errors)
    if len(errors) > before:
        return None
    return Participant(name=name, role=role, organisation_type=org_type, size=size,
                       country=country, eligible_costs=costs, tier=tier,
                       publishes=publishes, claims_funding=claims_funding,
                       grant_requested=grant, controlled_by=controlled_by)


def _flag(value: Any, default: bool, name: str, errors: list) -> bool:
    """A yes/no answer: true or false, or left out for the default. Nothing else is read as one
    ("no" and "false" are true to Python's bool, and "yes" or 1 are not answers either)."""
    if value is None:
        return default
    if not isinstance(value, bool):
        errors.append((name, f"{name.rsplit('.', 1)[-1]} must be true or false (got {value!r})"))
        return default
    return value


def _grant(value: Any, costs: Any, name: str, errors: list) -> float | None:
    """Optional grant requested, in pounds: zero or more, and not above the eligible costs."""
    if value in (None, ""):
        return None
    try:
        grant = float(value)
        if not math.isfinite(grant) or grant < 0:
            raise ValueError
    except (TypeError, ValueError):
        errors.append((name, f"the grant requested must be a number of pounds, zero or more "
                             f"(got {value!r})"))
        return None
    if isinstance(costs, float) and grant > costs:
        errors.append((name, f"the grant requested (£{grant:,.0f}) cannot be more than the "
                             f"organisation's eligible costs (£{costs:,.0f})"))
    return grant


def _controlled_by(value: Any, name: str, errors: list) -> str | None:
    """Optional name of the group or parent that controls the organisation."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value.strip()) > MAX_NAME:
        errors.append((name, f"the controlling group's name must be text of {MAX_NAME} "
                             "characters or fewer, or leave it empty"))
        return None
    return value.strip() or None


def participants_validate(raw: Sequence[Mapping[str, Any]] | None) -> list[Participant]:
    """Parse and check the participants of a consortium; every problem names its field."""
    if not raw:
        raise FieldErrors([("participants", "add at least one organisation, the lead")])
    if not isinstance(raw, list | tuple):
        raise FieldErrors([("participants", "give a list of organisations")])
    not_objects = [f"participants[{i}]" for i, item in enumerate(raw) if not isinstance(item, Mapping)]
    if not_objects:
        raise FieldErrors([(at, "give an organisation as an object with name, role, type and country")
                           for at in not_objects[:10]])
    if len(raw) > MAX_PARTICIPANTS:
        raise FieldErrors([("participants", f"at most {MAX_PARTICIPANTS} organisations")])
    errors: list[tuple[str, str]] = []
    parsed = [_participant(item, i, errors) for i, item in enumerate(raw)]
    first_named: dict[str, int] = {}
    for i, p in enumerate(parsed):
        if p is None:
            continue
        key = " ".join(p.name.casefold().split())
        if key in first_named:
            errors.append((f"participants[{i}].name",
                           f"'{p.name}' is already organisation {first_named[key] + 1}: list each "
                           "organisation once (another legal entity of the same group has its own "
                           "name, and 'controlled by' says they are one group)"))
        else:
            first_named[key] = i
    leads = sum(1 for item in raw if item.get("role") == "lead")
    if leads == 0:
        errors.append(("participants", "no participant has role 'lead': choose the organisation "
                                       "that leads the project"))
    elif leads > 1:
        errors.append(("participants", f"{leads} participants have role 'lead'; exactly one "
                                       "organisation leads a project"))
    if errors:
        raise FieldErrors(errors)
    return [p for p in parsed if p is not None]


def consortium_check(*, rule_set_id: str, participants: Sequence[Participant],
                     parameters: Mapping[str, Any] | None = None) -> CheckReport:
    """Check one consortium against one rule set; each check says why and how to fix it."""
    rule_set = rule_set_get(rule_set_id=rule_set_id)
    if parameters is not None and not isinstance(parameters, Mapping):
        raise FieldErrors([("parameters", "give an object of parameter values, such as {\"max_partners\": 8}")])
    params = parameters_resolve(rule_set=rule_set, overrides=dict(parameters or {}))
    table = table_from_participants(participants)
    names = [p.name for p in participants]
    evaluation = evaluate(rule_set=rule_set, table=table, params=params, names=names)
    ctx = Context(params=params, names=names)
    results = [CheckResult(id=c.id, label=c.label_for(ctx), severity=c.severity,
                           passed=bool(o.passed[0]), message=c.explain(o, 0, ctx))
               for c, o in evaluation.outcomes]
    return CheckReport(rule_set=rule_set.id, version=rule_set.version, title=rule_set.title,
                       passed=bool(evaluation.passed[0]), checks=results, parameters=params,
                       needs=consortium_needs(evaluation, 0))


def consortium_needs(evaluation: Evaluation, i: int) -> list[str]:
    """Groups whose minimum count or share a failing required check asks for, in rule order."""
    needs: list[str] = []

    def walk(check: Check, outcome: Outcome) -> None:
        if outcome.passed[i]:
            return
        who = check.args.get("who", "any")
        if isinstance(who, str) and who.startswith("$"):  # the group is a setting
            who = evaluation.params[who[1:]]
        if isinstance(check, (MinCount, MinShare)) and who != "any" and who not in needs:
            needs.append(who)
        for child, part in zip(getattr(check, "children", []), outcome.parts, strict=False):
            walk(child, part)

    for check, outcome in evaluation.outcomes:
        if check.severity == "required":
            walk(check, outcome)
    return needs
