"""Propose a case or a correction; editors review. Sign-in required."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from locus.errors import PolicyError
from locus.policy import selectors, services
from locus.policy.forms import CaseProposalForm, CorrectionForm, ReviewForm, form_errors
from locus.policy.models import Layer, Proposal, ProposalKind, ProposalStatus
from locus.policy.permissions import can_review_proposal, can_view_proposal, is_editor
from locus.policy.schema import GEOGRAPHY_LEVEL_LABELS, STAGE_LABELS


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "policy/forbidden.html", {"message": message}, status=403)


PROPOSAL_ORDER = ["title", "summary", "place", "country", "geography_level", "area_code",
                  "year_start", "year_end", "stages", "delivery_body", "what_was_done",
                  "outcomes", "evaluation_method", "sms_rating", "sms_justification",
                  "source_publisher", "source_title", "source_url", "source_date"]
CORRECTION_ORDER = ["field", "value", "sms_rating", "sms_justification", "reason",
                    "source_publisher", "source_title", "source_url", "source_date"]


@login_required
def case_propose(request: HttpRequest) -> HttpResponse:
    form = CaseProposalForm(request.POST or None, initial={"country": "United Kingdom"})
    if request.method == "POST" and form.is_valid():
        proposal = services.proposal_create(user=request.user, kind=ProposalKind.NEW,
                                            data=form.to_data())
        return redirect("policy:proposal", pk=proposal.pk)
    return render(request, "policy/propose.html", {
        "form": form, "errors": form_errors(form, PROPOSAL_ORDER) if form.is_bound else [],
        "levels": GEOGRAPHY_LEVEL_LABELS, "stages": STAGE_LABELS})


@login_required
def correction_propose(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        case = selectors.case_get(slug=slug)
    except PolicyError as exc:
        raise Http404(str(exc)) from None
    if case.layer != Layer.LOCAL:
        raise Http404("Corrections are for cases in the case library.")
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        proposal = services.proposal_create(user=request.user, kind=ProposalKind.CORRECTION,
                                            data=form.to_data(), case=case)
        return redirect("policy:proposal", pk=proposal.pk)
    return render(request, "policy/correct.html", {
        "case": case, "form": form,
        "errors": form_errors(form, CORRECTION_ORDER) if form.is_bound else [],
        "fields": services.CORRECTABLE})


@login_required
def proposals_mine(request: HttpRequest) -> HttpResponse:
    mine = Proposal.objects.filter(proposed_by=request.user).select_related("case")
    return render(request, "policy/proposals.html", {"proposals": list(mine),
                                                     "is_editor": is_editor(request.user)})


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.select_related("case", "proposed_by",
                                                                 "reviewed_by"), pk=pk)
    if not can_view_proposal(request.user, proposal):
        return _forbidden(request, "Only the person who made a proposal and editors can see it.")
    may_review = can_review_proposal(request.user, proposal)
    form = ReviewForm(request.POST or None)
    error = None
    if request.method == "POST":
        if not may_review:
            return _forbidden(request, "You cannot review this proposal: editors review pending "
                                       "proposals made by someone else.")
        if form.is_valid():
            try:
                services.proposal_review(proposal=proposal, user=request.user,
                                         accept=form.cleaned_data["decision"] == "accept",
                                         note=form.cleaned_data["note"])
            except PolicyError as exc:
                error = str(exc)
            else:
                return redirect("policy:proposal", pk=proposal.pk)
    return render(request, "policy/proposal.html", {
        "proposal": proposal, "may_review": may_review, "form": form, "error": error,
        "errors": form_errors(form, ["decision", "note"]) if form.is_bound else [],
        "fields": services.CORRECTABLE, "stage_labels": STAGE_LABELS,
        "levels": GEOGRAPHY_LEVEL_LABELS, "is_editor": is_editor(request.user)})


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    if not is_editor(request.user):
        return _forbidden(request, "Only editors can review proposals. Editors are "
                                   "administrators and analysts, or users an administrator "
                                   "has given the permission.")
    pending = Proposal.objects.filter(status=ProposalStatus.PENDING).select_related(
        "case", "proposed_by")
    decided = Proposal.objects.exclude(status=ProposalStatus.PENDING).select_related(
        "case", "proposed_by", "reviewed_by")[:20]
    return render(request, "policy/review.html", {"pending": list(pending),
                                                  "decided": list(decided)})
