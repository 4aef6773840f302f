"""The consortium checker page: add organisations one by one, check against every rule set."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from locus.collaboration.forms import (
    MAX_DESCRIPTION,
    MAX_ROWS,
    checker_form_parse,
    checker_participants,
    errors_for_page,
    selected_rule_set,
    settings_stale,
)
from locus.collaboration.models import Organisation
from locus.collaboration.partners import NEED_TYPES, organisation_fits, partners_find
from locus.collaboration.rules.engine import consortium_check, participants_validate
from locus.collaboration.rules.model import FieldErrors, country_names, rule_set_list
from locus.networks.recommend import NEED_LABELS

ORG_TYPES = [("business", "Business"), ("research", "University or research institute"),
             ("rto", "RTO or Catapult"), ("public", "Public body"), ("charity", "Charity")]
SIZES = [("", "Not a business, or not known"), ("micro", "Micro (under 10 staff)"),
         ("small", "Small (under 50)"), ("medium", "Medium (under 250)"),
         ("large", "Large (250 or more)")]
TIERS = [("", "Neither"), ("vehicle_manufacturer", "Vehicle manufacturer"),
         ("tier1", "Tier 1 supplier")]


def _suggestions(form, participants, needs: list[str], reason: str) -> list[dict]:
    """A few organisations that could fill each gap, from the partner recommender."""
    names = [p["name"] for p in participants if p["name"]]
    known = list(Organisation.objects.filter(name__in=names).values_list("pk", flat=True))
    out = []
    for need in needs[:3]:
        if need not in NEED_TYPES:  # e.g. vehicle manufacturers: no loaded dataset says who they are
            out.append({"need": need, "label": NEED_LABELS.get(need, need), "suggestions": [],
                        "unsupported": True})
            continue
        try:
            found = partners_find(description=form.description or " ".join(names),
                                  needs=[need], partner_ids=known, need_reason=reason, k=30,
                                  types=NEED_TYPES.get(need, ()))
        except FieldErrors:
            continue
        fitting = [s for s in found.suggestions if organisation_fits(s.organisation, need)][:3]
        out.append({"need": need, "label": NEED_LABELS.get(need, need), "suggestions": fitting})
    return out


@require_GET
def check(request: HttpRequest) -> HttpResponse:
    form = checker_form_parse(request.GET)
    rule_set = selected_rule_set(form)
    reports, gaps = [], []
    notice = ""
    if settings_stale(request.GET, rule_set) and form.submitted:
        # the settings shown were another rule set's: show this one's before checking with them
        form.submitted = False
        notice = (f"You chose {rule_set.title}, so its settings are shown now and nothing was "
                  "checked: check them, then press Check consortium.")
    elif request.GET.get("action") == "settings" and rule_set is not None:
        notice = (f"The settings for {rule_set.title} are shown. Check them, then press Check "
                  "consortium.")
    if form.submitted and not form.errors:
        participants = checker_participants(form)
        try:
            parsed = participants_validate(participants)
            chosen = [rule_set] if rule_set else rule_set_list()
            reports = [consortium_check(rule_set_id=rs.id, participants=parsed,
                                        parameters=form.parameters if rule_set else {})
                       for rs in chosen]
        except FieldErrors as exc:
            form.errors += errors_for_page(exc)
            reports = []
        needs = []
        for report in reports:
            if not report.passed:
                needs += [n for n in report.needs if n not in needs and n in NEED_LABELS]
        if needs:
            failing = ", ".join(r.title for r in reports if not r.passed)
            gaps = _suggestions(form, participants, needs, f"to meet: {failing}")
    context = {"form": form, "rule_sets": rule_set_list(), "rule_set": rule_set,
               "reports": reports, "gaps": gaps, "org_types": ORG_TYPES, "sizes": SIZES,
               "tiers": TIERS, "countries": sorted(country_names().items(), key=lambda kv: kv[1]),
               "error_title": bool(form.errors), "max_description": MAX_DESCRIPTION,
               "max_rows": MAX_ROWS, "settings_notice": notice}
    return render(request, "collaboration/check.html", context)
