"""Rule sets as data: versioned YAML files in ``locus/collaboration/rulesets``, each citing sources.

Loading validates every file (kinds, groups, parameters) so that a typo fails at start-up, not
when an applicant checks a consortium.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from locus.collaboration.rules.checks import Check, LeadType, MaxCount, MaxShare, MinCount, MinShare
from locus.collaboration.rules.checks_more import KINDS as MORE_KINDS
from locus.collaboration.rules.groups import GROUPS
from locus.errors import CollaborationError

RULESET_DIR = Path(__file__).resolve().parent.parent / "rulesets"
KINDS: dict[str, type[Check]] = {c.kind: c for c in (MinCount, MaxCount, LeadType, MaxShare,
                                                      MinShare)} | MORE_KINDS
PARAMETER_KINDS = ("fraction", "count", "money", "countries", "choice")


class FieldErrors(CollaborationError):
    """Bad input, with one message per field (``participants[1].country``)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors))


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    url: str
    quote: str = ""
    accessed: str = ""


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str
    default: Any
    label: str
    help: str = ""
    options: dict[str, str] = field(default_factory=dict)  # a choice's values and their labels


@dataclass
class RuleSet:
    id: str
    version: str
    title: str
    summary: str
    status: str
    sources: list[Source]
    parameters: dict[str, Parameter]
    checks: list[Check]
    notes: list[str] = field(default_factory=list)

    @property
    def required_checks(self) -> list[Check]:
        return [c for c in self.checks if c.severity == "required"]


def _build_check(spec: dict, where: str) -> Check:
    spec = dict(spec)
    kind = spec.pop("kind", None)
    if kind not in KINDS:
        raise CollaborationError(f"{where}: unknown check kind {kind!r}")
    cls = KINDS[kind]
    missing = [a for a in ("id", "label", *cls.required_args) if a not in spec]
    if missing:
        raise CollaborationError(f"{where}: check {spec.get('id')!r} lacks {', '.join(missing)}")
    for key in ("who",):  # a group, or "$setting": a choice among groups (checked with the settings)
        if key in spec and spec[key] not in GROUPS and not str(spec[key]).startswith("$"):
            raise CollaborationError(f"{where}: unknown group {spec[key]!r}")
    other = spec.get("if_other")
    if other is not None and (not isinstance(other, dict) or other.get("group") not in GROUPS
                              or not other.get("note")):
        raise CollaborationError(f"{where}: check {spec.get('id')!r}: if_other needs a group and a note")
    if kind in ("any_of", "all_of"):
        spec["built_checks"] = [_build_check(child, f"{where} > {spec['id']}")
                                for child in spec["checks"]]
    if spec.get("severity", "required") not in ("required", "advisory"):
        raise CollaborationError(f"{where}: severity must be required or advisory")
    return cls(**spec)


def _parameters(raw: dict, where: str) -> dict[str, Parameter]:
    out = {}
    for name, spec in (raw or {}).items():
        if spec.get("kind") not in PARAMETER_KINDS:
            raise CollaborationError(f"{where}: parameter {name!r} needs a kind in {PARAMETER_KINDS}")
        if spec["kind"] == "countries" and not all(isinstance(c, str) for c in spec["default"]):
            raise CollaborationError(f"{where}: parameter {name!r}: quote country codes "
                                     "(YAML reads NO as false)")
        options = {str(k): str(v) for k, v in (spec.get("options") or {}).items()}
        if spec["kind"] == "choice" and spec["default"] not in options:
            raise CollaborationError(f"{where}: parameter {name!r}: a choice needs options that "
                                     "include its default")
        out[name] = Parameter(name=name, kind=spec["kind"], default=spec["default"],
                              label=spec.get("label", name), help=spec.get("help", ""),
                              options=options)
    return out


