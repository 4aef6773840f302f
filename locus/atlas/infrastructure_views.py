"""The infrastructure layer: list and map data for everyone; add, edit, delete and CSV import for
editors (administrators and analysts)."""

from __future__ import annotations

import csv
import io
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from locus.atlas import infrastructure as infra
from locus.atlas import selectors as sel
from locus.atlas.models import REGISTRY_KINDS, InfrastructureSite, SiteKind
from locus.atlas.permissions import can, can_edit_site, can_see_editors
from locus.atlas.text import plural

FIELDS = ("name", "type", "postcode", "source", "date_checked", "website", "notes")
MAX_UPLOAD = 2_000_000


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "atlas/forbidden.html", {"message": message}, status=403)


def editor_required(action: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, action):
                return _forbidden(request, "Only administrators and analysts can change the infrastructure "
                                           "registry. Ask an administrator for the analyst role.")
            return view(request, *args, **kwargs)
        return wrapper
    return decorator


def _site_or_404(pk: int) -> InfrastructureSite:
    try:
        return InfrastructureSite.objects.get(pk=pk)
    except InfrastructureSite.DoesNotExist:
        raise Http404("This site is not in the infrastructure list: it may have been deleted.") from None


@require_GET
def site_list(request: HttpRequest) -> HttpResponse:
    kind = (request.GET.get("kind") or "").strip()
    sites = InfrastructureSite.objects.all()
    error = ""
    if kind in SiteKind.values:
        sites = sites.filter(kind=kind)
    elif kind:  # an address written by hand: say so rather than quietly listing every site
        error = (f"\u201c{kind}\u201d is not a type of site: choose one from the list, or All types")
        sites = sites.none()
    counts = {k: 0 for k in SiteKind.values}
    for k in InfrastructureSite.objects.values_list("kind", flat=True):
        counts[k] += 1
    return render(request, "atlas/sites.html", {
        "sites": sites.order_by("kind", "name"), "kind": kind, "kinds": SiteKind.choices, "counts": counts,
        "kind_label": dict(SiteKind.choices).get(kind, ""), "error": error, "error_title": bool(error),
        "can_add": can(request.user, "add"), "can_import": can(request.user, "import"),
        "can_change": can(request.user, "change"),
        "area_names": sel.area_names(),  # a district's name beside its code
        # confirmations come from the session, never from the address (anyone could write one there)
        "notices": [str(m) for m in messages.get_messages(request)]}, status=400 if error else 200)


FIELD_LABELS = {"name": "Name", "kind": "Type", "postcode": "Postcode", "lat": "Latitude", "lon": "Longitude",
                "lad_code": "Local authority district", "itl3_code": "ITL3 area", "ca_code": "Combined Authority",
                "website": "Website", "source": "Source", "date_checked": "Date checked", "notes": "Notes"}


def _change_lines(change) -> list[tuple[str, str, str]]:
    kinds = dict(SiteKind.choices)
    def show(field, value):
        return "" if value in (None, "") else str(kinds.get(value, value) if field == "kind" else value)
    return [(FIELD_LABELS.get(f, f), show(f, before), show(f, after)) for f, (before, after) in change.changes.items()]


