"""Analysts and administrators: import a workbook, decide uncertain matches."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from locus.collaboration import selectors
from locus.collaboration.connectors.innovate_uk import WorkbookError
from locus.collaboration.permissions import analysts_only
from locus.collaboration.services import innovate_uk_import, review_decide
from locus.collaboration.sources import BUNDLED_SOURCES
from locus.collaboration.uploads import (
    MAX_UPLOAD_MB,
    WorkbookReport,
    request_size_problem,
    upload_problem,
    workbook_report,
)
from locus.errors import LocusError
from locus.web.requests import posted_id


@analysts_only
@require_http_methods(["GET", "POST"])
@csrf_exempt  # only so that the size is checked before the body is read: the CSRF check reads it
def data_import(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":  # a reload or bookmark of a failed import's page: show the form
        return redirect("collaboration:data")
    problem = request_size_problem(request)
    if problem:  # refused from the declared length alone, before any of the body is received
        return _import_failed(request, [problem], rows=False)
    return _data_import(request)


def _import_failed(request: HttpRequest, errors: list[str], *, rows: bool,
                   report: WorkbookReport | None = None, name: str = "") -> HttpResponse:
    return render(request, "collaboration/data.html", {
        "datasets": selectors.dataset_list(), "sources": BUNDLED_SOURCES, "can_import": True,
        "import_errors": errors, "import_rows": rows, "report": report, "upload_name": name,
        "pending_reviews": selectors.review_queue().count(),
        "error_title": True, "max_upload_mb": MAX_UPLOAD_MB}, status=400)


@csrf_protect
def _data_import(request: HttpRequest) -> HttpResponse:
    import tempfile
    from pathlib import Path

    upload = request.FILES.get("workbook")
    errors: list[str] = []
    rows = False
    report = None
    if upload is None:
        errors = ["Select the Innovate UK funded-projects workbook to import"]
    elif upload_problem(upload):
        errors = [upload_problem(upload)]
    else:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(upload.name).name
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                summary = innovate_uk_import(path=path, display_name=upload.name)
            except WorkbookError as exc:
                report = workbook_report(exc, name=upload.name)
                errors = ([f"{report.heading}, listed at the top of the page"] if report else
                          [f"{Path(upload.name).name} cannot be used: {exc.problems()}"])
                rows = report is not None
            except LocusError as exc:
                found = getattr(exc, "errors", [])
                errors = [str(e) for e in found] or [str(exc)]
                rows = any(getattr(e, "line", 0) for e in found)
    if errors:
        return _import_failed(request, errors, rows=rows, report=report,
                              name=Path(upload.name).name if upload is not None else "")
    messages.success(request, f"Imported {summary['projects']:,} projects and "
                              f"{summary['participations']:,} participations from {upload.name}.")
    return redirect("collaboration:data")


@analysts_only
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        review_id, decision = posted_id(request, "review"), request.POST.get("decision")
        if decision not in ("same", "different"):
            raise BadRequest("decision must be 'same' or 'different'")
        try:
            review_decide(review_id=review_id, same=decision == "same", user=request.user)
            messages.success(request, "Decision recorded.")
        except LocusError as exc:
            messages.error(request, str(exc))
        return redirect("collaboration:review")
    return render(request, "collaboration/review.html", {
        "reviews": selectors.review_queue()[:100], "total": selectors.review_queue().count(),
        "notices": list(messages.get_messages(request))})
