"""Pages for facilitators (their groups) and firm members (their firm, group, diagnostics,
actions and personal data)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone

from locus.errors import PeersError
from locus.peers import permissions as perms
from locus.peers import selectors
from locus.peers.diagnostics import ADOPTION, AREAS, MANAGEMENT_QUESTIONS, TECHNOLOGIES
from locus.peers.errors import PeersFieldError
from locus.peers.explain import own_placement_reasons
from locus.peers.forms import DiagnosticForm, form_errors
from locus.peers.meetings import action_report
from locus.peers.models import ActionItem
from locus.peers.models.meetings import ActionStatus
from locus.peers.models.outcomes import Wave
from locus.peers.outcomes import baseline_refusal, diagnostic_submit, wave_opens_on
from locus.peers.privacy import contact_erase, contact_export
from locus.peers.views.common import field_error, guarded, need, page
from locus.web.requests import posted_id


@guarded
def facilitator_home(request: HttpRequest) -> HttpResponse:
    need(perms.is_facilitator(request.user) or perms.is_admin(request.user),
         "This page is for facilitators.")
    return page(request, "peers/facilitate.html", selectors.facilitator_home(user=request.user))


def _own_firm(request: HttpRequest):
    firm = perms.user_firm(user=request.user)
    need(firm is not None, "This page is for firms taking part in a programme. Sign in with the "
                           "account you created when you registered.")
    return firm


@guarded
def member_home(request: HttpRequest) -> HttpResponse:
    firm = _own_firm(request)
    if request.method == "POST":
        action = get_object_or_404(ActionItem, pk=posted_id(request, "action_id"), firm=firm)
        try:
            action_report(action=action, status=request.POST.get("status", ""))
            messages.success(request, "Your action has been updated.")
        except PeersFieldError as exc:
            messages.error(request, str(exc))
        return redirect("peers:my")
    return page(request, "peers/my.html", {
        "firm": firm, "programme": firm.programme, "group": firm.group,
        "placement": _placement(firm),
        **selectors.member_home(firm=firm), "waves": Wave.choices,
        "opens": {w: wave_opens_on(programme=firm.programme, wave=w) for w in Wave.values},
        "today": timezone.localdate(), "now": timezone.now(), "statuses": ActionStatus.choices,
        "baseline_refusal": baseline_refusal(firm=firm)})


def _placement(firm) -> list[str]:
    """Why the firm is in its group, as its members may read it (the group page's reasons are
    for the programme team and facilitators)."""
    if firm.group_id is None or firm.withdrawn_at is not None:
        return []
    explanation = selectors.group_explanations_get(programme=firm.programme,
                                                   groups=[firm.group])[firm.group_id]
    names = {str(pk): name for pk, name in firm.group.firms.values_list("pk", "name")}
    return own_placement_reasons(explanation, firm.pk, names)


@guarded
def diagnostic(request: HttpRequest) -> HttpResponse:
    firm = _own_firm(request)
    wave = request.GET.get("wave") if request.GET.get("wave") in Wave.values else Wave.BASELINE
    existing = firm.diagnostics.filter(wave=wave).first()
    form = DiagnosticForm(request.POST or None,
                          initial={"wave": wave, **(existing.answers if existing else {})})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            response = diagnostic_submit(firm=firm, wave=d["wave"], user=request.user,
                                         answers={k: v for k, v in d.items() if k != "wave"})
        except PeersError as exc:  # a field error, or any other rule: never a 500
            field_error(form, exc)
        else:
            messages.success(request, f"Thank you. Your management practices score is "
                                      f"{response.management_score:.3f} and your digital "
                                      f"adoption index is {response.digital_index:.3f} "
                                      "(both out of 1).")
            return redirect("peers:my")
    return page(request, "peers/diagnostic.html", {
        "firm": firm, "form": form, "errors": form_errors(form), "areas": AREAS,
        "questions": [(q, [(v, label) for v, label, _ in q.options])
                      for q in MANAGEMENT_QUESTIONS],
        "technologies": TECHNOLOGIES, "adoption": [(v, label) for v, label, _ in ADOPTION],
        **_waves(firm),
        "baseline_refusal": baseline_refusal(firm=firm) if wave == Wave.BASELINE else None})


def _waves(firm) -> dict:
    """The survey waves a firm may answer today, and when each of the others opens (the page
    offers only the open ones; answering one that has not opened was refused only after the
    whole survey)."""
    today = timezone.localdate()
    opens = {w: wave_opens_on(programme=firm.programme, wave=w) for w in Wave.values}
    return {"waves": [(w, label) for w, label in Wave.choices
                      if opens[w] is None or opens[w] <= today],
            "waves_later": [(label, opens[w]) for w, label in Wave.choices
                            if opens[w] is not None and opens[w] > today]}


def _own_contact(request: HttpRequest):
    contact = getattr(request.user, "peer_contact", None) if request.user.is_authenticated \
        else None
    need(contact is not None and contact.erased_at is None,
         "This page is for contacts of firms taking part in a programme.")
    return contact


@guarded
def my_data(request: HttpRequest) -> HttpResponse:
    contact = _own_contact(request)
    return page(request, "peers/my_data.html", {"contact": contact, "firm": contact.firm,
                                                "programme": contact.firm.programme})  # for the DEMO banner


@guarded
def my_data_json(request: HttpRequest) -> HttpResponse:
    contact = _own_contact(request)
    response = HttpResponse(json.dumps(contact_export(contact=contact), indent=2),
                            content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="my-locus-data.json"'
    return response


@guarded
def my_erase(request: HttpRequest) -> HttpResponse:
    contact = _own_contact(request)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        contact_erase(contact=contact)
        logout(request)
        return page(request, "peers/erased.html", {})
    return page(request, "peers/my_erase.html", {"contact": contact,
                                                 "missing": request.method == "POST"})
