"""Outcomes report, anonymised export for evaluators, and the cost ledger."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from locus.peers import selectors
from locus.peers.costs import (
    CATEGORIES_HINT,
    CATEGORY_HINTS,
    REFUSAL,
    budget_overrun_text,
    cost_correct,
    cost_field_problems,
    cost_record,
    cost_remove,
    cost_summary,
    cost_superseded_text,
)
from locus.peers.errors import CostSupersededError, PeersFieldError
from locus.peers.forms import CostCorrectionForm, CostForm, CostRemovalForm, form_errors
from locus.peers.models import CostEntry
from locus.peers.models.outcomes import CostCategory, Wave
from locus.peers.outcomes import (
    SMALL_GROUP,
    evaluator_export_csv,
    export_columns,
    outcomes_report,
)
from locus.peers.views.common import field_error, guarded, managed_programme, page


@guarded
def outcomes(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme(request, slug)
    wave = request.GET.get("wave") if request.GET.get("wave") in (Wave.END, Wave.FOLLOW_UP) \
        else Wave.END
    return page(request, "peers/outcomes.html", {
        "programme": programme, "report": outcomes_report(programme=programme, wave=wave),
        "waves": [(Wave.END, "Programme end"), (Wave.FOLLOW_UP, "Six months after the end")],
        "columns": export_columns(programme=programme), "small_group": SMALL_GROUP,
        "counts": selectors.programme_counts(programme=programme)})


@guarded
def outcomes_export(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme(request, slug)
    response = HttpResponse(evaluator_export_csv(programme=programme),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{programme.slug}-pseudonymised.csv"'
    return response


@guarded
def costs(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme(request, slug)
    form = CostForm(request.POST or None, initial={"incurred_on": timezone.localdate()})
    if request.method == "POST" and not form.is_valid():
        _ledger_errors_too(form, programme)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            entry = cost_record(programme=programme, category=d["category"], amount=d["amount"],
                                incurred_on=d["incurred_on"], description=d["description"],
                                supplier=d["supplier"], user=request.user)
        except PeersFieldError as exc:
            field_error(form, exc)
        else:
            kind = entry.get_category_display().lower()
            done = f"£{entry.amount:,.2f} of {kind} recorded."
            over = budget_overrun_text(programme=programme)
            (messages.warning if over else messages.success)(request, f"{done} {over}".strip())
            return redirect("peers:costs", slug=slug)
    return page(request, "peers/costs.html", {
        "programme": programme, "form": form, "errors": form_errors(form),
        "summary": cost_summary(programme=programme), "categories": CostCategory.choices,
        "category_hints": CATEGORY_HINTS, "categories_hint": CATEGORIES_HINT,
        **_ledger(request, programme), "refusal": REFUSAL})


LEDGER_PAGE = 50


def _ledger(request: HttpRequest, programme) -> dict:
    """The ledger's entries filtered by month and category (GET, no JavaScript) and paged."""
    months = list(programme.costs.dates("incurred_on", "month", order="DESC"))
    month_keys = {m.strftime("%Y-%m"): m for m in months}
    month, category = request.GET.get("month", ""), request.GET.get("category", "")
    problems = {}
    if month and month not in month_keys:
        problems["month"] = "Choose a month from the list"
        month = ""
    if category and category not in CostCategory.values:
        problems["category"] = "Choose a category from the list"
        category = ""
    entries = programme.costs.select_related("corrects", "correction", "superseded_by")
    if month:
        first = month_keys[month]
        entries = entries.filter(incurred_on__year=first.year, incurred_on__month=first.month)
    if category:
        entries = entries.filter(category=category)
    listing = Paginator(entries, LEDGER_PAGE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("month", month), ("category", category)) if v})
    return {"ledger": listing, "entries": list(listing), "ledger_query": query,
            "ledger_months": [(k, m.strftime("%B %Y")) for k, m in month_keys.items()],
            "ledger_month": month, "ledger_category": category, "ledger_problems": problems,
            "ledger_filtered": bool(month or category),
            "ledger_any": bool(months)}


def _ledger_errors_too(form, programme) -> None:
    """A cost form with errors of its own also gets the ledger's errors for the fields it could
    read (an amount that is not pounds, a date outside the programme), in the fields' order."""
    for problem in cost_field_problems(programme=programme, values={
            k: v for k, v in form.cleaned_data.items() if k not in form.errors}):
        if problem.field not in form.errors:
            field_error(form, problem)
    ordered = {k: form.errors[k] for k in ["__all__", *form.fields] if k in form.errors}
    form.errors.clear()
    form.errors.update(ordered)


def _entry_values(entry: CostEntry) -> dict:
    return {"category": entry.category, "amount": f"{entry.amount:.2f}",
            "incurred_on": entry.incurred_on, "description": entry.description,
            "supplier": entry.supplier}


@guarded
def cost_change(request: HttpRequest, slug: str, pk: int, mode: str = "correct"
                ) -> HttpResponse:
    """Correct an entry (a new entry replaces it) or remove it, each on its own page (mode);
    the old one stays, marked."""
    programme = managed_programme(request, slug)
    entry = CostEntry.objects.filter(pk=pk, programme=programme).first()
    if entry is None:
        raise Http404("There is no such cost in this programme's ledger.")
    action = mode if request.method == "POST" and entry.superseded_at is None else None
    correct = CostCorrectionForm(request.POST if action == "correct" else None,
                                 initial=_entry_values(entry))
    remove = CostRemovalForm(request.POST if action == "remove" else None)
    form = remove if action == "remove" else correct
    # a correction or removal of an entry already superseded: the page says by whom and why
    status = 409 if request.method == "POST" and entry.superseded_at is not None else 200
    if action == "correct" and not form.is_valid():
        _ledger_errors_too(form, programme)
    if action in ("correct", "remove") and form.is_valid():
        d = form.cleaned_data
        try:
            if action == "correct":
                new = cost_correct(entry=entry, category=d["category"], amount=d["amount"],
                                   incurred_on=d["incurred_on"], description=d["description"],
                                   supplier=d["supplier"], reason=d["reason"],
                                   user=request.user)
                done = f"The entry is corrected: £{new.amount:,.2f} now counts instead of " \
                       f"£{entry.amount:,.2f}."
            else:
                cost_remove(entry=entry, reason=d["removal_reason"], user=request.user)
                done = f"The entry of £{entry.amount:,.2f} is removed from the totals."
        except CostSupersededError:  # someone corrected or removed it a moment ago
            entry.refresh_from_db()
            correct, remove = (CostCorrectionForm(initial=_entry_values(entry)),
                               CostRemovalForm())
            form = correct
            status = 409
        except PeersFieldError as exc:
            field_error(form, exc)
        else:
            over = budget_overrun_text(programme=programme)
            (messages.warning if over else messages.success)(request, f"{done} {over}".strip())
            return redirect("peers:costs", slug=slug)
    return page(request, "peers/cost_change.html", {
        "programme": programme, "entry": entry, "correct": correct, "remove": remove,
        "mode": mode,
        "errors": form_errors(form), "categories": CostCategory.choices,
        "category_hints": CATEGORY_HINTS, "categories_hint": CATEGORIES_HINT,
        "superseded": cost_superseded_text(entry=entry) if entry.superseded_at else ""},
        status=status)
