"""The mandate simulator page: a rule set over the loaded portfolio, or an uploaded workbook."""

from __future__ import annotations

import base64
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_callable
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from locus.accounts.throttle import attempt_allowed, client_address, retry_after
from locus.collaboration import selectors
from locus.collaboration.connectors.innovate_uk import WorkbookError
from locus.collaboration.forms import errors_for_page, parameters_from, settings_stale
from locus.collaboration.rules.model import (
    FieldErrors,
    parameters_resolve,
    rule_set_get,
    rule_set_list,
)
from locus.collaboration.simulation import DIMENSION_TITLES, result_csv, simulate
from locus.collaboration.uploads import (
    MAX_UPLOAD_MB,
    WorkbookRowsError,
    portfolio_from_rows,
    request_size_problem,
    upload_provenance,
    workbook_rows_from_upload,
)
from locus.errors import LocusError

DEFAULT_RULE_SET = "ukri-collaboration-mandate"

# Workbooks the public upload reads per client address (``client_address``: behind trusted
# proxies, the address they saw) in a fixed window, counted in the database for every worker
# (ADR 28, second addendum). Reading one can hold a worker for seconds and up to about a gigabyte
# within the size limits; a person checking a workbook and correcting it sends a few a minute.
# The analysts' import, behind sign-in, has no such limit.
UPLOADS_PER_CLIENT = 5
UPLOAD_WINDOW = timedelta(minutes=1)


