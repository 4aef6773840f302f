"""Combined Authority peers, the cost model and the strategy evidence pack."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from locus.errors import PolicyError
from locus.policy import costs
from locus.policy.charts import money_short, tornado_chart
from locus.policy.costmodel import cost_model_get
from locus.policy.focus import place_focus_get
from locus.policy.packs import GENERATED_MARK, pack_filename, pack_pdf_cached, strategy_pack_build
from locus.policy.places import ca_get, ca_list, ca_peers
from locus.policy.schema import STAGE_LABELS
from locus.web.pdf_budget import RenderRefused, pdf_budget, pdf_refused_page


def _ca_or_404(code: str):
    try:
        return ca_get(code=code)
    except PolicyError as exc:
        raise Http404(str(exc)) from None


@require_GET
def peers(request: HttpRequest) -> HttpResponse:
    code = _ca_code(request)
    if code:
        return redirect("policy:peers_for", code=code)
    return render(request, "policy/peers_choose.html", {"cas": ca_list()})


@require_GET
def your_place(request: HttpRequest) -> HttpResponse:
    code = _ca_code(request)
    if code:
        return redirect("policy:place", code=code)
    return render(request, "policy/place_choose.html", {"cas": ca_list()})


@require_GET
def place(request: HttpRequest, code: str) -> HttpResponse:
    area = _ca_or_404(code)
    return render(request, "policy/place.html", {"area": area, "focus": place_focus_get(area=area),
                                                "stage_labels": STAGE_LABELS})


@require_GET
def peers_for(request: HttpRequest, code: str) -> HttpResponse:
    area = _ca_or_404(code)
    match = ca_peers(area=area, limit=5)
    return render(request, "policy/peers.html", {"area": area, "match": match,
                                                 "features": match.matrix.features,
                                                 "cas": ca_list()})


def _short(label: str, width: int = 42) -> str:
    """A chart label of at most ``width`` characters, cut at a word with an ellipsis."""
    if len(label) <= width:
        return label
    return label[:width - 1].rsplit(" ", 1)[0].rstrip(" ,(") + "…"


def _ca_code(request: HttpRequest) -> str:
    """The chosen Combined Authority's code, if it looks like a GSS code (letters and digits only:
    a blank or a '/' could not be put in the address and gave a server error)."""
    code = request.GET.get("ca", "").strip().upper()[:12]
    return code if re.fullmatch(r"[A-Z0-9]+", code) else ""


@require_GET
def cost_model(request: HttpRequest) -> HttpResponse:
    model = cost_model_get()
    values, errors = costs.defaults(model.assumptions), {}
    edited = any(request.GET.get(k) for k in model.assumptions)
    if edited:
        try:
            values = costs.scenario_parse(request.GET, model.assumptions)
        except costs.CostModelError as exc:
            errors = exc.errors
    result = None if errors else costs.breakdown(values)
    swings = [] if errors else costs.sensitivity(model.assumptions, values)
    chart = "" if errors else tornado_chart(
        title="How much the annual total moves when each assumption goes from its low to its "
              "high value (others held)", base=result.total,
        rows=[(_short(s.label), s.total_at_low, s.total_at_high) for s in swings[:8]])
    return render(request, "policy/cost_model.html", {
        "model": model, "values": values, "errors": errors, "edited": edited, "result": result,
        "verdict": costs.verdict(result.total) if result else None, "swings": swings,
        "chart": chart, "measures": costs.MEASURES, "brief": costs.BRIEF_SOURCE,
        "brief_section": costs.BRIEF_SECTION,
        "bounds": costs.bounds(model.assumptions),
        "reliance": costs.reliance(model.assumptions, result, values if edited else None) if result else None,
        "limits": {k: costs.limits(a) for k, a in model.assumptions.items()},
        "raw": {k: request.GET.get(k, "") for k in model.assumptions}, "money": money_short,
        "outside": costs.outside_plausible(values, model.assumptions) if edited and result else [],
        "error_title": bool(errors)})


@require_GET
def packs(request: HttpRequest) -> HttpResponse:
    code = _ca_code(request)
    if code:
        return redirect("policy:pack", code=code)
    return render(request, "policy/packs_choose.html", {"cas": ca_list()})


def _pack_context(code: str) -> dict:
    area = _ca_or_404(code)
    try:
        pack = strategy_pack_build(area=area)
    except PolicyError as exc:
        raise Http404(str(exc)) from None
    return {"pack": pack, "area": area, "measures": costs.MEASURES, "money": money_short,
            "brief": costs.BRIEF_SOURCE, "stage_labels": STAGE_LABELS}


@require_GET
def pack(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "policy/pack.html", _pack_context(code))


@require_GET
def pack_pdf(request: HttpRequest, code: str) -> HttpResponse:
    context = _pack_context(code)
    html = render_to_string("policy/pack_print.html", {**context, "generated": GENERATED_MARK}, request=request)
    try:
        pdf, _hit = pack_pdf_cached(code=context["area"].code, html=html, base_url=request.build_absolute_uri("/"),
                                    generated=context["pack"].generated_at.strftime("%-d %B %Y"),
                                    budget=pdf_budget(request, kind="strategy-pack"))
    except RenderRefused as exc:
        return pdf_refused_page(request, exc, what="strategy evidence pack",
                                online_url=reverse("policy:pack", args=[context["area"].code]))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pack_filename(context["area"])}"'
    return response
