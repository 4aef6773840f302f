"""Writes for meetings: schedules, changes and cancellations (with updated invites),
replies, attendance, session notes, feedback and actions."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from locus.peers.errors import PeersFieldError, PeersFieldErrors
from locus.peers.mail import meeting_notify
from locus.peers.models import (
    ActionItem,
    Attendance,
    Firm,
    Meeting,
    PeerGroup,
    Rsvp,
    SessionFeedback,
    Venue,
)
from locus.peers.models.meetings import ActionStatus, MeetingStatus, Presence, Reply
from locus.peers.permissions import firm_can_view, group_can_view
from locus.peers.scheduling import LONDON, PATTERNS, day_long, schedule_plan


def group_venues(*, group: PeerGroup) -> list[Venue]:
    """Host venues in rotation order: members' premises first, then partners'."""
    venues = Venue.objects.filter(programme=group.programme).filter(
        Q(host_firm__isnull=True) | Q(host_firm__group=group))
    return sorted(venues, key=lambda v: (v.host_firm_id is None, v.name))


def in_person_only_firms(*, group: PeerGroup) -> list[str]:
    """Names of the group's current firms that said they can only meet in person."""
    return list(group.firms.filter(withdrawn_at__isnull=True, meeting_mode="in_person")
                .order_by("name").values_list("name", flat=True))


def _cannot_meet_online(group: PeerGroup, names: list[str]) -> str:
    who = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return (f"{who} {'says it' if len(names) == 1 else 'say they'} can only meet in person, so "
            f"group {group.label} cannot meet online")


def schedule_pattern_default(*, group: PeerGroup) -> str:
    """The schedule page's first choice: all online for an online group, all in person when the
    group meets in person only or a member can only meet in person, else alternating."""
    if group.mode == "online":
        return "online"
    if group.mode == "in_person" or in_person_only_firms(group=group):
        return "in_person"
    return "alternate_in_person_first"


def schedule_patterns(*, group: PeerGroup) -> list[str]:
    """The meeting patterns this group can use, in the schedule page's order: only 'All online'
    for a group that meets online only, only 'All in person' when a member can only meet in
    person, else every pattern."""
    if group.mode == "online":
        return ["online"]
    if in_person_only_firms(group=group):
        return ["in_person"]
    return list(PATTERNS)


def schedule_venue_problem(*, group: PeerGroup, pattern: str | None = None) -> str:
    """Why the group cannot meet in person yet ('' if it can, or if `pattern` is all online):
    no venue at all, or none this group can use (the programme's venues are other groups'
    members' premises). The advice names 'All online' only when the group may meet online."""
    if pattern == "online" or group_venues(group=group):
        return ""
    if Venue.objects.filter(programme=group.programme).exists():
        problem = (f"No venue group {group.label} can use yet: the programme's venues are other "
                   "groups' members' premises. Add a partner venue or one of this group's "
                   "members' premises on the programme's Venues page")
    else:
        problem = ("In-person meetings need a host venue and the programme has none yet: add one "
                   "on the programme's Venues page")
    return problem + (", or choose 'All online'" if "online" in schedule_patterns(group=group)
                      else "")


def schedule_problems(*, group: PeerGroup, first: date | None,
                      pattern: str | None) -> list[PeersFieldError]:
    """Every reason a schedule cannot be made, at once: a first meeting in the past, a pattern
    the group cannot use, in-person meetings without a venue the group can use. A value that is
    None (the form could not read it) is not checked."""
    errors = []
    if first is not None and first < timezone.localdate():
        errors.append(PeersFieldError("The first meeting must be today or in the future",
                                      field="first"))
    if pattern is None:
        return errors
    if pattern != "online" and group.mode == "online":
        errors.append(PeersFieldError(
            f"Group {group.label} meets online only (its members are too far apart or asked to "
            "meet online): choose 'All online'", field="pattern"))
    elif pattern != "in_person" and (names := in_person_only_firms(group=group)):
        errors.append(PeersFieldError(f"{_cannot_meet_online(group, names)}: choose 'All in "
                                      "person'", field="pattern"))
    elif problem := schedule_venue_problem(group=group, pattern=pattern):
        errors.append(PeersFieldError(problem, field="pattern"))
    return errors