def _year(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdecimal() and 1900 <= int(text) <= 2100 else None


def _years(context: dict) -> tuple[int | None, int | None]:
    """The year filters. A value that is not a year is an error by its field, not ignored: a
    funder who typed "20201" must not get every year's projects without being told."""
    years = []
    for key, label in (("year_from", "From year"), ("year_to", "To year")):
        year = _year(context[key])
        if context[key].strip() and year is None:
            context["errors"].append((key, f"{label} must be a year, like 2020"))
        years.append(year)
    if years[0] and years[1] and years[0] > years[1]:
        context["errors"].append(("year_to", "To year must be the same as or after the from year"))
    return years[0], years[1]


def _context(request: HttpRequest, *, read_body: bool = True) -> dict:
    # an empty (or blank) rule_set= is no choice: the default rule set
    params = request.GET if request.method == "GET" or not read_body else request.POST
    rule_set_id = ((request.GET.get("rule_set") or params.get("rule_set") or "").strip()
                   or DEFAULT_RULE_SET)
    return {"rule_sets": rule_set_list(), "rule_set_id": rule_set_id,
            "parameters": parameters_from(params, rule_set_id),
            "funders": selectors.portfolio_funders(), "funder": params.get("funder", ""),
            "year_from": params.get("year_from", ""), "year_to": params.get("year_to", ""),
            "datasets": selectors.participant_datasets(), "errors": [], "result": None,
            "dimension_titles": DIMENSION_TITLES, "max_upload_mb": MAX_UPLOAD_MB}


def _run(context: dict, portfolio) -> None:
    try:
        rule_set = rule_set_get(rule_set_id=context["rule_set_id"])
        context["rule_set"] = rule_set
        context["result"] = simulate(portfolio, rule_set_id=rule_set.id,
                                     parameters=context["parameters"])
    except FieldErrors as exc:
        context["errors"] = errors_for_page(exc)


def _check_settings(context: dict) -> None:
    try:
        parameters_resolve(rule_set=rule_set_get(rule_set_id=context["rule_set_id"]),
                           overrides=context["parameters"])
    except FieldErrors as exc:
        context["errors"] += errors_for_page(exc)


def _settings_notice(params, context: dict, *, upload: bool = False) -> bool:
    """The settings block is shown again for the chosen rule set, and nothing is run, when the
    visitor asked for it ("Update settings") or chose another rule set than the settings shown
    were for. Returns whether to stop."""
    rule_set = next((r for r in context["rule_sets"] if r.id == context["rule_set_id"]), None)
    stale = settings_stale(params, rule_set)
    if not (params.get("update") or stale) or rule_set is None:
        return False
    context["rule_set"] = rule_set
    again = " and select the workbook again" if upload else ""
    context["settings_notice"] = (
        f"The settings for {rule_set.title} are shown. Check them{again}, then run the simulator."
        if params.get("update") else
        f"You chose {rule_set.title}, so its settings are shown now and nothing was run: check "
        f"them{again}, then run the simulator.")
    return True


@require_GET
def simulator(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    if context["datasets"] and request.GET.get("run") and not _settings_notice(request.GET, context):
        chosen = request.GET.get("dataset", "").strip()
        context["dataset_key"] = chosen
        _check_settings(context)  # every error at once, in the page's order, before any query
        if chosen and chosen not in {d.key for d in context["datasets"]}:
            # a hand-edited or stale link: say so by the field rather than simulate nothing
            context["errors"].append(("dataset", "Choose a portfolio from the list (there is no "
                                                 f"participant-level data called ‘{chosen[:80]}’)"))
        year_from, year_to = _years(context)
        context["sources"] = [d for d in context["datasets"] if not chosen or d.key == chosen]
        if not context["errors"]:
            portfolio = selectors.portfolio_get(dataset_keys=[chosen] if chosen else None,
                                                funder=context["funder"] or None,
                                                year_from=year_from, year_to=year_to)
            context["portfolio_size"] = len(portfolio)
            if len(portfolio):
                _run(context, portfolio)
            else:  # say which funders and years the data hold
                context["coverage"] = selectors.portfolio_coverage(
                    dataset_keys=[chosen] if chosen else None)
        if context["result"] and request.GET.get("format") == "csv":
            provenance = selectors.portfolio_provenance(dataset_keys=[chosen] if chosen else None)
            response = HttpResponse(result_csv(context["result"], provenance=provenance),
                                    content_type="text/csv")
            response["Content-Disposition"] = (
                f'attachment; filename="mandate-simulation-{context["rule_set_id"]}.csv"')
            return response
    context.setdefault("rule_set", next((r for r in context["rule_sets"]
                                         if r.id == context["rule_set_id"]), None))
    return render(request, "collaboration/simulator.html", context | {
        "error_title": bool(context["errors"])})


def _cross_site(request: HttpRequest) -> bool:
    """Whether a browser says this POST was sent from another site's page. Browsers send
    Sec-Fetch-Site with every request (Chrome 76, Firefox 90, Safari 16.4 on) and Origin with every
    POST; a script (curl, Python) sends neither and is not a cross-site request."""
    site = request.META.get("HTTP_SEC_FETCH_SITE", "")
    if site:
        return site not in ("same-origin", "none")  # "none": typed or bookmarked by the user
    origin = request.META.get("HTTP_ORIGIN", "")
    if not origin:
        return False
    return origin not in {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}


# Not Django's CSRF token: the simulator is public and the site promises visitors no cookies
# ("It sets no cookies unless you sign in"), and the token needs the csrftoken cookie. The upload
# stores nothing and acts as nobody, but another site's page must not be able to make a visitor's
# browser send it (ADR 28), so a cross-site POST is refused by the headers browsers send, before
# the body is read, and so is an upload that is too large by its declared length.
@csrf_exempt
@require_POST
def simulator_upload(request: HttpRequest) -> HttpResponse:
    if _cross_site(request):
        return get_callable(settings.CSRF_FAILURE_VIEW)(
            request, reason="the upload was sent from another site's page")
    problem = request_size_problem(request)
    if problem:  # refused from the declared length alone, before any of the body is received
        context = _context(request, read_body=False) | {"uploaded": True}
        return _upload_page(request, context | {"errors": [("workbook", problem)]})
    context = _context(request) | {"uploaded": True}
    upload = request.FILES.get("workbook")
    if _settings_notice(request.POST, context, upload=True):
        pass  # the settings shown were not the chosen rule set's: nothing is read or run
    elif upload is None:
        context["errors"] = [("workbook", "Select an Innovate UK funded-projects workbook")]
    elif (until := attempt_allowed(scope="simulator-upload", value=client_address(request),
                                   limit=UPLOADS_PER_CLIENT, window=UPLOAD_WINDOW)) is not None:
        when = timezone.localtime(until).strftime("%H:%M:%S")
        context["errors"] = [("workbook", f"You have sent {UPLOADS_PER_CLIENT} workbooks in the "
                                          "last minute, the most the simulator reads from one "
                                          f"network. Wait until {when}, then try again")]
        response = _upload_page(request, context, status=429)
        response["Retry-After"] = retry_after(until)
        return response
    else:
        try:
            context["upload_name"] = upload.name
            rows = workbook_rows_from_upload(upload)
            _run(context, portfolio_from_rows(rows))
            if context["result"]:  # the workbook is not kept, so the CSV travels in the page itself
                provenance = upload_provenance(name=upload.name, rows=rows)
                encoded = base64.b64encode(result_csv(context["result"], provenance=provenance)
                                           .encode()).decode()
                context["csv_href"] = f"data:text/csv;charset=utf-8;base64,{encoded}"
        except WorkbookRowsError as exc:  # one summary entry per row, the file named once
            context["report"] = exc.report
            context["errors"] = [("workbook", f"{exc.report.heading}, listed at the top of the page")]
        except WorkbookError as exc:  # nothing is imported here, so say only what is wrong
            context["errors"] = [("workbook", f"{upload.name} cannot be used: {exc.problems()}")]
        except LocusError as exc:
            context["errors"] = [("workbook", str(exc))]
    return _upload_page(request, context)


def _upload_page(request: HttpRequest, context: dict, *, status: int | None = None) -> HttpResponse:
    # the upload form's own inputs are u-param-..., u-rule_set: the summary links to them
    context["errors"] = [(f if f == "workbook" else f"u-{f}", m) for f, m in context["errors"]]
    context.setdefault("rule_set", next((r for r in context["rule_sets"]
                                         if r.id == context["rule_set_id"]), None))
    return render(request, "collaboration/simulator.html", context | {
        "error_title": bool(context["errors"])},
        status=status or (400 if context["errors"] else 200))
