"""Meeting pages: details and replies, changes and cancellation, attendance on a phone,
session notes and actions, feedback, .ics downloads and the per-user calendar feed."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from locus.peers import permissions as perms
from locus.peers.errors import PeersFieldError
from locus.peers.forms import FeedbackForm, MeetingChangeForm, form_errors
from locus.peers.ical import feed_ics, invite_ics
from locus.peers.meetings import (
    action_add,
    attendance_record,
    feedback_submit,
    group_venues,
    meeting_cancel,
    meeting_members,
    meeting_update,
    meetings_outside_programme,
    notes_save,
    rsvp_set,
)
from locus.peers.models import CalendarToken, Meeting
from locus.peers.models.meetings import Presence, Reply
from locus.peers.scheduling import LONDON
from locus.peers.views.common import (
    base_url,
    field_error,
    guarded,
    meeting_or_404,
    need,
    page,
)

# a firm's reply as the facilitator reads it (the firm chose "Yes, I will come" and so on)
REPLY_SHORT = {Reply.YES: "Coming", Reply.NO: "Not coming", Reply.MAYBE: "Maybe"}


def _viewable(request: HttpRequest, pk: int) -> Meeting:
    meeting = meeting_or_404(pk)
    need(perms.meeting_can_view(user=request.user, meeting=meeting),
         "Only the group's members, facilitator and programme managers can see this meeting.")
    return meeting


def _facilitated(request: HttpRequest, pk: int) -> Meeting:
    meeting = meeting_or_404(pk)
    need(perms.group_can_facilitate(user=request.user, group=meeting.group),
         "Only the group's facilitator and programme managers can do this.")
    return meeting


@guarded
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _viewable(request, pk)
    firm = perms.user_firm(user=request.user)
    own = firm if firm is not None and firm.group_id == meeting.group_id else None
    if request.method == "POST":
        need(own is not None, "Only member firms can reply.")
        try:
            rsvp_set(meeting=meeting, firm=own, response=request.POST.get("response", ""))
            messages.success(request, "Thank you: your reply has been saved.")
        except PeersFieldError as exc:
            messages.error(request, str(exc))
        return redirect("peers:meeting", pk=pk)
    return page(request, "peers/meeting.html", {
        "meeting": meeting, "group": meeting.group, "programme": meeting.group.programme,
        "own": own, "reply": own and meeting.rsvps.filter(firm=own).first(),
        "replies": Reply.choices, "held": meeting.starts_at <= timezone.now(),
        "attended": own and meeting.attendance.filter(firm=own, status=Presence.PRESENT).exists(),
        "can_facilitate": perms.group_can_facilitate(user=request.user, group=meeting.group),
        "can_manage": perms.group_can_manage(user=request.user, group=meeting.group),
        "rsvps": {r.firm_id: REPLY_SHORT[r.response] for r in meeting.rsvps.all()},
        "presence": {a.firm_id: a.get_status_display() for a in meeting.attendance.all()},
        "members": meeting_members(meeting=meeting)})


@guarded
def meeting_change(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _facilitated(request, pk)
    local = meeting.starts_at.astimezone(LONDON)
    form = MeetingChangeForm(request.POST or None, initial={
        "day": local.date(), "at": local.time(), "duration": meeting.duration_minutes,
        "mode": meeting.mode, "venue": meeting.venue_id, "video_url": meeting.video_url,
        "notify": True})
    venues = group_venues(group=meeting.group)
    form.fields["venue"].choices = [("", "No venue")] + [(v.pk, v.name) for v in venues]
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            meeting_cancel(meeting=meeting, notify=True, base_url=base_url(request))
            messages.success(request, "The meeting is cancelled. Members have been sent a "
                                      "cancellation for their calendars.")
            return redirect("peers:meeting", pk=pk)
        if form.is_valid():
            d = form.cleaned_data
            try:
                meeting_update(meeting=meeting, notify=d["notify"], base_url=base_url(request),
                               starts_at=datetime.combine(d["day"], d["at"], tzinfo=LONDON),
                               duration_minutes=d["duration"], mode=d["mode"],
                               venue=next((v for v in venues if v.pk == d["venue"]), None),
                               video_url=d["video_url"] or "")
            except PeersFieldError as exc:
                field_error(form, exc)
            else:
                outside = meetings_outside_programme(meetings=[meeting])
                messages.success(request, "The meeting has been changed."
                                 + (" Members have been sent an updated invitation."
                                    if d["notify"] else "") + (f" {outside}" if outside else ""))
                return redirect("peers:meeting", pk=pk)
    return page(request, "peers/meeting_change.html", {
        "meeting": meeting, "group": meeting.group, "form": form, "errors": form_errors(form),
        "venues": venues})


@guarded
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _facilitated(request, pk)
    members = meeting_members(meeting=meeting)
    error = None
    if request.method == "POST":
        marks = {}
        for key, value in request.POST.items():
            digits = key[5:] if key.startswith("firm-") else ""
            # ASCII digits only (int() reads "٣" as 3); an id too long to be a database id is
            # kept (cut to 21 digits, still out of range) so it is refused as "not a member"
            if digits.isascii() and digits.isdigit():
                marks[int(digits[:21])] = value
        try:
            n = attendance_record(meeting=meeting, marks=marks, user=request.user)
        except PeersFieldError as exc:
            # nothing marked: the error summary links to the first firm's first choice
            error = (PeersFieldError(str(exc), field=f"firm-{members[0].pk}-present")
                     if exc.field == "attendance" and members else exc)
        else:
            messages.success(request, f"Attendance saved for {n} firm{'s' if n != 1 else ''}.")
            marked = set(meeting.attendance.values_list("firm_id", flat=True))
            unmarked = [f.name for f in members if f.pk not in marked]
            if unmarked:
                messages.warning(request, f"Not marked yet: {', '.join(unmarked)}. Record "
                                          f"{'it' if len(unmarked) == 1 else 'them'} from "
                                          "Change attendance when you know.")
            return redirect("peers:meeting", pk=pk)
    current = {a.firm_id: a.status for a in meeting.attendance.all()}
    rsvps = {r.firm_id: REPLY_SHORT[r.response] for r in meeting.rsvps.all()}
    return page(request, "peers/attendance.html", {
        "meeting": meeting, "group": meeting.group, "members": members, "current": current,
        "rsvps": rsvps, "choices": Presence.choices, "error": error,
        "not_yet": meeting.starts_at > timezone.now(), "posted": request.POST,
        "cancelled": meeting.cancelled})


@guarded
def notes(request: HttpRequest, pk: int) -> HttpResponse:
    """Notes and actions are one form: either button saves the notes typed so far, and an action
    described is added whichever button was pressed, so nothing typed is lost."""
    meeting = _facilitated(request, pk)
    members = meeting_members(meeting=meeting)
    error = None
    if request.method == "POST":
        posted_notes = request.POST.get("notes")
        if posted_notes is not None and (posted_notes != meeting.notes
                                         or request.POST.get("action") == "notes"):
            notes_save(meeting=meeting, notes=posted_notes)
            messages.success(request, "Session notes saved.")
        description = request.POST.get("description", "")
        if request.POST.get("action") == "action" or description.strip():
            try:
                firm = next((f for f in members if str(f.pk) == request.POST.get("firm")), None)
                if firm is None:
                    raise PeersFieldError("Choose the firm that commits to the action",
                                          field="firm")
                action_add(firm=firm, meeting=meeting, description=description)
            except PeersFieldError as exc:
                error = exc
            else:
                messages.success(request, f"Action recorded for {firm.name}.")
                return redirect(reverse("peers:notes", args=[pk]) + "#actions")
        if error is None:
            return redirect("peers:notes", pk=pk)
    return page(request, "peers/notes.html", {
        "meeting": meeting, "group": meeting.group, "members": members, "error": error,
        "posted": request.POST if error else {},
        "actions": list(meeting.actions.select_related("firm")),
        "feedback": list(meeting.feedback.select_related("firm"))})


@guarded
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _viewable(request, pk)
    firm = perms.user_firm(user=request.user)
    need(firm is not None and firm.group_id == meeting.group_id,
         "Feedback is given by the group's member firms.")
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_submit(meeting=meeting, firm=firm, rating=form.cleaned_data["rating"],
                            comment=form.cleaned_data["comment"])
        except PeersFieldError as exc:
            field_error(form, exc)
        else:
            messages.success(request, "Thank you for your feedback.")
            return redirect("peers:my")
    return page(request, "peers/feedback.html", {"meeting": meeting, "form": form,
                                                 "errors": form_errors(form)})


@guarded
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _viewable(request, pk)
    url = request.build_absolute_uri(reverse("peers:meeting", args=[pk]))
    response = HttpResponse(invite_ics(meeting=meeting, url=url),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    token = CalendarToken.objects.filter(user=request.user).first()
    if request.method == "POST" or token is None:
        CalendarToken.objects.filter(user=request.user).delete()
        token = CalendarToken.objects.create(user=request.user, token=secrets.token_urlsafe(32))
        if request.method == "POST":
            messages.success(request, "You have a new calendar address. The old one has stopped "
                                      "working.")
            return redirect("peers:calendar")
    feed = request.build_absolute_uri(reverse("peers:feed", args=[token.token]))
    count = perms.meetings_visible(user=request.user).count()
    return page(request, "peers/calendar.html", {"feed": feed, "count": count})


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The per-user feed: no sign-in (calendar programs cannot), the secret is the address."""
    found = CalendarToken.objects.select_related("user").filter(token=token).first()
    if found is None or not found.user.is_active:
        raise Http404("This calendar address is not valid.")
    meetings = (perms.meetings_visible(user=found.user)
                .select_related("group__programme", "venue", "theme").order_by("starts_at"))
    body = feed_ics(meetings=list(meetings), name="Peer-learning meetings (Locus)",
                    url_for=lambda m: request.build_absolute_uri(
                        reverse("peers:meeting", args=[m.pk])))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