def rule_set_from_yaml(path: Path) -> RuleSet:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    where = path.name
    for key in ("id", "version", "title", "summary", "status", "sources", "checks"):
        if key not in raw:
            raise CollaborationError(f"{where}: missing {key!r}")
    if not raw["sources"]:
        raise CollaborationError(f"{where}: a rule set must cite at least one source")
    rule_set = RuleSet(
        id=raw["id"], version=str(raw["version"]), title=raw["title"], summary=raw["summary"],
        status=raw["status"], sources=[Source(**s) for s in raw["sources"]],
        parameters=_parameters(raw.get("parameters"), where),
        checks=[_build_check(c, where) for c in raw["checks"]], notes=raw.get("notes", []))
    used = set().union(*(c.referenced_params() for c in rule_set.checks))
    undefined = used - set(rule_set.parameters)
    if undefined:
        raise CollaborationError(f"{where}: checks use undefined parameters {sorted(undefined)}")
    for check in rule_set.checks:
        who = check.args.get("who")
        if isinstance(who, str) and who.startswith("$"):
            param = rule_set.parameters[who[1:]]
            if param.kind != "choice" or not set(param.options) <= set(GROUPS):
                raise CollaborationError(f"{where}: check {check.id!r}: who: {who} needs a choice "
                                         "setting whose options are groups")
    return rule_set


@functools.cache
def _all_rule_sets(directory: str) -> dict[str, RuleSet]:
    sets = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        rule_set = rule_set_from_yaml(path)
        if rule_set.id in sets:
            raise CollaborationError(f"{path.name}: duplicate rule set id {rule_set.id!r}")
        sets[rule_set.id] = rule_set
    return sets


def rule_set_list() -> list[RuleSet]:
    return list(_all_rule_sets(str(RULESET_DIR)).values())


def rule_set_get(*, rule_set_id: str, field_name: str = "rule_set") -> RuleSet:
    sets = _all_rule_sets(str(RULESET_DIR))
    if not (rule_set_id or "").strip():  # an empty value is a missing choice, not an unknown id
        raise FieldErrors([(field_name, f"Choose a rule set: {field_name} is empty; use one of "
                                        f"{', '.join(sets)}")])
    if rule_set_id not in sets:
        raise FieldErrors([(field_name, f"unknown rule set {rule_set_id!r}; use one of "
                                        f"{', '.join(sets)}")])
    return sets[rule_set_id]


@functools.cache
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> short name (plus XK, which the European Commission uses)."""
    names = {}
    for line in (RULESET_DIR / "countries.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t", 1)
            names[code] = name
    names["GB"] = "United Kingdom"
    return names


def _parameter_value(param: Parameter, value: Any, field_name: str) -> Any:
    if param.kind == "choice":
        text = str(value).strip()
        if text not in param.options:
            raise FieldErrors([(field_name, f"Choose the {param.label[:1].lower()}{param.label[1:]}: "
                                            + "; ".join(f"{k} ({v})" for k, v in param.options.items())
                                            + f" (got {value!r})")])
        return text
    try:
        if param.kind == "countries":
            codes = [str(c).strip().upper() for c in value]
            unknown = [c for c in codes if c not in country_names()]
            if unknown:
                raise ValueError(f"unknown country code(s) {', '.join(unknown)}")
            return codes
        text = str(value).strip()
        if param.kind == "fraction" and text.endswith("%"):  # '50%' is a share of 0.5
            number = float(text[:-1]) / 100
        else:
            number = float(value)
    except (TypeError, ValueError) as exc:
        hint = (" between 0 and 1, like 0.5 (or a percentage, like 50%)" if param.kind == "fraction"
                else ", like 3")
        raise FieldErrors([(field_name, str(exc) if "country" in str(exc) else
                            f"{param.label} must be a number{hint}")]) from None
    if not math.isfinite(number) or number < 0 or (param.kind == "fraction" and number > 1):
        bound = "between 0 and 1" if param.kind == "fraction" else "zero or more"
        raise FieldErrors([(field_name, f"{param.label} must be {bound} (got {value})")])
    return int(number) if param.kind == "count" else number


def parameters_resolve(*, rule_set: RuleSet, overrides: dict[str, Any] | None) -> dict[str, Any]:
    """Defaults with the caller's overrides; unknown names or bad values name the field."""
    values = {name: p.default for name, p in rule_set.parameters.items()}
    errors: list[tuple[str, str]] = []
    for name, value in (overrides or {}).items():
        if name not in rule_set.parameters:
            known = ", ".join(rule_set.parameters) or "none"
            errors.append((f"parameters.{name}", f"{rule_set.id} has no parameter {name!r} "
                                                 f"(its parameters: {known})"))
            continue
        try:
            values[name] = _parameter_value(rule_set.parameters[name], value, f"parameters.{name}")
        except FieldErrors as exc:
            errors.extend(exc.errors)
    if errors:
        raise FieldErrors(errors)
    return values
