"""Reads for the peer-networks pages and API: funnel, dashboards, groups, member views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import (
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from locus.peers.models import (
    ActionItem,
    Attendance,
    DeclaredPair,
    DiagnosticResponse,
    Firm,
    FormationRun,
    Meeting,
    PeerGroup,
    Programme,
    Rsvp,
    SessionFeedback,
)
from locus.peers.models.firms import Arm, comparison_q
from locus.peers.models.meetings import MeetingStatus, Presence


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    count: int
    previous: int | None
    detail: str = ""  # why firms did not carry on, where that is by design (the comparison group)
    waiting: int = 0  # firms of the stage before that cannot have reached this one yet

    @property
    def drop_off(self) -> int | None:
        """Firms of the stage before that did not reach this one and are not still waiting."""
        return None if self.previous is None else self.previous - self.count - self.waiting

    @property
    def share(self) -> float | None:
        """Share of the previous stage that reached this one, of those that could have (firms
        still waiting are left out); None when none could have yet."""
        could = (self.previous or 0) - self.waiting
        return None if could <= 0 else self.count / could


def programme_funnel(*, programme: Programme, cohort=None) -> list[Stage]:
    """Registered -> eligible -> grouped -> attended first meeting -> completed (of one cohort
    if given)."""
    scope = Q(firm__cohort=cohort) if cohort is not None else Q()
    firms = Firm.objects.filter(programme=programme)
    if cohort is not None:
        firms = firms.filter(cohort=cohort)
    counts = firms.aggregate(
        n_registered=Count("pk"), n_eligible=Count("pk", filter=Q(eligible=True)),
        n_grouped=Count("pk", filter=Q(eligible=True, arm=Arm.PARTICIPANT,
                                     grouped_at__isnull=False)),
        # the comparison group as the outcomes report counts it (comparison_q); a firm marked
        # comparison after it was placed in a group or came to a meeting is not in it
        n_comparison=Count("pk", filter=Q(eligible=True) & comparison_q()),
        n_marked_left_out=Count("pk", filter=Q(eligible=True, arm=Arm.COMPARISON)
                                & ~comparison_q()),
        n_waiting=Count("pk", filter=Q(eligible=True, arm=Arm.PARTICIPANT, grouped_at__isnull=True)))
    # One GROUP BY over attendance: a firm came to its first meeting when its earliest
    # recorded meeting is also its earliest meeting marked present.
    rows = (Attendance.objects.filter(
        scope, firm__programme=programme, firm__eligible=True, firm__arm=Arm.PARTICIPANT,
        firm__grouped_at__isnull=False, meeting__status=MeetingStatus.SCHEDULED)
        .values("firm").order_by()
        .annotate(first_any=Min("meeting__starts_at"),
                  first_present=Min("meeting__starts_at", filter=Q(status=Presence.PRESENT)),
                  present=Count("pk", filter=Q(status=Presence.PRESENT)))
        .filter(first_present=F("first_any")))
    # Counted in the database (HAVING inside a COUNT subquery): no per-firm rows to Python.
    attended_first = rows.count()
    # Placed firms whose group has not met since they joined it (and that have no attendance
    # anywhere) are waiting for their first meeting, not drop-outs.
    held = Meeting.objects.filter(group=OuterRef("group"), status=MeetingStatus.SCHEDULED,
                                  starts_at__lte=timezone.now(),
                                  starts_at__gte=OuterRef("grouped_at"))
    recorded = Attendance.objects.filter(firm=OuterRef("pk"),
                                         meeting__status=MeetingStatus.SCHEDULED)
    waiting_first = (firms.filter(eligible=True, arm=Arm.PARTICIPANT, grouped_at__isnull=False,
                                  withdrawn_at__isnull=True)
                     .exclude(Exists(held)).exclude(Exists(recorded)).count())
    completed = rows.filter(present__gte=programme.completion_meetings).count()
    # Firms that came to their first meeting and have not completed yet, but whose group still
    # has meetings to come, are still meeting: not drop-outs until their group's meetings are
    # all held (a withdrawn firm has dropped off).
    to_come = Meeting.objects.filter(group=OuterRef("group"), status=MeetingStatus.SCHEDULED,
                                     starts_at__gt=timezone.now())
    still_meeting = firms.filter(
        pk__in=rows.filter(present__lt=programme.completion_meetings).values("firm"),
        withdrawn_at__isnull=True).filter(Exists(to_come)).count()
    values = [("registered", "Registered", counts["n_registered"]),
              ("eligible", "Eligible", counts["n_eligible"]),
              ("grouped", "Placed in a group", counts["n_grouped"]),
              ("first_meeting", "Attended their first meeting", attended_first),
              ("completed", f"Completed (attended {programme.completion_meetings} or more "
                            "meetings)", completed)]
    parts = []
    if counts["n_comparison"]:
        n = counts["n_comparison"]
        parts.append(f"{n:,} {'is' if n == 1 else 'are'} in the comparison group by design")
    if counts["n_marked_left_out"]:
        n = counts["n_marked_left_out"]
        parts.append(f"{n:,} {'was' if n == 1 else 'were'} marked comparison but "
                     f"{'is' if n == 1 else 'are'} left out of the outcomes report (placed in a "
                     "group or present at a meeting before)")
    if counts["n_waiting"]:
        n = counts["n_waiting"]
        parts.append(f"{n:,} {'is' if n == 1 else 'are'} waiting for a place")
    details = {"grouped": "of whom " + " and ".join(parts) if parts else ""}
    waiting = {"first_meeting": waiting_first, "completed": still_meeting}
    out, previous = [], None
    for key, label, count in values:
        out.append(Stage(key, label, count, previous, details.get(key, ""),
                         waiting.get(key, 0)))
        previous = count
    return out


def facilitator_choices(*, group: PeerGroup) -> list[tuple]:
    """(user, label) for the facilitator dropdown of a group: active people with the facilitator
    role, DEMO accounts only for a DEMO programme and never for a real one, plus the group's
    current facilitator. Labelled by full name, with the username only where the name is
    missing or shared; ordered by label."""
    from django.contrib.auth import get_user_model

    from locus.accounts.roles import Role
    from locus.peers.models.programme import DEMO_EMAIL_DOMAIN

    demo = Q(email__iendswith="@" + DEMO_EMAIL_DOMAIN)
    people = get_user_model().objects.filter(groups__name=Role.FACILITATOR.value,
                                             is_active=True)
    people = people.filter(demo) if group.programme.is_demo else people.exclude(demo)
    current = group.facilitator.user_id if group.facilitator_id else None
    users = {u.pk: u for u in people}
    if current is not None and current not in users:
        users[current] = get_user_model().objects.get(pk=current)
    names = [u.get_full_name().strip() for u in users.values()]
    labelled = [(u, u.username if not name else f"{name} ({u.username})"
                 if names.count(name) > 1 else name)
                for u, name in zip(users.values(), names, strict=True)]
    return sorted(labelled, key=lambda pair: (pair[1].casefold(), pair[0].pk))


def programme_counts(*, programme: Programme) -> dict:
    firms = Firm.objects.filter(programme=programme).aggregate(
        comparison=Count("pk", filter=comparison_q()),  # as the outcomes report counts it
        comparison_left_out=Count("pk", filter=Q(arm=Arm.COMPARISON) & ~comparison_q()),
        waiting=Count("pk", filter=Q(arm=Arm.PARTICIPANT, eligible=True, group__isnull=True,
                                     withdrawn_at__isnull=True)),
        withdrawn=Count("pk", filter=Q(withdrawn_at__isnull=False)))
    meetings = Meeting.objects.filter(group__programme=programme).aggregate(
        held=Count("pk", filter=Q(status=MeetingStatus.SCHEDULED, starts_at__lte=timezone.now())),
        upcoming=Count("pk", filter=Q(status=MeetingStatus.SCHEDULED,
                                      starts_at__gt=timezone.now())),
        cancelled=Count("pk", filter=Q(status=MeetingStatus.CANCELLED)))
    return {**firms, **meetings}


def groups_overview(*, programme: Programme) -> QuerySet[PeerGroup]:
    """Groups with member count, meetings held and next meeting (subqueries, not joins, so the
    cost stays linear in groups)."""
    now = timezone.now()
    members = (Firm.objects.filter(group=OuterRef("pk"), withdrawn_at__isnull=True)
               .order_by().values("group").annotate(n=Count("pk")).values("n"))
    meetings = Meeting.objects.filter(group=OuterRef("pk"), status=MeetingStatus.SCHEDULED
                                      ).order_by()
    held = (meetings.filter(starts_at__lte=now).values("group").annotate(n=Count("pk"))
            .values("n"))
    upcoming = meetings.filter(starts_at__gt=now).order_by("starts_at").values("starts_at")[:1]
    return (PeerGroup.objects.filter(programme=programme).select_related("facilitator__user")
            .annotate(members=Coalesce(Subquery(members), 0), held=Coalesce(Subquery(held), 0),
                      next_meeting=Subquery(upcoming))
            .order_by("label"))


def latest_run(*, programme: Programme) -> FormationRun | None:
    return programme.runs.first()


def run_unplaced(*, run: FormationRun | None) -> list[dict]:
    """The firms a formation run left out, each with why in today's words ({"firm_id",
    "name", "why"}); other firms a reason names are named, not numbered."""
    from locus.peers.explain import ID_KEYS, unplaced_message

    if run is None or not run.unplaced:
        return []
    ids = {str(u["firm_id"]) for u in run.unplaced}
    for u in run.unplaced:
        for key, value in (u.get("facts") or {}).items():
            if key in ID_KEYS:
                ids.update(str(v) for v in ([value] if isinstance(value, str) else value or []))
    names = {str(pk): name for pk, name in Firm.objects.filter(
        programme_id=run.programme_id, pk__in=[int(i) for i in ids if i.isdecimal()]
    ).values_list("pk", "name")}
    names.update({str(u["firm_id"]): u.get("name") or names.get(str(u["firm_id"]), "")
                  for u in run.unplaced})
    return [{"firm_id": u["firm_id"], "name": u.get("name", ""),
             "why": unplaced_message(u, run.settings or {}, names)} for u in run.unplaced]


def group_explanations_get(*, programme: Programme, groups) -> dict[int, dict]:
    """The explanation to show for each of ``groups`` (of ``programme``), by pk: as stored, or,
    for a group stored before its explanation was kept as facts (``explanation_is_stale``),
    worked out afresh from its members today, as forming or moving firms would. A read: nothing
    is saved, so showing a page never writes (the stored explanation is replaced only when the
    groups next change)."""
    from locus.peers.explain import explanation_is_stale
    from locus.peers.groups import groups_explanations_compute

    stored = {g.pk: g.explanation for g in groups}
    if not any(explanation_is_stale(e) for e in stored.values()):
        return stored
    fresh = groups_explanations_compute(programme=programme)
    return {pk: fresh.get(pk, e) if explanation_is_stale(e) else e for pk, e in stored.items()}


def industry_words(sic: str) -> str:
    """A firm's industry as the SIC 2007 division title ("62012" -> "Computer programming,
    consultancy and related activities"): what other firms in its group are shown instead of
    its code (ADR 37)."""
    from locus.grouping.sic import sic_list

    return sic_list().divisions.get((sic or "")[:2], "") or "Not known"


def group_detail(*, group: PeerGroup) -> dict:
    members = list(group.firms.filter(withdrawn_at__isnull=True)
                   .select_related("lad").prefetch_related("themes").order_by("name"))
    for f in members:
        f.industry = industry_words(f.sic)
    # Attendance is what was recorded at the meeting: firms present then count even if they have
    # left the group since (withdrew or were moved), and ``present_left`` says how many did.
    present = Q(attendance__status=Presence.PRESENT)
    left = ~Q(attendance__firm__group=group) | Q(attendance__firm__withdrawn_at__isnull=False)
    meetings = list(group.meetings.select_related("venue", "theme")
                    .annotate(present=Count("attendance", filter=present),
                              present_left=Count("attendance", filter=present & left)))
    return {"members": members, "meetings": meetings}


def firm_list(*, programme: Programme, stage: str = "") -> QuerySet[Firm]:
    firms = Firm.objects.filter(programme=programme).select_related("group", "lad")
    filters = {"eligible": Q(eligible=True), "ineligible": Q(eligible=False),
               "waiting": Q(eligible=True, arm=Arm.PARTICIPANT, group__isnull=True,
                            withdrawn_at__isnull=True),
               "grouped": Q(group__isnull=False), "comparison": Q(arm=Arm.COMPARISON),
               "withdrawn": Q(withdrawn_at__isnull=False)}
    return firms.filter(filters[stage]) if stage in filters else firms


RECENT_WEEKS = 12  # "recent meetings" on a facilitator's home page: held in the last 12 weeks


@dataclass(frozen=True)
class HeldMeeting:
    """A meeting held recently and what its facilitator has recorded for it. ``unmarked`` counts
    the group's current firms (those the attendance page asks about) with no attendance yet."""

    meeting: Meeting
    marked: int
    unmarked: int
    present: int
    actions: int

    @property
    def has_notes(self) -> bool:
        return bool(self.meeting.notes.strip())

    @property
    def attendance_state(self) -> str:
        """'none', 'partial' or 'complete'."""
        if not self.marked:
            return "none"
        return "partial" if self.unmarked else "complete"

    @property
    def missing(self) -> list[str]:
        """What is still to record, in words (empty when nothing is)."""
        out = []
        if self.attendance_state != "complete":
            out.append("attendance")
        if not self.has_notes:
            out.append("notes")
        if not self.actions:
            out.append("actions")
        return out


