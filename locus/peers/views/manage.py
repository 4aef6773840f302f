"""Manager pages for running a programme without the Django admin: edit the programme, cohorts,
add firms and contacts by hand, and declare pairs of firms to keep apart."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from locus.peers import selectors
from locus.peers.errors import PeersFieldError
from locus.peers.firms import ContactData, contact_add, firm_add, pair_declare, pair_remove
from locus.peers.forms import form_errors
from locus.peers.forms_manage import (
    CohortForm,
    ContactForm,
    FirmAddForm,
    PairForm,
    ProgrammeEditForm,
)
from locus.peers.models import Cohort, DeclaredPair, Firm
from locus.peers.models.programme import GroupMode
from locus.peers.programmes import EDITABLE, cohort_create, programme_update, registration_set
from locus.peers.services import ProgrammeData, registration_problems
from locus.peers.views.common import field_error, guarded, managed_programme, page
from locus.peers.views.programmes import _places, _themes
from locus.peers.views.public import _data
from locus.web.requests import posted_id


def _edit_initial(programme) -> dict:
    themes = list(programme.themes.all())
    return {**{k: getattr(programme, k) for k in EDITABLE}, "name": programme.name,
            "starts_on": programme.starts_on, "ends_on": programme.ends_on,
            "places": ", ".join(a.name for a in programme.places.all()),
            "digital_themes": "\n".join(t.name for t in themes if t.kind == "digital"),
            "management_themes": "\n".join(t.name for t in themes if t.kind == "management")}


@guarded
def programme_edit(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme(request, slug)
    form = ProgrammeEditForm(request.POST or None, initial=_edit_initial(programme))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            changed = programme_update(programme=programme, data=ProgrammeData(
                name=d["name"], summary=d["summary"], starts_on=d["starts_on"],
                ends_on=d["ends_on"], budget=d["budget"], delivery_partner=d["delivery_partner"],
                place_codes=_places(d["places"]), themes=_themes(d),
                rules={k: d[k] for k in EDITABLE if k not in
                       ("summary", "budget", "delivery_partner")}))
        except PeersFieldError as exc:
            field_error(form, exc)
        else:
            extra = f" The eligibility of {changed} firms not yet in a group changed." \
                if changed else ""
            messages.success(request, f"{programme.name} has been saved.{extra}")
            return redirect("peers:dashboard", slug=programme.slug)
    return page(request, "peers/programme_new.html", {
        "form": form, "errors": form_errors(form), "programme": programme, "editing": True})


@guarded
def programme_registration(request: HttpRequest, slug: str) -> HttpResponse:
    """Open or close registration from the programme's page (a POST with open=yes|no)."""
    programme = managed_programme(request, slug)
    wanted = request.POST.get("open") if request.method == "POST" else None
    if wanted in ("yes", "no"):
        is_open = wanted == "yes"
        if registration_set(programme=programme, is_open=is_open):
            messages.success(request, f"Registration for {programme.name} is now "
                             + ("open: the programme is listed on the Peer networks page."
                                if is_open else "closed: the programme is no longer listed on "
                                "the Peer networks page."))
    return redirect("peers:dashboard", slug=programme.slug)