@transaction.atomic
def schedule_create(*, group: PeerGroup, first: date, at: time, count: int, cadence: str,
                    pattern: str, duration: int | None = None, video_url: str = "",
                    notify: bool = True, base_url: str = "") -> list[Meeting]:
    """Add `count` meetings to a group's schedule (numbering continues after existing ones).
    Every problem of ``schedule_problems`` is reported at once (a PeersFieldErrors)."""
    errors = schedule_problems(group=group, first=first, pattern=pattern)
    if errors:
        raise errors[0] if len(errors) == 1 else PeersFieldErrors(errors)
    programme = group.programme
    last = group.meetings.aggregate(n=Max("number"))["n"] or 0
    slots = schedule_plan(first=first, at=at, count=count, cadence=cadence, pattern=pattern,
                          venue_ids=[v.pk for v in group_venues(group=group)],
                          theme_ids=list(programme.themes.values_list("pk", flat=True)),
                          first_number=last + 1)
    meetings = [Meeting.objects.create(
        group=group, number=s.number, starts_at=s.starts_at, mode=s.mode, venue_id=s.venue_id,
        theme_id=s.theme_id, duration_minutes=duration or programme.meeting_minutes,
        video_url=video_url if s.mode == "online" else "") for s in slots]
    if notify:
        transaction.on_commit(lambda: meeting_notify(meetings=meetings, kind="invite",
                                                     base_url=base_url))
    return meetings


_CHANGEABLE = ("starts_at", "duration_minutes", "mode", "venue", "video_url", "theme")


@transaction.atomic
def meeting_update(*, meeting: Meeting, notify: bool = True, base_url: str = "",
                   **changes) -> Meeting:
    """Change a meeting; SEQUENCE goes up and members get an updated invite."""
    if meeting.cancelled:
        raise PeersFieldError("This meeting is cancelled and cannot be changed", field="starts_at")
    unknown = set(changes) - set(_CHANGEABLE)
    if unknown:
        raise PeersFieldError(f"Cannot change {', '.join(sorted(unknown))}", field="starts_at")
    if changes.get("mode") == "in_person" and not (changes.get("venue") or meeting.venue_id):
        raise PeersFieldError("Choose a venue for an in-person meeting", field="venue")
    if changes.get("mode") == "online" and meeting.mode != "online" and (
            names := in_person_only_firms(group=meeting.group)):
        raise PeersFieldError(f"{_cannot_meet_online(meeting.group, names)}: keep this meeting "
                              "in person", field="mode")
    changed = [k for k, v in changes.items() if getattr(meeting, k) != v]
    if not changed:
        return meeting
    for key in changed:
        setattr(meeting, key, changes[key])
    meeting.sequence += 1
    meeting.reminder_sent_at = None
    meeting.save()
    if notify:
        transaction.on_commit(lambda: meeting_notify(meetings=[meeting], kind="update",
                                                     base_url=base_url))
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, notify: bool = True, base_url: str = "") -> Meeting:
    if meeting.cancelled:
        return meeting
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.save()
    if notify:
        transaction.on_commit(lambda: meeting_notify(meetings=[meeting], kind="cancel",
                                                     base_url=base_url))
    return meeting


def _held(meeting: Meeting, now: datetime) -> None:
    if meeting.cancelled:
        raise PeersFieldError("This meeting was cancelled, so there is no attendance to record",
                              field="attendance")
    if meeting.starts_at > now:
        when = meeting.starts_at.astimezone(LONDON).strftime("%-d %B %Y at %H:%M")
        raise PeersFieldError(f"This meeting has not happened yet: attendance can be recorded "
                              f"from {when}", field="attendance")


def meeting_members(*, meeting: Meeting) -> list[Firm]:
    return list(Firm.objects.filter(group_id=meeting.group_id, withdrawn_at__isnull=True)
                .order_by("name"))


NO_MARKS = "Choose present, sent apologies or absent for at least one firm"


MAX_ID = 2**63 - 1  # the largest id a database column holds (SQLite and PostgreSQL bigint)


def _id_text(fid: int) -> str:
    """An id as the refusal shows it: a posted id of thousands of digits is cut short."""
    text = str(fid)
    return text if len(text) <= 20 else text[:20] + "…"


def _outsiders_text(meeting: Meeting, outsiders: list[int], user) -> str:
    """Why marks for firms outside the group are refused. A firm is named only if it is in the
    meeting's programme and the user may see it (its programme's manager, its group's
    facilitator; ``user`` None is the code itself); any other id (another programme's firm, a
    group the facilitator does not run, no firm at all) reads "firm 127", the same whether or
    not a firm has it, so the refusal cannot be used to look up firms' names by id."""
    lookable = [fid for fid in outsiders if 1 <= fid <= MAX_ID]  # others no firm can have
    shown = {f.pk: f.name for f in Firm.objects.select_related("group", "programme").filter(
        pk__in=lookable, programme_id=meeting.group.programme_id)
        if user is None or firm_can_view(user=user, firm=f)
        or (f.group is not None and group_can_view(user=user, group=f.group))}
    labels = [shown.get(fid, f"firm {_id_text(fid)}") for fid in outsiders]
    text = ", ".join(labels)
    verb = "is not a member" if len(labels) == 1 else "are not members"
    return f"{text[:1].upper()}{text[1:]} {verb} of group {meeting.group.label}"


