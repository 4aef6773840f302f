"""Parse the GET forms of the checker, simulator and partner finder (no cookies for visitors).

The checker form has one fieldset per organisation (``p0-name``, ``p0-type``, ...), one ``lead``
radio group, and buttons ``action=add``, ``remove=N`` and ``action=check``. Field errors from the
rule engine (``participants[1].eligible_costs``) map to input ids (``p1-costs``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from locus.collaboration.partners import MAX_DESCRIPTION, web_address_only
from locus.collaboration.rules.model import FieldErrors, RuleSet, rule_set_get

# The checker is a GET form (visitors get no cookies, so no CSRF token): every field travels in the
# URL. 20 organisations with realistic names and a full description (capped as the partner finder
# caps it) fit inside the 8,190-byte request line that `locus serve` allows.
MAX_ROWS = 20
ROW_FIELDS = {"name": "name", "organisation_type": "type", "size": "size", "country": "country",
              "eligible_costs": "costs", "tier": "tier", "publishes": "publishes",
              "claims_funding": "claims", "grant_requested": "grant", "controlled_by": "control"}


# the yes/no selects of a row, and what each asks (for the error message)
YES_NO_FIELDS = {"publishes": "it may publish its own research results",
                 "claims": "it claims funding"}


@dataclass
class CheckerForm:
    rule_set: str = "all"
    rows: list[dict[str, str]] = field(default_factory=list)
    lead: int = 0
    description: str = ""
    parameters: dict[str, str] = field(default_factory=dict)
    submitted: bool = False
    errors: list[tuple[str, str]] = field(default_factory=list)

    def error_for(self, field_id: str) -> str | None:
        return next((m for f, m in self.errors if f == field_id), None)


def parameters_from(params: QueryDict, rule_set_id: str) -> dict[str, str]:
    """Inputs are named ``param-<rule set>-<name>``: settings shown for another rule set (before
    the visitor changed the rule set) are ignored."""
    prefix = f"param-{rule_set_id}-"
    return {k[len(prefix):]: v for k, v in params.items() if k.startswith(prefix) and v.strip()}


def settings_stale(params: QueryDict, rule_set: RuleSet | None) -> bool:
    """Whether the form's settings were shown for another rule set than the one now chosen (the
    hidden ``settings_for``): the visitor changed the rule set without updating the settings, so
    its own settings, which they have not seen, must not be used silently. A link without
    ``settings_for`` (shared, or from the API docs) states everything it wants and is not stale;
    neither is a rule set without settings to show."""
    shown = params.get("settings_for")
    if shown is None or rule_set is None:
        return False
    visible = [p for p in rule_set.parameters.values() if p.kind != "countries"]
    return shown.strip() != rule_set.id and bool(visible)


def _blank_row(kind: str = "business") -> dict[str, str]:
    return {"name": "", "type": kind, "size": "", "country": "GB", "costs": "", "tier": "",
            "publishes": "no", "claims": "yes", "grant": "", "control": ""}


def checker_form_parse(params: QueryDict) -> CheckerForm:
    try:
        count = max(1, min(int(params.get("n", 2)), MAX_ROWS))
    except ValueError:
        count = 2
    rows = [{key: params.get(f"p{i}-{key}", default).strip()
             for key, default in _blank_row().items()} for i in range(count)]
    if "n" not in params:
        rows = [_blank_row("business"), _blank_row("research")]
    try:
        lead = int(params.get("lead", 0))
    except ValueError:
        lead = 0
    # an empty rule_set= (a hand-edited or shared link) is no choice: every rule set, as by default
    rule_set = params.get("rule_set", "").strip() or "all"
    form = CheckerForm(rule_set=rule_set, rows=rows, lead=lead,
                       description=params.get("description", "").strip(),
                       parameters=parameters_from(params, rule_set))
    remove = params.get("remove")
    if remove is not None and remove.isdecimal() and len(rows) > 1 and int(remove) < len(rows):
        del rows[int(remove)]
        form.lead = 0 if form.lead == int(remove) else form.lead - (form.lead > int(remove))
    elif params.get("action") == "add" and len(rows) < MAX_ROWS:
        rows.append(_blank_row())
    form.submitted = params.get("action") == "check"
    if form.submitted:
        for i, row in enumerate(rows):
            for key, question in YES_NO_FIELDS.items():
                if row[key] not in ("yes", "no"):  # the select sends one or the other
                    form.errors.append((f"p{i}-{key}", f"Organisation {i + 1}: choose Yes or No for "
                                                       f"whether {question}"))
            if web_address_only(row["name"]):
                form.errors.append((f"p{i}-name", f"Organisation {i + 1}: enter the organisation’s "
                                                  "name, not its web address"))
            if web_address_only(row["control"]):
                form.errors.append((f"p{i}-control", f"Organisation {i + 1}: enter the name of the "
                                                     "group or parent that controls it, not its "
                                                     "web address"))
    if len(form.description) > MAX_DESCRIPTION:
        form.errors.append(("description", f"The project description must be {MAX_DESCRIPTION:,} characters or "
                                           f"fewer (it has {len(form.description):,})"))
    form.lead = min(max(form.lead, 0), len(rows) - 1)
    return form


def _pounds(text: str) -> float | str:
    cleaned = re.sub(r"[£,\s]", "", text)
    match = re.fullmatch(r"(-?\d+(?:\.\d+)?)([km]?)", cleaned.lower())
    if not match:
        return text
    return float(match.group(1)) * {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2)]


def checker_participants(form: CheckerForm) -> list[dict[str, Any]]:
    """Rows -> participant dicts for the rule engine (costs as numbers where they parse)."""
    return [{"name": row["name"], "role": "lead" if i == form.lead else "partner",
             "organisation_type": row["type"], "size": row["size"] or None,
             "country": row["country"], "eligible_costs": _pounds(row["costs"]) if row["costs"]
             else None, "tier": row["tier"] or None, "publishes": row["publishes"] == "yes",
             "claims_funding": row["claims"] == "yes",
             "grant_requested": _pounds(row["grant"]) if row["grant"] else None,
             "controlled_by": row["control"] or None} for i, row in enumerate(form.rows)]


def field_id(name: str) -> str:
    """'participants[1].eligible_costs' -> 'p1-costs'; 'participants' -> 'lead-0'."""
    match = re.fullmatch(r"participants\[(\d+)\]\.(\w+)", name)
    if match:
        return f"p{match.group(1)}-{ROW_FIELDS.get(match.group(2), match.group(2))}"
    if name == "participants":
        return "lead-0"
    if name.startswith("parameters."):
        return f"param-{name.split('.', 1)[1]}"
    # the partner finder's fields: the summary links to an element that exists
    return {"organisation": "org", "needs": "needs-sme", "types": "types-business"}.get(name, name)


_MONEY_FIELDS = {"eligible_costs": "eligible costs", "grant_requested": "grant requested"}
# the page's selects: a value not in the list (only from an edited link) is "choose ...", in the
# words of the field, not the engine's "'XX' is not an ISO 3166 alpha-2 country code"
_CHOICE_FIELDS = {"country": "choose the country where it is established",
                  "organisation_type": "choose its type of organisation",
                  "size": "choose its size", "role": "choose which organisation leads",
                  "tier": "choose whether it is a vehicle manufacturer or Tier 1 supplier"}


def friendly(name: str, message: str) -> str:
    """An error message for the page: 'Organisation 2: enter its eligible costs ...'. The engine's
    messages quote the value it got, which helps an API caller; a page shows the value in the field
    instead, so the quote goes and an amount gets an example of what to type."""
    match = re.fullmatch(r"participants\[(\d+)\]\.(\w+)", name)
    if match:
        who = f"Organisation {int(match.group(1)) + 1}"
        what = _MONEY_FIELDS.get(match.group(2))
        if what and (message.endswith("(got None)") or " are missing" in message):
            return f"{who}: enter its {what} in pounds, for example 250000 or 1.2m"
        if what and "(got " in message:
            return f"{who}: the {what} must be an amount in pounds, zero or more, for example 250000 or 1.2m"
        choice = _CHOICE_FIELDS.get(match.group(2))
        if choice and ("is not one of" in message or "is not an ISO" in message):
            return f"{who}: {choice}"
        return f"{who}: {message}"
    message = re.sub(r" \(got [^)]*\)$", "", message)
    if (name.startswith("parameters.") or name == "rule_set") and message.startswith("Choose "):
        message = message.split(":", 1)[0]  # the page lists the choices in the field itself
    return message[:1].upper() + message[1:]


def errors_for_page(exc: FieldErrors) -> list[tuple[str, str]]:
    return [(field_id(name), friendly(name, message)) for name, message in exc.errors]


def selected_rule_set(form: CheckerForm) -> RuleSet | None:
    if form.rule_set == "all":
        return None
    try:
        return rule_set_get(rule_set_id=form.rule_set)
    except FieldErrors as exc:
        form.errors += errors_for_page(exc)
        form.rule_set = "all"
        return None
