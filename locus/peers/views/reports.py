"""Outcomes report, anonymised export for evaluators, and the cost ledger."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from locus.peers.costs import REFUSAL, cost_record, cost_summary
from locus.peers.errors import PeersFieldError
from locus.peers.forms import CostForm, form_errors
from locus.peers.models.outcomes import CostCategory, Wave
from locus.peers.outcomes import EXPORT_COLUMNS, evaluator_export_csv, outcomes_report
from locus.peers.views.common import field_error, guarded, managed_programme, page


@guarded
def outcomes(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme(request, slug)
    wave = request.GET.get("wave") if request.GET.get("wave") in (Wave.END, Wave.FOLLOW_UP) \
        else Wave.END
    return page(request, "peers/outcomes.html", {
        "programme": programme, "report": outcomes_report(programme=programme, wave=wave),
        "waves": [(Wave.END, "Programme end"), (Wave.FOLLOW_UP, "Six months after the end")],
        "columns": EXPORT_COLUMNS})


@guarded
def outcomes_export(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme(request, slug)
    response = HttpResponse(evaluator_export_csv(programme=programme),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{programme.slug}-anonymised.csv"'
    return response


@guarded
def costs(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme(request, slug)
    form = CostForm(request.POST or None, initial={"incurred_on": timezone.localdate()})
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
            messages.success(request, f"£{entry.amount:,.2f} of {kind} recorded.")
            return redirect("peers:costs", slug=slug)
    return page(request, "peers/costs.html", {
        "programme": programme, "form": form, "errors": form_errors(form),
        "summary": cost_summary(programme=programme), "categories": CostCategory.choices,
        "entries": list(programme.costs.select_related("group", "meeting")[:200]),
        "refusal": REFUSAL})