@transaction.atomic
def attendance_record(*, meeting: Meeting, marks: dict[int, str], user=None,
                      now: datetime | None = None) -> int:
    """Record who came (firm id -> present/apologies/absent). Refused for meetings not yet
    held or cancelled, with no firm marked (as the attendance page refuses it), and for firms
    outside the group."""
    _held(meeting, now or timezone.now())
    if not marks:
        raise PeersFieldError(NO_MARKS, field="attendance")
    members = {f.pk: f for f in Firm.objects.filter(group_id=meeting.group_id)}
    outsiders = [fid for fid in marks if fid not in members]
    if outsiders:
        error = PeersFieldError(_outsiders_text(meeting, outsiders, user), field="attendance")
        error.firm_ids = outsiders  # the API names the mark: marks[i].firm_id
        raise error
    for fid, status in marks.items():
        if status not in Presence.values:
            raise PeersFieldError(f"Choose present, sent apologies or absent for "
                                  f"{members[fid].name}", field=f"firm-{fid}")
        Attendance.objects.update_or_create(meeting=meeting, firm_id=fid,
                                            defaults={"status": status, "recorded_by": user})
    return len(marks)


def notes_save(*, meeting: Meeting, notes: str) -> Meeting:
    meeting.notes = notes[:20000]
    meeting.save(update_fields=["notes", "updated_at"])
    return meeting


def rsvp_set(*, meeting: Meeting, firm: Firm, response: str) -> Rsvp:
    if firm.group_id != meeting.group_id:
        raise PeersFieldError(f"{firm.name} is not in group {meeting.group.label}",
                              field="response")
    if meeting.cancelled or meeting.starts_at < timezone.now():
        raise PeersFieldError("You can only reply to a meeting that is still to come",
                              field="response")
    if response not in Reply.values:
        raise PeersFieldError("Choose whether you will come", field="response")
    rsvp, _ = Rsvp.objects.update_or_create(meeting=meeting, firm=firm,
                                            defaults={"response": response})
    return rsvp


def feedback_submit(*, meeting: Meeting, firm: Firm, rating: int, comment: str = ""
                    ) -> SessionFeedback:
    if not Attendance.objects.filter(meeting=meeting, firm=firm,
                                     status=Presence.PRESENT).exists():
        raise PeersFieldError("Feedback is for firms recorded as present at the meeting",
                              field="rating")
    if not 1 <= rating <= 5:
        raise PeersFieldError("Choose a rating from 1 to 5", field="rating")
    feedback, _ = SessionFeedback.objects.update_or_create(
        meeting=meeting, firm=firm, defaults={"rating": rating, "comment": comment[:2000]})
    return feedback


def action_add(*, firm: Firm, description: str, meeting: Meeting | None = None) -> ActionItem:
    if not description.strip():
        raise PeersFieldError("Describe the action", field="description")
    if meeting is not None and meeting.group_id != firm.group_id:
        raise PeersFieldError(f"{firm.name} is not in group {meeting.group.label}",
                              field="description")
    return ActionItem.objects.create(firm=firm, meeting=meeting,
                                     description=description.strip()[:500],
                                     committed_on=timezone.localdate())


def action_report(*, action: ActionItem, status: str) -> ActionItem:
    if status not in ActionStatus.values:
        raise PeersFieldError("Choose a status", field="status")
    action.status = status
    action.reported_on = None if status == ActionStatus.COMMITTED else timezone.localdate()
    action.save(update_fields=["status", "reported_on"])
    return action


def local_datetime(*, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=LONDON)


def _numbers(numbers: list[int]) -> str:
    """"Meeting 3", "Meetings 3 to 6" or "Meetings 2, 4 and 5"."""
    if len(numbers) == 1:
        return f"Meeting {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"Meetings {numbers[0]} to {numbers[-1]}"
    return "Meetings " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def meetings_outside_programme(*, meetings: list[Meeting]) -> str:
    """A warning for meetings dated (in UK time) outside their programme's dates, or "". Not a
    refusal: a programme may run longer than first planned, but its end date decides when the
    end-of-programme survey opens, and a shorter programme cannot be saved while meetings are
    after its end."""
    if not meetings:
        return ""
    programme = meetings[0].group.programme
    days = {m.pk: m.starts_at.astimezone(LONDON).date() for m in meetings
            if m.status == MeetingStatus.SCHEDULED}
    live = [m for m in meetings if m.pk in days]
    parts = []
    for side, picked, edge in (
            ("before the programme’s start date", [m for m in live
                                                   if days[m.pk] < programme.starts_on],
             programme.starts_on),
            ("after the programme’s end date", [m for m in live if days[m.pk] > programme.ends_on],
             programme.ends_on)):
        if picked:
            numbers = sorted(m.number for m in picked)
            verb = "is" if len(numbers) == 1 else "are"
            parts.append(f"{_numbers(numbers)} {verb} {side} ({day_long(edge)})")
    if not parts:
        return ""
    return (" and ".join(parts) + ": if the programme’s dates are wrong or it runs longer, "
            "change them in Settings.")
