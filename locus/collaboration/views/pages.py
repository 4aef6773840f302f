"""Reading pages: the overview, rule sets, organisations and the network view."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from locus.collaboration import selectors
from locus.collaboration.models import OrgType
from locus.collaboration.network_data import network_for_dataset
from locus.collaboration.partners import partner_evidence
from locus.collaboration.rules.model import FieldErrors, rule_set_get, rule_set_list
from locus.collaboration.sources import BUNDLED_SOURCES
from locus.collaboration.svg import network_svg
from locus.collaboration.uploads import MAX_UPLOAD_MB
from locus.errors import CollaborationError
from locus.networks.export import INDICATORS, Provenance, indicator_rows
from locus.networks.metrics import node_metrics, place_metrics


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "collaboration/home.html", {
        "rule_sets": rule_set_list(), "datasets": selectors.dataset_list(),
        "participant_datasets": selectors.participant_datasets()})


@require_GET
def rule_sets(request: HttpRequest) -> HttpResponse:
    return render(request, "collaboration/rule_sets.html", {"rule_sets": rule_set_list()})


@require_GET
def rule_set_detail(request: HttpRequest, rule_set_id: str) -> HttpResponse:
    try:
        rule_set = rule_set_get(rule_set_id=rule_set_id)
    except FieldErrors as exc:
        raise Http404(str(exc)) from None
    return render(request, "collaboration/rule_set.html", {"rs": rule_set})


@require_GET
def organisations(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    org_type = request.GET.get("type") or None
    if org_type not in (None, *OrgType.values):
        org_type = None
    from django.core.paginator import Paginator
    from django.utils.http import urlencode

    listing = Paginator(selectors.organisation_matches(query=query, org_type=org_type), 50)
    page = listing.get_page(request.GET.get("page"))  # a bad or past-the-end page shows the nearest
    keep = [(k, v) for k, v in (("q", query), ("type", org_type or "")) if v]
    pages = [{"number": n, "href": "?" + urlencode([*keep, ("page", n)]), "current": n == page.number}
             for n in listing.page_range] if listing.num_pages > 1 else []
    return render(request, "collaboration/organisations.html", {
        "query": query, "org_type": org_type, "types": OrgType.choices, "results": page.object_list,
        "page": page, "total": listing.count, "pages": pages})


@require_GET
def organisation(request: HttpRequest, organisation_id: int) -> HttpResponse:
    try:
        org = selectors.organisation_get(organisation_id=organisation_id)
    except CollaborationError as exc:
        raise Http404(str(exc)) from None
    return render(request, "collaboration/organisation.html",
                  {"profile": selectors.organisation_profile(organisation=org), "org": org,
                   "evidence": partner_evidence(org), "topics": selectors.organisation_topics(org)})


@require_GET
def network(request: HttpRequest) -> HttpResponse:
    datasets = selectors.network_datasets()
    key = request.GET.get("dataset", "").strip() or (datasets[0].key if datasets else "")
    level = request.GET.get("level", "lad") if request.GET.get("level") in ("lad", "itl3", "ca") \
        else "lad"
    if not datasets:
        return render(request, "collaboration/network.html", {"datasets": []})
    errors = []
    if key not in {d.key for d in datasets}:
        # a query value, not a page that does not exist: say so by the field, show the first network
        errors.append(("dataset", "Choose a network from the list (there is no network called "
                                  f"‘{key[:80]}’)"))
        key = datasets[0].key
    dataset, net = network_for_dataset(dataset_key=key)
    metrics = node_metrics(net)
    places = place_metrics(net, level=level, metrics=metrics)
    names = {n.places.get(level): n.places.get("lad_name") for n in net.nodes} if level == "lad" \
        else {}
    from locus.geography.models import Area

    names |= dict(Area.objects.filter(code__in=[p.code for p in places]).values_list("code", "name"))
    orgs = sorted(range(len(net.nodes)), key=lambda i: (-metrics.betweenness[i], -metrics.degree[i]))
    return render(request, "collaboration/network.html", {
        "datasets": datasets, "dataset": dataset, "level": level, "places": places,
        "names": names, "network": net, "metrics": metrics, "top": orgs[:40],
        "svg": network_svg(net, metrics, title=f"Collaboration network: {dataset.title}"),
        "indicators": INDICATORS, "counts": _network_counts(dataset, net),
        "type_labels": dict(OrgType.choices), "unplaced": _unplaced(net, level),
        "has_sizes": any(n.org_type == "business" and n.size for n in net.nodes),
        "errors": errors, "error_title": bool(errors)}, status=400 if errors else 200)


def _unplaced(net, level: str) -> dict:
    """Organisations the place table leaves out: those whose place is not known at this level and,
    for Combined Authorities, those in a district that no Combined Authority covers."""
    missing = [n for n in net.nodes if not n.places.get(level)]
    outside = sum(1 for n in missing if n.places.get("lad")) if level == "ca" else 0
    return {"total": len(net.nodes), "missing": len(missing), "outside": outside}


def _network_counts(dataset, net) -> dict | None:
    """Rows in the source file against what the network holds, when they differ (so the dataset's
    description and the chart do not seem to contradict each other)."""
    listed = dataset.summary or {}
    if "organisations" not in listed:
        return None
    drawn = {"organisations": net.graph.vcount(), "links": net.graph.ecount()}
    if drawn["organisations"] == listed["organisations"] and drawn["links"] == listed["links"]:
        return None
    return {"listed_organisations": listed["organisations"], "listed_links": listed.get("link_rows"),
            "self_links": listed.get("self_links_dropped", 0), **drawn}


@require_GET
def network_indicators_csv(request: HttpRequest) -> HttpResponse:
    import csv
    import io

    key = request.GET.get("dataset", "").strip() or "wales-network-2017"
    try:
        dataset, net = network_for_dataset(dataset_key=key)
    except CollaborationError as exc:  # a bad query value is a 400 naming it (a 404 is for a path)
        return HttpResponse(f"dataset: {exc}\n", status=400, content_type="text/plain; charset=utf-8")
    metrics = node_metrics(net)
    provenance = Provenance(dataset.key, dataset.vintage,
                            f"{dataset.attribution or dataset.publisher} ({dataset.licence})")
    rows = []
    for level in ("lad", "itl3", "ca"):
        rows += indicator_rows(place_metrics(net, level=level, metrics=metrics), provenance)
    out = io.StringIO()
    from locus.networks.export import COLUMNS

    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="network-indicators-{dataset.pk}.csv"'
    return response


@require_GET
def data(request: HttpRequest) -> HttpResponse:
    from django.contrib.messages import get_messages

    from locus.collaboration.permissions import is_analyst

    return render(request, "collaboration/data.html", {
        "datasets": selectors.dataset_list(), "sources": BUNDLED_SOURCES,
        "can_import": is_analyst(request.user), "notices": list(get_messages(request)),
        "pending_reviews": selectors.review_queue().count(), "max_upload_mb": MAX_UPLOAD_MB})
