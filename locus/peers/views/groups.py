"""Group pages: form groups with the engine, review explanations, late joiners, rebalancing,
one group's page (members, facilitator, meetings) and its meeting schedule."""

from __future__ import annotations

from datetime import time

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from locus.errors import PeersError
from locus.peers import permissions as perms
from locus.peers import selectors
from locus.peers.errors import PeersFieldError
from locus.peers.explain import engine_firm_reasons, engine_match, explanation_lines
from locus.peers.forms import GroupSettingsForm, ScheduleForm, form_errors
from locus.peers.groups import group_assign_facilitator, group_set_mode
from locus.peers.jobs import formation_job_start, job_stuck_reason
from locus.peers.meetings import (
    group_venues,
    meetings_outside_programme,
    schedule_create,
    schedule_pattern_default,
    schedule_patterns,
    schedule_problems,
    schedule_venue_problem,
)
from locus.peers.models.programme import GroupMode, RunKind
from locus.peers.scheduling import CADENCES, PATTERNS
from locus.peers.views.common import (
    base_url,
    field_error,
    group_or_404,
    guarded,
    managed_programme,
    need,
    page,
)


def _settings_initial(programme) -> dict:
    return {"min_size": programme.group_min_size, "max_size": programme.group_max_size,
            "max_km": programme.max_km, "competitor_km": programme.competitor_km,
            "sector_cap": programme.sector_cap, "time_limit": programme.time_limit_seconds}


def _save_settings(programme, d: dict) -> None:
    if d["min_size"] > d["max_size"]:
        raise PeersFieldError("The smallest group cannot be larger than the largest",
                              field="min_size")
    programme.group_min_size, programme.group_max_size = d["min_size"], d["max_size"]
    programme.max_km, programme.competitor_km = d["max_km"], d["competitor_km"]
    programme.sector_cap, programme.time_limit_seconds = d["sector_cap"], d["time_limit"]
    programme.save()


@guarded
def groups(request: HttpRequest, slug: str) -> HttpResponse:
    programme = managed_programme(request, slug)
    form = GroupSettingsForm(request.POST or None, initial=_settings_initial(programme))
    if request.method == "POST" and form.is_valid():
        try:
            _save_settings(programme, form.cleaned_data)
            job = formation_job_start(programme=programme, kind=RunKind.FORM,
                                      user=request.user)
        except PeersFieldError as exc:
            field_error(form, exc)
        else:
            return redirect("peers:job", slug=slug, pk=job.pk)
    groups = list(selectors.groups_overview(programme=programme))
    shown = selectors.group_explanations_get(programme=programme, groups=groups)
    for g in groups:
        g.lines = explanation_lines(shown[g.pk])
    run = selectors.latest_run(programme=programme)
    job = programme.formation_jobs.first()
    return page(request, "peers/groups.html", {
        "programme": programme, "form": form, "errors": form_errors(form),
        "groups": groups, "mode_names": dict(GroupMode.choices),
        "run": run, "unplaced": selectors.run_unplaced(run=run),
        "job": job, "stuck": job_stuck_reason(job) if job and job.active else "",
        "has_meetings": programme.groups.filter(meetings__isnull=False).exists(),
        "counts": selectors.programme_counts(programme=programme)})


