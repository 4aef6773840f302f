"""The partner finder: ranked organisations with their reasons."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from locus.collaboration import selectors
from locus.collaboration.forms import errors_for_page
from locus.collaboration.partners import (
    MAX_DESCRIPTION,
    TYPE_CHOICES,
    partners_find,
    web_address_only,
)
from locus.collaboration.rules.model import FieldErrors
from locus.networks.recommend import NEED_LABELS

TYPE_LABELS = {"business": "Businesses", "university": "Universities and colleges",
               "research": "Research institutes", "rto": "RTOs and Catapults",
               "public": "Public bodies", "charity": "Charities and associations"}


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdecimal()]


def _chosen(values: list[str]) -> list[str]:
    return [v.strip() for v in values if v.strip()]


@require_GET
def partners(request: HttpRequest) -> HttpResponse:
    get = request.GET
    org_ids = _ids(get.getlist("organisation"))
    context = {
        "org_query": get.get("org", "").strip(), "description": get.get("description", ""),
        # an empty needs= or types= (a shared or hand-edited link) is no choice, not an error
        "postcode": get.get("postcode", ""), "needs": _chosen(get.getlist("needs")),
        "types": _chosen(get.getlist("types")), "partner_ids": _ids(get.getlist("partner")),
        "need_labels": NEED_LABELS, "type_labels": [(t, TYPE_LABELS[t]) for t in TYPE_CHOICES],
        "choices": [], "results": None, "errors": [], "organisation": None}
    # a value the checkboxes do not offer: said in the page's words, not the API's ids
    context["errors"] += [(f"needs-{next(iter(NEED_LABELS))}",
                           f"Choose what your consortium lacks from the list (‘{n[:40]}’ is not one "
                           "of them)") for n in context["needs"] if n not in NEED_LABELS]
    context["errors"] += [(f"types-{TYPE_CHOICES[0]}",
                           f"Choose the types of organisation from the list (‘{t[:40]}’ is not one "
                           "of them)") for t in context["types"] if t not in TYPE_CHOICES]
    if context["errors"]:
        pass
    elif web_address_only(context["org_query"]):
        context["errors"] = [("org", "Enter your organisation’s name, not its web address, for "
                                     "example Swansea University")]
    elif context["org_query"] and not org_ids:
        found = selectors.organisation_search(query=context["org_query"], limit=20)
        exact = [o for o in found if o.name.lower() == context["org_query"].lower()]
        if len(exact) == 1 or len(found) == 1:
            org_ids = [(exact or found)[0].pk]
        elif found:
            context["choices"] = found
        else:
            context["errors"] = [("org", f"No organisation called ‘{context['org_query']}’ is "
                                         "in the registry: check the name, or describe the project")]
    if get.get("search") and not context["choices"] and not context["errors"]:
        try:
            context["results"] = partners_find(
                organisation_id=org_ids[0] if org_ids else None,
                description=context["description"], postcode=context["postcode"],
                needs=context["needs"], types=context["types"],
                partner_ids=context["partner_ids"], k=10)
            context["organisation"] = context["results"].query_organisation
        except FieldErrors as exc:
            context["errors"] = errors_for_page(exc)
    return render(request, "collaboration/partners.html",
                  context | {"error_title": bool(context["errors"]), "max_description": MAX_DESCRIPTION})