def held_meetings_recent(*, groups: list[PeerGroup], now=None,
                         weeks: int = RECENT_WEEKS) -> list[tuple[PeerGroup, list[HeldMeeting]]]:
    """Each group with its meetings held (not cancelled) in the last ``weeks`` weeks, newest
    first, and what was recorded for them: one query whatever the number of groups and meetings
    (counts are subqueries, so attendance and actions do not multiply each other's rows)."""
    now = now or timezone.now()
    attendance = Attendance.objects.filter(meeting=OuterRef("pk")).order_by()
    counted = attendance.values("meeting").annotate(n=Count("pk")).values("n")
    present = (attendance.filter(status=Presence.PRESENT).values("meeting")
               .annotate(n=Count("pk")).values("n"))
    unmarked = (Firm.objects.filter(group=OuterRef("group"), withdrawn_at__isnull=True)
                .exclude(Exists(Attendance.objects.filter(meeting=OuterRef(OuterRef("pk")),
                                                          firm=OuterRef("pk"))))
                .order_by().values("group").annotate(n=Count("pk")).values("n"))
    actions = (ActionItem.objects.filter(meeting=OuterRef("pk")).order_by().values("meeting")
               .annotate(n=Count("pk")).values("n"))
    rows = (Meeting.objects.filter(group__in=[g.pk for g in groups],
                                   status=MeetingStatus.SCHEDULED, starts_at__lte=now,
                                   starts_at__gt=now - timedelta(weeks=weeks))
            .select_related("venue", "theme")
            .annotate(n_marked=Coalesce(Subquery(counted), 0),
                      n_unmarked=Coalesce(Subquery(unmarked), 0),
                      n_present=Coalesce(Subquery(present), 0),
                      n_actions=Coalesce(Subquery(actions), 0))
            .order_by("-starts_at", "-id"))
    by_group: dict[int, list[HeldMeeting]] = {}
    for m in rows:
        by_group.setdefault(m.group_id, []).append(HeldMeeting(
            m, m.n_marked, m.n_unmarked, m.n_present, m.n_actions))
    return [(g, by_group[g.pk]) for g in groups if g.pk in by_group]