@require_POST
@guarded
def groups_incremental(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    programme = managed_programme(request, slug)
    try:
        job = formation_job_start(programme=programme, kind=kind, user=request.user)
    except PeersFieldError as exc:
        messages.error(request, str(exc))
        return redirect("peers:groups", slug=slug)
    return redirect("peers:job", slug=slug, pk=job.pk)


def _group_post(request: HttpRequest, group) -> None:
    if request.POST.get("action") == "facilitator":
        raw = request.POST.get("facilitator", "")
        if raw == "":
            user = None  # "Not assigned"
        else:
            offered = {u.pk: u for u, _ in selectors.facilitator_choices(group=group)}
            # ASCII digits of a database id only: int() reads "٣" and fails on 5,000 digits
            user = (offered.get(int(raw)) if raw.isascii() and raw.isdigit() and len(raw) <= 19
                    else None)
            if user is None:
                raise PeersFieldError("Choose a facilitator from the list: people with the "
                                      "facilitator role who can work on this programme",
                                      field="facilitator")
        group_assign_facilitator(group=group, user=user)
        messages.success(request, f"Facilitator of group {group.label} updated.")
    elif request.POST.get("action") == "mode":
        group_set_mode(group=group, mode=request.POST.get("mode", ""))
        messages.success(request, f"Group {group.label} now meets: {group.get_mode_display()}.")


@guarded
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = group_or_404(pk)
    need(perms.group_can_view(user=request.user, group=group),
         "Only the group's members, facilitator and programme managers can see this group.")
    can_manage = perms.group_can_manage(user=request.user, group=group)
    if request.method == "POST":
        need(can_manage, "Only the programme's managers can change a group.")
        try:
            _group_post(request, group)
        except PeersFieldError as exc:
            messages.error(request, str(exc))
        return redirect("peers:group", pk=pk)
    explanation = selectors.group_explanations_get(programme=group.programme,
                                                   groups=[group])[group.pk]
    detail = selectors.group_detail(group=group)
    names = {str(f.pk): f.name for f in detail["members"]}
    return page(request, "peers/group.html", {
        "group": group, "programme": group.programme, **detail, "can_manage": can_manage,
        "lines": explanation_lines(explanation),
        "firm_reasons": engine_firm_reasons(explanation, names, figures=can_manage),
        "match": engine_match(explanation) if can_manage else None,
        "can_facilitate": perms.group_can_facilitate(user=request.user, group=group),
        "facilitators": selectors.facilitator_choices(group=group) if can_manage else [],
        "modes": GroupMode.choices, "now": timezone.now(),
        "venue_problem": schedule_venue_problem(group=group)
        if can_manage and schedule_patterns(group=group) != ["online"] else ""})


@guarded
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    group = group_or_404(pk)
    need(perms.group_can_manage(user=request.user, group=group),
         "Only the programme's managers can schedule meetings.")
    programme = group.programme
    allowed = schedule_patterns(group=group)
    form = ScheduleForm(request.POST or None, initial={
        "count": 6, "cadence": "monthly", "pattern": schedule_pattern_default(group=group),
        "at": time(9, 30), "duration": programme.meeting_minutes, "notify": True})
    if request.method == "POST":
        valid = form.is_valid()
        d = form.cleaned_data
        # the group's own rules are checked with the form's, so every problem shows at once
        for error in schedule_problems(group=group, first=d.get("first"),
                                       pattern=d.get("pattern")):
            if error.field not in form.errors:
                field_error(form, error)
        if valid and not form.errors:
            try:
                meetings = schedule_create(
                    group=group, first=d["first"], at=d["at"], count=d["count"],
                    cadence=d["cadence"], pattern=d["pattern"], duration=d["duration"],
                    video_url=d["video_url"] or "", notify=d["notify"],
                    base_url=base_url(request))
            except PeersError as exc:  # a field error, or any other rule: never a 500
                field_error(form, exc)
            else:
                sent = " Invitations were emailed to members." if d["notify"] else ""
                outside = meetings_outside_programme(meetings=meetings)
                messages.success(request, f"{len(meetings)} meeting"
                                 f"{'' if len(meetings) == 1 else 's'} scheduled.{sent}"
                                 + (f" {outside}" if outside else ""))
                return redirect("peers:group", pk=pk)
    return page(request, "peers/schedule.html", {
        "group": group, "programme": programme, "form": form, "errors": form_errors(form),
        "cadences": CADENCES,
        "patterns": {k: v for k, v in PATTERNS.items() if k in allowed},
        "venues": group_venues(group=group),
        "venue_problem": schedule_venue_problem(group=group)
        if set(allowed) != {"online"} else ""})