@require_GET
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An entry with its location, source and, for registry entries, its edit history: what changed
    and when for everyone; who changed it for editors only."""
    site = _site_or_404(pk)
    history = [(c, _change_lines(c)) for c in infra.site_history(site_ref=site.pk)]
    return render(request, "atlas/site.html", {
        "site": site, "history": history, "show_editors": can_see_editors(request.user),
        "can_change": can_edit_site(request.user, site), "labels": FIELD_LABELS, "area_names": sel.area_names()})


@require_GET
def sites_geojson(request: HttpRequest) -> JsonResponse:
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                 "properties": {"name": name, "kind": kind, "label": SiteKind(kind).label}}
                for name, kind, lat, lon in InfrastructureSite.objects.exclude(lat=None)
                .values_list("name", "kind", "lat", "lon")]
    return JsonResponse({"type": "FeatureCollection", "features": features})


FORM_ORDER = ("name", "type", "postcode", "source", "date_checked", "website", "notes")  # as on the page


def _form(request: HttpRequest, *, site: InfrastructureSite | None, data: dict, errors: list, status: int = 200):
    # GOV.UK: the error summary lists the problems in the order of the fields on the page
    errors = sorted(errors, key=lambda e: FORM_ORDER.index(e[0]) if e[0] in FORM_ORDER else len(FORM_ORDER))
    return render(request, "atlas/site_form.html", {
        "site": site, "data": data, "errors": errors, "error_fields": {f for f, _m in errors},
        "error_for": {f: m for f, m in reversed(errors)}, "kinds": [(k.value, k.label) for k in REGISTRY_KINDS],
        "error_title": bool(errors)}, status=status)


def _post_data(request: HttpRequest) -> dict:
    return {f: request.POST.get(f, "").strip() for f in FIELDS}


@require_http_methods(["GET", "POST"])
@editor_required("add")
def site_add(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _form(request, site=None, data={}, errors=[])
    data = _post_data(request)
    try:
        site = infra.site_create(data=data, user=request.user)
    except infra.SiteImportError as exc:
        return _form(request, site=None, data=data, errors=[(e.field, e.message) for e in exc.errors], status=400)
    messages.success(request, f"Added {site.name}.")
    return redirect("/atlas/infrastructure/")


@require_http_methods(["GET", "POST"])
@editor_required("change")
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = _site_or_404(pk)
    if not can_edit_site(request.user, site):
        return _forbidden(request, "Bundled entries (universities and makerspaces) are read-only.")
    if request.method == "GET":
        data = {"name": site.name, "type": site.kind, "postcode": site.postcode, "source": site.source,
                "date_checked": site.date_checked.isoformat(), "website": site.website, "notes": site.notes}
        return _form(request, site=site, data=data, errors=[])
    data = _post_data(request)
    try:
        infra.site_update(site=site, data=data, user=request.user)
    except infra.SiteImportError as exc:
        return _form(request, site=site, data=data, errors=[(e.field, e.message) for e in exc.errors], status=400)
    messages.success(request, f"Saved {site.name}.")
    return redirect("/atlas/infrastructure/")


@require_http_methods(["GET", "POST"])
@editor_required("delete")
def site_delete(request: HttpRequest, pk: int) -> HttpResponse:
    site = _site_or_404(pk)
    if not can_edit_site(request.user, site):
        return _forbidden(request, "Bundled entries (universities and makerspaces) are read-only.")
    if request.method == "POST":
        name = site.name
        infra.site_delete(site=site, user=request.user)
        messages.success(request, f"Deleted {name}.")
    return redirect("/atlas/infrastructure/")
    return render(request, "atlas/site_delete.html", {"site": site})


@require_http_methods(["GET", "POST"])
@editor_required("import")
def site_import(request: HttpRequest) -> HttpResponse:
    context = {"columns": infra.CSV_COLUMNS, "optional": infra.CSV_OPTIONAL,
               "kinds": [(k.value, k.label) for k in REGISTRY_KINDS], "row_errors": [], "errors": []}
    if request.method == "GET":
        return render(request, "atlas/site_import.html", context)
    upload = request.FILES.get("file")
    if upload is None or upload.size == 0:
        context.update(errors=[("file", "Choose a CSV file to import")], error_title=True)
        return render(request, "atlas/site_import.html", context, status=400)
    if upload.size > MAX_UPLOAD:
        context.update(errors=[("file", "The file must be smaller than 2 MB")], error_title=True)
        return render(request, "atlas/site_import.html", context, status=400)
    try:
        text = upload.read().decode("utf-8-sig")
        created = infra.sites_import_csv(text=text, user=request.user)
    except UnicodeDecodeError:
        context.update(errors=[("file", "The file must be a CSV file saved as UTF-8")], error_title=True)
        return render(request, "atlas/site_import.html", context, status=400)
    except infra.SiteImportError as exc:
        context.update(errors=[("file", str(exc).split(";")[0])], row_errors=exc.errors, error_title=True)
        return render(request, "atlas/site_import.html", context, status=400)
    messages.success(request, f"Imported {plural(len(created), 'site')}.")
    return redirect("/atlas/infrastructure/")


@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    example = {"name": "Example Science Park", "type": "science_park", "postcode": "CB4 0WS",
               "source": "https://example.org/about", "date_checked": "2026-01-15", "website": "https://example.org"}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=infra.CSV_COLUMNS + infra.CSV_OPTIONAL, lineterminator="\n")
    writer.writeheader()
    writer.writerow(example)  # every column present, optional ones empty
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="locus-infrastructure-template.csv"'
    return response


