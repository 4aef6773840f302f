"""The library: landing page, search, case pages, history, learning resources."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from locus.errors import PolicyError
from locus.policy import selectors
from locus.policy.models import Layer, TagKind
from locus.policy.permissions import can_propose, is_editor
from locus.policy.places import ca_list
from locus.policy.schema import ROLE_LABELS, STAGE_LABELS
from locus.policy.searching import (
    FILTER_NOUNS,
    TAG_FACETS,
    SearchFilters,
    case_search,
    filter_problems,
)
from locus.policy.stip import web_links

LIST_PARAMS = ("instrument", "theme", "stage", "rating", "country", "level", "layer")


def _int(raw: str | None, default: int | None = None) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else default
    except ValueError:
        return default


def filters_from(params) -> SearchFilters:
    values = {key: [v for v in params.getlist(key) if v][:20] for key in LIST_PARAMS}
    return SearchFilters(**values, min_rating=_int(params.get("min_rating")))


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "policy/home.html", {
        "counts": selectors.library_counts(), "stages": STAGE_LABELS,
        "top_rated": selectors.top_rated_cases(limit=5), "roles": ROLE_LABELS,
        "paths": selectors.learning_paths_list(), "cas": ca_list()})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:200]
    match = "any" if request.GET.get("match") == "any" else "all"
    page = max(1, _int(request.GET.get("page"), 1) or 1)
    filters = filters_from(request.GET)
    # a value outside a filter's list (a mistyped or stale link) is a GOV.UK error at that
    # filter, and the search runs without it
    problems = filter_problems(filters)
    for key, value in problems:
        getattr(filters, key).remove(value)
    rating_raw = request.GET.get("min_rating", "").strip()
    rating_error = ""
    if rating_raw and filters.min_rating not in range(1, 6):
        rating_error = (f"‘{rating_raw[:40]}’ is not an evidence rating Locus can filter by: choose a "
                        "whole number from 1 to 5")
        filters.min_rating = None
    try:
        result = case_search(text=text, filters=filters, page=page, match=match)
    except PolicyError as exc:
        raise Http404(str(exc)) from None
    if page > max(result.pages, 1):  # a stale or mistyped link: say so rather than show an empty page
        raise Http404(f"There is no page {page} of this search: it has {result.pages} "
                      f"page{'' if result.pages == 1 else 's'}.")
    bad = set(problems) | ({("min_rating", rating_raw)} if rating_error else set())
    params = [(k, v) for k in ("q", "match", *LIST_PARAMS, "min_rating")
              for v in request.GET.getlist(k) if v and (k, v) not in bad]
    pages = [(n, "?" + urlencode([*params, ("page", n)])) for n in range(1, result.pages + 1)]
    selected = [(f.label, o.label, "?" + urlencode([p for p in params if p != (f.key, o.value)]))
                for f in result.facets for o in f.options if o.selected]
    if filters.min_rating:  # listed and removable like the others (QA H25 F8)
        selected.append(("Evidence rating", f"{filters.min_rating} or above",
                         "?" + urlencode([p for p in params if p[0] != "min_rating"])))
    rating_rows = {o.value: o.count for f in result.facets if f.key == "rating" for o in f.options}
    at_least_3 = sum(n for v, n in rating_rows.items() if v in ("3", "4", "5"))
    errors = _filter_errors(problems, result) + ([("min_rating", "filters", rating_error)] if rating_error else [])
    return render(request, "policy/search.html", {
        "text": text, "match": match, "result": result, "pages": pages, "selected": selected,
        "at_least_3": at_least_3,
        "labels": selectors.taxonomy_labels(), "filters": filters, "stage_labels": STAGE_LABELS,
        "suggest": [(s, "?" + urlencode(s.query)) for s in result.suggestions],
        "errors": [(anchor, message) for _, anchor, message in errors],
        "filter_errors": {key: message for key, _, message in errors},
        "error_title": bool(errors)}, status=400 if errors else 200)


def _filter_errors(problems: list[tuple[str, str]], result) -> list[tuple[str, str, str]]:
    """(filter, anchor, message) per refused value: the anchor is the filter's first checkbox, or the
    filters' heading when the filter shows no choices."""
    shown = {f.key for f in result.facets if f.options}
    errors = []
    for key, value in problems:
        what = f"‘{value[:40]}{'…' if len(value) > 40 else ''}’"
        anchor = f"f-{key}-1" if key in shown else "filters"
        errors.append((key, anchor, f"{what} is not a {FILTER_NOUNS[key]} Locus can filter by: "
                               f"choose a {FILTER_NOUNS[key]} from the list"))
    return errors


def _case_or_404(slug: str, request: HttpRequest):
    try:
        return selectors.case_get(slug=slug)
    except PolicyError as exc:
        raise Http404(str(exc)) from None


@require_GET
def case_detail(request: HttpRequest, slug: str) -> HttpResponse:
    case = _case_or_404(slug, request)
    outgoing, incoming = selectors.case_links(case=case)
    sources = list(case.sources.all())
    return render(request, "policy/case.html", {
        "case": case, "tags": selectors.case_tags(case=case), "sources": sources,
        "outgoing": outgoing, "incoming": incoming, "kinds": TagKind,
        "related": selectors.case_related(case=case, limit=5),
        "related_stip": selectors.case_related(case=case, limit=3, layer=Layer.STIP)
        if case.is_local else [],
        "can_correct": case.is_local and can_propose(request.user),
        "revisions": list(case.revisions.select_related("actor")[:3]),
        "web_links": web_links(case.links or []), "evaluation_links": web_links(case.evaluation_links or []),
        "tag_facets": TAG_FACETS})


@require_GET
def case_history(request: HttpRequest, slug: str) -> HttpResponse:
    case = _case_or_404(slug, request)
    return render(request, "policy/history.html", {
        "case": case, "revisions": list(case.revisions.select_related("actor", "proposal")),
        "is_editor": is_editor(request.user)})


@require_GET
def resources(request: HttpRequest) -> HttpResponse:
    role = request.GET.get("role") or None
    if role and role not in ROLE_LABELS:
        role = None
    return render(request, "policy/resources.html", {
        "resources": selectors.resources_list(role=role), "role": role, "roles": ROLE_LABELS,
        "paths": selectors.learning_paths_list(), "cas": ca_list()})


@require_GET
def learning_path(request: HttpRequest, role: str) -> HttpResponse:
    try:
        path, steps = selectors.learning_path_get(role=role)
    except PolicyError as exc:
        raise Http404(str(exc)) from None
    return render(request, "policy/path.html", {"path": path, "steps": steps,
                                                "role_label": ROLE_LABELS.get(role, role)})
