"""Programme pages for managers: create, dashboard, firms, one firm, venues."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from locus.errors import PeersError
from locus.geography.models import Area, Level
from locus.peers import permissions as perms
from locus.peers import selectors
from locus.peers.costs import cost_summary
from locus.peers.errors import PeersFieldError
from locus.peers.forms import ProgrammeForm, VenueForm, form_errors
from locus.peers.groups import firm_lock, firm_move
from locus.peers.models import Firm, PeerGroup, Venue
from locus.peers.models.programme import GroupMode, VenueKind
from locus.peers.programmes import rules_problems
from locus.peers.services import (
    ProgrammeData,
    comparison_allocate,
    firm_set_arm,
    firm_withdraw,
    postcode_place,
    programme_create,
    programme_dates_check,
)
from locus.peers.views.common import field_error, guarded, managed_programme, need, page
from locus.web.requests import posted_id


def _places(text: str) -> list[str]:
    """Area codes from 'E47000001, Leeds' (codes or exact names of CAs and districts)."""
    codes = []
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        area = Area.objects.filter(Q(code__iexact=part) | Q(name__iexact=part),
                                   level__in=[Level.CA, Level.LAD, Level.REGION,
                                              Level.NATION]).first()
        if area is None:
            raise PeersFieldError(f"No Combined Authority or district is called ‘{part}’. "
                                  "Enter names like Greater Manchester or codes like E47000001",
                                  field="places")
        codes.append(area.code)
    return codes


def _themes(d: dict) -> list[tuple[str, str]]:
    out = []
    for kind, key in (("digital", "digital_themes"), ("management", "management_themes")):
        out += [(line.strip()[:120], kind) for line in d[key].splitlines() if line.strip()]
    return out


@guarded
def programme_new(request: HttpRequest) -> HttpResponse:
    need(perms.is_admin(request.user) or perms.is_manager(request.user),
         "Only programme managers and administrators can start a programme.")
    form = ProgrammeForm(request.POST or None, initial={
        "group_min_size": 8, "group_max_size": 10, "comparison": "none"})
    if request.method == "POST":
        valid = form.is_valid()
        d = form.cleaned_data
        rules = {k: d.get(k) for k in ("min_years_trading", "min_employees", "max_employees",
                                       "min_turnover", "max_turnover", "group_min_size",
                                       "group_max_size", "comparison")}
        rules["registration_open"] = d.get("open_registration") == "yes"
        # the rules, the places and the dates are checked with the form's own fields, so every
        # problem shows in one round (it took four submits to see four)
        problems = rules_problems(rules)
        codes = []
        try:
            codes = _places(d["places"]) if d.get("places") else []
        except PeersFieldError as exc:
            problems.append(exc)
        if d.get("starts_on") and d.get("ends_on"):
            try:
                programme_dates_check(starts_on=d["starts_on"], ends_on=d["ends_on"])
            except PeersFieldError as exc:
                problems += getattr(exc, "errors", None) or [exc]
        for problem in problems:
            if problem.field not in form.errors:
                field_error(form, problem)
        if valid and not form.errors:
            try:
                programme = programme_create(manager=request.user, data=ProgrammeData(
                    name=d["name"], summary=d["summary"], starts_on=d["starts_on"],
                    ends_on=d["ends_on"], budget=d["budget"],
                    delivery_partner=d["delivery_partner"], place_codes=codes,
                    themes=_themes(d), rules=rules))
            except PeersError as exc:
                field_error(form, exc)
            else:
                messages.success(request, f"{programme.name} has been created.")
                return redirect("peers:dashboard", slug=programme.slug)
    return page(request, "peers/programme_new.html", {"form": form,
                                                        "errors": form_errors(form)})


@guarded
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme(request, slug)
    counts = selectors.programme_counts(programme=programme)
    context = {"programme": programme, "funnel": selectors.programme_funnel(programme=programme),
               "counts": counts,
               # a waitlist comparison group declared but empty while firms wait for a group
               "no_waitlist": programme.comparison == "waitlist" and not counts["comparison"]
               and counts["waiting"] > 0,
               "groups": selectors.groups_overview(programme=programme).defer("explanation"),
               "mode_names": dict(GroupMode.choices),
               "run": selectors.latest_run(programme=programme),
               "costs": cost_summary(programme=programme),
               "places": list(programme.places.all()), "themes": list(programme.themes.all())}
    return page(request, "peers/dashboard.html", context)


@guarded
def firms(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme(request, slug)
    if request.method == "POST" and "share" in request.POST:
        try:
            share = float(request.POST.get("share", "")) / 100
            moved = comparison_allocate(programme=programme, share=share)
            messages.success(request, f"{moved} firms were put on the waitlist (comparison "
                                      "group) at random.")
        except (ValueError, PeersFieldError) as exc:
            messages.error(request, str(exc) if isinstance(exc, PeersFieldError)
                           else "Enter a share between 1 and 99 per cent")
        return redirect("peers:firms", slug=slug)
    stage = request.GET.get("stage", "")
    listing = Paginator(selectors.firm_list(programme=programme, stage=stage), 100).get_page(
        request.GET.get("page"))
    return page(request, "peers/firms.html", {"programme": programme, "page": listing,
                                                "stage": stage})


def _firm_action(request: HttpRequest, firm: Firm) -> None:
    action = request.POST.get("action")
    if action == "move":
        raw = request.POST.get("group") or ""
        # "" is "No group"; anything else must be an id the page offered (not digits: a 400)
        group = get_object_or_404(PeerGroup, pk=posted_id(request, "group"),
                                  programme=firm.programme) if raw else None
        for warning in firm_move(firm=firm, group=group, lock=bool(request.POST.get("lock"))):
            messages.warning(request, warning)
        messages.success(request, f"{firm.name} moved to "
                         f"{'group ' + group.label if group else 'no group'}.")
    elif action in ("lock", "unlock"):
        firm_lock(firm=firm, locked=action == "lock")
        messages.success(request, f"{firm.name} is {'locked' if action == 'lock' else 'unlocked'}.")
    elif action == "withdraw":
        firm_withdraw(firm=firm, reason=request.POST.get("reason", ""))
        messages.success(request, f"{firm.name} has been recorded as withdrawn.")
    elif action == "arm":
        firm_set_arm(firm=firm, arm=request.POST.get("arm", ""))
        messages.success(request, f"{firm.name} is now in the {firm.get_arm_display().lower()}.")


@guarded
def firm_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = managed_programme(request, slug)
    firm = get_object_or_404(Firm.objects.select_related("group", "lad", "itl3",
                                                         "combined_authority"),
                             pk=pk, programme=programme)
    if request.method == "POST":
        try:
            _firm_action(request, firm)
        except PeersFieldError as exc:
            messages.error(request, str(exc))
        return redirect("peers:firm", slug=slug, pk=pk)
    return page(request, "peers/firm.html", {
        "programme": programme, "firm": firm, "contacts": list(firm.contacts.all()),
        "groups": list(programme.groups.all()), "themes": list(firm.themes.all()),
        "diagnostics": list(firm.diagnostics.order_by("submitted_at")),
        "attendance": list(firm.attendance.select_related("meeting__group")
                           .order_by("meeting__starts_at"))})


@guarded
def venues(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme(request, slug)
    form = VenueForm(request.POST or None)
    hosts = Firm.objects.filter(programme=programme, group__isnull=False).order_by("name")
    form.fields["host_firm"].choices = [("", "A partner's premises")] + [
        (f.pk, f.name) for f in hosts]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            place = postcode_place(text=d["postcode"])
            Venue.objects.create(programme=programme, name=d["name"], address=d["address"],
                                 postcode=place.location.postcode, host_firm_id=d["host_firm"],
                                 kind=VenueKind.MEMBER if d["host_firm"] else VenueKind.PARTNER)
        except PeersFieldError as exc:
            field_error(form, exc)
        else:
            messages.success(request, f"{d['name']} added as a venue.")
            return redirect("peers:venues", slug=slug)
    return page(request, "peers/venues.html", {
        "programme": programme, "form": form, "errors": form_errors(form),
        "venues": list(programme.venues.select_related("host_firm__group"))})