@guarded
def cohorts(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme(request, slug)
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = cohort_create(programme=programme, name=form.cleaned_data["name"],
                                   starts_on=form.cleaned_data["starts_on"])
        except PeersFieldError as exc:
            field_error(form, exc)
        else:
            messages.success(request, f"{cohort.name} has been created.")
            return redirect("peers:cohort", slug=slug, pk=cohort.pk)
    return page(request, "peers/cohorts.html", {
        "programme": programme, "form": form, "errors": form_errors(form),
        "cohorts": selectors.cohort_overview(programme=programme)})


@guarded
def cohort_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = managed_programme(request, slug)
    cohort = get_object_or_404(Cohort, pk=pk, programme=programme)
    return page(request, "peers/cohort.html", {
        "programme": programme, "cohort": cohort,
        "funnel": selectors.programme_funnel(programme=programme, cohort=cohort),
        "firms": cohort.firms.select_related("group", "lad").order_by("name"),
        "groups": selectors.groups_overview(programme=programme).filter(cohort=cohort)
        .defer("explanation"), "mode_names": dict(GroupMode.choices)})


@guarded
def firm_new(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme(request, slug)
    form = FirmAddForm(request.POST or None, programme=programme,
                       initial={"cohort": getattr(programme.cohorts.first(), "pk", None)})
    if request.method == "POST":
        form.is_valid()
        # the fields the form could read are checked at once too, as on the public form, so
        # every problem shows in one round (no password here)
        for problem in registration_problems(
                values={k: v for k, v in form.cleaned_data.items() if k not in form.errors},
                check_password=False):
            if problem.field not in form.errors:
                field_error(form, problem)
    if request.method == "POST" and form.is_valid():
        form.cleaned_data["password"] = ""
        try:
            firm = firm_add(programme=programme, data=_data(form),
                            cohort=programme.cohorts.filter(pk=form.cleaned_data["cohort"])
                            .first())
        except PeersFieldError as exc:
            field_error(form, exc)
        else:
            state = "eligible" if firm.eligible else "not eligible: " + "; ".join(
                firm.ineligible_reasons)
            messages.success(request, f"{firm.name} has been added ({state}).")
            return redirect("peers:firm", slug=slug, pk=firm.pk)
    return page(request, "peers/firm_new.html", {
        "programme": programme, "form": form, "errors": form_errors(form),
        "themes": list(programme.themes.all())})


def _firm(programme, pk: int) -> Firm:
    firm = Firm.objects.select_related("group").filter(pk=pk, programme=programme).first()
    if firm is None:
        raise Http404("There is no firm at this address.")
    return firm


@guarded
def contact_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = managed_programme(request, slug)
    firm = _firm(programme, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            contact = contact_add(firm=firm, data=ContactData(
                name=d["name"], email=d["email"], phone=d["phone"], job_title=d["job_title"],
                consent_research=d["consent_research"]))
        except PeersFieldError as exc:
            field_error(form, exc)
        else:
            messages.success(request, f"{contact.name} has been added as a contact.")
            return redirect("peers:firm", slug=slug, pk=firm.pk)
    return page(request, "peers/contact_new.html", {
        "programme": programme, "firm": firm, "form": form, "errors": form_errors(form)})


def _pair_post(request: HttpRequest, firm: Firm, form: PairForm) -> bool:
    if request.POST.get("action") == "remove":
        pair = get_object_or_404(DeclaredPair, pk=posted_id(request, "pair"),
                                 programme=firm.programme)
        pair_remove(pair=pair)
        messages.success(request, "The two firms may now be placed in the same group.")
        return True
    if not form.is_valid():
        return False
    d = form.cleaned_data
    other = _firm(firm.programme, d["other"])
    try:
        _pair, warnings = pair_declare(firm=firm, other=other, kind=d["kind"], note=d["note"],
                                       user=request.user)
    except PeersFieldError as exc:
        field_error(form, exc)
        return False
    for warning in warnings:
        messages.warning(request, warning)
    messages.success(request, f"{firm.name} and {other.name} will never be placed in the same "
                              "group.")
    return True


@guarded
def firm_pairs(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = managed_programme(request, slug)
    firm = _firm(programme, pk)
    # bound only to a declaring POST: a plain page load (an empty QueryDict is not None) showed errors
    form = PairForm(request.POST if request.method == "POST" and request.POST.get("action") != "remove" else None)
    others = Firm.objects.filter(programme=programme).exclude(pk=firm.pk).order_by("name")
    form.fields["other"].choices = [("", "Choose a firm")] + [
        (f.pk, f"{f.name} ({f.postcode})") for f in others.only("pk", "name", "postcode")]
    if request.method == "POST" and _pair_post(request, firm, form):
        return redirect("peers:firm_pairs", slug=slug, pk=firm.pk)
    return page(request, "peers/firm_pairs.html", {
        "programme": programme, "firm": firm, "form": form, "errors": form_errors(form),
        "pairs": selectors.firm_pairs(firm=firm)})