def facilitator_home(*, user) -> dict:
    now = timezone.now()
    groups = list(PeerGroup.objects.filter(facilitator__user=user)
                  .select_related("programme").annotate(
                      members=Count("firms", filter=Q(firms__withdrawn_at__isnull=True)))
                  .order_by("programme__name", "label"))
    meetings = (Meeting.objects.filter(group__in=groups, status=MeetingStatus.SCHEDULED)
                .select_related("group", "venue", "theme"))
    # meetings held before the recent ones with no attendance at all (the recent ones are
    # listed with what is missing)
    older = list(meetings.filter(starts_at__lte=now - timedelta(weeks=RECENT_WEEKS)).annotate(
        recorded=Count("attendance")).filter(recorded=0).order_by("-starts_at")[:20])
    return {"groups": groups, "upcoming": list(meetings.filter(starts_at__gt=now)[:20]),
            "recent": held_meetings_recent(groups=groups, now=now), "to_record": older,
            "recent_weeks": RECENT_WEEKS}


def member_home(*, firm: Firm) -> dict:
    meetings = []
    if firm.group_id and firm.withdrawn_at is None:
        # the firm's own reply and attendance only, shown beside each meeting
        meetings = list(Meeting.objects.filter(group_id=firm.group_id)
                        .select_related("venue", "theme").prefetch_related(
                            Prefetch("rsvps", queryset=Rsvp.objects.filter(firm=firm),
                                     to_attr="replies"),
                            Prefetch("attendance", queryset=Attendance.objects.filter(firm=firm),
                                     to_attr="marks"),
                            Prefetch("feedback", queryset=SessionFeedback.objects.filter(
                                firm=firm), to_attr="own_feedback")))
    return {"meetings": meetings,
            "diagnostics": {d.wave: d for d in DiagnosticResponse.objects.filter(firm=firm)},
            "actions": list(ActionItem.objects.filter(firm=firm).select_related("meeting"))}


def firm_pairs(*, firm: Firm) -> list[tuple[DeclaredPair, Firm]]:
    """The firm's declared pairs, each with the other firm."""
    pairs = DeclaredPair.objects.filter(firm_a=firm) | DeclaredPair.objects.filter(firm_b=firm)
    out = []
    for pair in pairs.select_related("firm_a", "firm_b").order_by("id"):
        out.append((pair, pair.firm_b if pair.firm_a_id == firm.pk else pair.firm_a))
    return out


def cohort_overview(*, programme: Programme) -> QuerySet:
    """The programme's cohorts with firm and group counts."""
    return programme.cohorts.annotate(
        n_firms=Count("firms", distinct=True),
        n_eligible=Count("firms", filter=Q(firms__eligible=True), distinct=True),
        n_groups=Count("groups", distinct=True)).order_by("starts_on", "id")
