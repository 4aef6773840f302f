"""`locus demo peers`: a DEMO programme in a real Combined Authority, with made-up firms on
real postcodes, groups formed by the engine, six months of meetings, attendance, surveys and
costs, so every page can be tried. Everything it creates is labelled DEMO."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as RoleGroup
from django.db import connection, transaction
from django.utils import timezone

from locus.accounts.roles import Role
from locus.errors import PeersError
from locus.geography.models import Area, Level
from locus.peers.costs import cost_record
from locus.peers.groups import (
    group_assign_facilitator,
    groups_form_programme,
    groups_refresh_explanations,
)
from locus.peers.meetings import action_add
from locus.peers.models import (
    Attendance,
    Contact,
    DiagnosticResponse,
    Firm,
    Meeting,
    Programme,
    Rsvp,
    SessionFeedback,
    Venue,
)
from locus.peers.models.firms import Arm
from locus.peers.models.outcomes import Wave
from locus.peers.models.programme import DEMO_EMAIL_DOMAIN, VenueKind
from locus.peers.outcomes import diagnostic_submit, wave_opens_on
from locus.peers.rules import Applicant, eligibility_reasons, name_key
from locus.peers.scheduling import schedule_plan
from locus.peers.services import ProgrammeData, programme_create, programme_rules
from locus.peers.synthetic import fake_answers, fake_firms, postcodes_sample

THEMES = [("Cloud accounting and online payments", "digital"),
          ("Setting targets and KPIs", "management"), ("Selling online", "digital"),
          ("Recruiting, training and keeping staff", "management"),
          ("Using AI safely", "digital"), ("Continuous improvement", "management")]


def _user(username: str, role: Role, password: str, first_name: str):
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=username, defaults={
        "email": f"{username}@{DEMO_EMAIL_DOMAIN}", "first_name": first_name})
    user.set_password(password)
    user.save()
    user.groups.add(RoleGroup.objects.get_or_create(name=role.value)[0])
    return user


def _programme(ca: Area, manager, today: date) -> Programme:
    Programme.objects.filter(is_demo=True, name=f"DEMO {ca.name} Peer Network").delete()
    return programme_create(manager=manager, is_demo=True, data=ProgrammeData(
        # Ends in three weeks: the last meeting is still to come, and the end survey (open
        # from four weeks before the end) has been open for a week, so its answers exist.
        name=f"DEMO {ca.name} Peer Network", starts_on=today - timedelta(days=220),
        ends_on=today + timedelta(days=21), budget=Decimal("60000"),
        delivery_partner="DEMO Growth Hub",
        summary="A demonstration programme: the firms, people, answers and costs are made up; "
                "the postcodes are real.", place_codes=[ca.code], themes=THEMES,
        rules={"min_years_trading": 1, "min_employees": 5, "min_turnover": Decimal(100000),
               "group_min_size": 8, "group_max_size": 10, "comparison": "waitlist",
               "time_limit_seconds": 3.0}))


def _firms(programme: Programme, ca: Area, n: int, rng, now: datetime
           ) -> tuple[list[tuple[Firm, object]], list[dict]]:
    lads = set(Area.objects.filter(level=Level.LAD, combined_authority=ca)
               .values_list("code", flat=True))
    places = postcodes_sample(lad_codes=lads, n=n + 3, rng=rng)
    areas = {a.code: a for a in Area.objects.filter(code__in=lads).select_related(
        "parent", "combined_authority")}
    themes = list(programme.themes.all())
    rules = programme_rules(programme=programme)
    out = []
    for fake, place in zip(fake_firms(n=n, rng=rng, n_themes=len(themes), year=now.year),
                           places, strict=False):
        lad = areas[place["lad_code"]]
        reasons = eligibility_reasons(rules=rules, year=now.year, applicant=Applicant(
            employees=fake.employees, turnover=Decimal(fake.turnover),
            trading_since=fake.trading_since, area_codes=frozenset({lad.code, ca.code})))
        firm = Firm.objects.create(
            programme=programme, cohort=programme.cohorts.first(), name=fake.name,
            name_key=name_key(fake.name) or fake.name.strip().lower(), sic=fake.sic, employees=fake.employees,
            turnover=fake.turnover, trading_since=fake.trading_since,
            postcode=place["postcode"], lad=lad, itl3=lad.parent, combined_authority=ca,
            lat=place["lat"], lon=place["lon"], meeting_mode=fake.meeting_mode,
            registered_at=now - timedelta(days=int(rng.integers(200, 240))),
            eligible=not reasons, ineligible_reasons=reasons)
        firm.themes.set([themes[i] for i in fake.themes])
        Contact.objects.create(firm=firm, name=fake.contact, email=fake.email,
                               consent_programme_at=firm.registered_at,
                               consent_research=fake.research,
                               consent_research_at=firm.registered_at if fake.research else None,
                               consent_wording="demo")
        out.append((firm, fake))
    return out, places[n:]


def _venues(programme: Programme, spare: list[dict]) -> None:
    for i, place in enumerate(spare):
        Venue.objects.create(programme=programme, name=f"DEMO Partner Venue {i + 1}",
                             address="Demonstration address", postcode=place["postcode"],
                             kind=VenueKind.PARTNER)
    for group in programme.groups.all():
        host = group.firms.order_by("-employees").first()
        Venue.objects.create(programme=programme, name=f"{host.name} (host)",
                             postcode=host.postcode, kind=VenueKind.MEMBER, host_firm=host)


def _meetings(programme: Programme, today: date) -> list[Meeting]:
    from locus.peers.meetings import group_venues, schedule_pattern_default

    first = today - timedelta(days=172)  # six monthly meetings held, the seventh to come
    theme_ids = list(programme.themes.values_list("pk", flat=True))
    created = []
    for group in programme.groups.all():
        pattern = schedule_pattern_default(group=group)  # in person only if a member asked
        slots = schedule_plan(first=first, at=time(9, 30), count=7, cadence="monthly",
                              pattern=pattern, theme_ids=theme_ids,
                              venue_ids=[v.pk for v in group_venues(group=group)])
        for s in slots:
            created.append(Meeting.objects.create(
                group=group, number=s.number, starts_at=s.starts_at, mode=s.mode,
                venue_id=s.venue_id, theme_id=s.theme_id, duration_minutes=180,
                video_url=f"https://meet.example.org/demo-{group.label.lower()}"
                if s.mode == "online" else ""))
    return created


def _activity(programme: Programme, firms: dict[int, object], meetings: list[Meeting],
              rng, now: datetime) -> None:
    """Replies, attendance, drop-outs, feedback and actions for the meetings already held."""
    dropped: set[int] = set()
    members: dict[int, list[Firm]] = {}
    for firm in Firm.objects.filter(programme=programme, group__isnull=False):
        members.setdefault(firm.group_id, []).append(firm)
    marks, rsvps, feedback = [], [], []
    for m in sorted(meetings, key=lambda m: m.starts_at):
        for firm in members.get(m.group_id, []):
            fake = firms[firm.pk]
            if firm.pk in dropped:
                continue
            rsvps.append(Rsvp(meeting=m, firm=firm, response="yes" if rng.random() <
                              fake.commitment + 0.05 else "no"))
            if m.starts_at > now:
                continue
            came = rng.random() < fake.commitment
            marks.append(Attendance(meeting=m, firm=firm,
                                    status="present" if came else str(rng.choice(
                                        ["apologies", "absent"]))))
            if came and rng.random() < 0.5:
                feedback.append(SessionFeedback(meeting=m, firm=firm,
                                                rating=int(rng.choice([3, 4, 4, 5, 5]))))
            if came and rng.random() < 0.25:
                action_add(firm=firm, meeting=m, description=f"DEMO action: try what was "
                           f"discussed on {m.theme.name.lower() if m.theme else 'the theme'}")
            if m.number == 3 and fake.commitment < 0.55:
                dropped.add(firm.pk)
    Rsvp.objects.bulk_create(rsvps)
    Attendance.objects.bulk_create(marks)
    SessionFeedback.objects.bulk_create(feedback)
    for firm in Firm.objects.filter(pk__in=dropped):
        firm.withdrawn_at = now - timedelta(days=100)
        firm.withdrawal_reason = "DEMO: too busy to attend"
        firm.group = None
        firm.save()
    if dropped:  # the groups' explanations describe the members who remain
        groups_refresh_explanations(programme=programme)


# Made-up session notes for the meetings held, one per meeting number (a facilitator's notes).
DEMO_NOTES = (
    "DEMO notes (made up for the demonstration): introductions. Each owner-manager described "
    "their business and one thing they want to improve; the group agreed how it will work. "
    "Theme: {theme}.",
    "DEMO notes (made up): members reported back on their first actions, then discussed "
    "{theme}. One member offered to show the others the tool they use.",
    "DEMO notes (made up): a short talk on {theme} from the facilitator, then each member "
    "said what they would try before the next meeting.",
    "DEMO notes (made up): the host showed the group round their premises; discussion of "
    "{theme} and of hiring. Members swapped contacts for suppliers they trust.",
    "DEMO notes (made up): progress check on everyone's actions; most had tried something. "
    "Discussion of {theme}.",
    "DEMO notes (made up): {theme}; members compared what had worked and what had not, and "
    "planned the last meetings.",
)


def _notes(programme: Programme, meetings: list[Meeting], now: datetime) -> None:
    """Session notes for most meetings held. Every other group has not written up its latest
    meeting yet, so a facilitator's page shows meetings with notes and without."""
    order = {g: i for i, g in enumerate(programme.groups.order_by("label")
                                        .values_list("pk", flat=True))}
    held: dict[int, list[Meeting]] = {}
    for m in sorted(meetings, key=lambda m: m.starts_at):
        if m.starts_at <= now:
            held.setdefault(m.group_id, []).append(m)
    written = []
    for group_id, done in held.items():
        unwritten = done[-1] if order[group_id] % 2 == 0 else None
        for m in done:
            if m is unwritten:
                continue
            theme = m.theme.name.lower() if m.theme else "the programme's themes"
            m.notes = DEMO_NOTES[(m.number - 1) % len(DEMO_NOTES)].format(theme=theme)
            written.append(m)
    Meeting.objects.bulk_update(written, ["notes"])


def _surveys(programme: Programme, firms: dict[int, object], rng, now: datetime) -> None:
    """Answers dated as real ones would be: the baseline a few days after registering (before
    the firm was placed in a group), the end survey in the past week (it opened on
    ``wave_opens_on``), so the outcomes leave no demo firm out."""
    end_opens = timezone.make_aware(datetime.combine(
        wave_opens_on(programme=programme, wave=Wave.END), time(0, 0)))
    dated: list[tuple[int, str, datetime]] = []
    for firm in Firm.objects.filter(programme=programme, eligible=True):
        fake = firms[firm.pk]
        if rng.random() < 0.9:
            diagnostic_submit(enforce_window=False, firm=firm, wave=Wave.BASELINE, answers=fake_answers(
                level=fake.level, digital=fake.digital, rng=rng))
            when = firm.registered_at + timedelta(days=int(rng.integers(1, 4)),
                                                  hours=int(rng.integers(8, 18)))
            latest = (firm.grouped_at or now) - timedelta(hours=1)
            dated.append((firm.pk, Wave.BASELINE, min(when, latest)))
        treated = firm.grouped_at is not None and firm.withdrawn_at is None
        if rng.random() < 0.75:
            gain = (0.08, 0.12) if treated else (0.01, 0.02)
            diagnostic_submit(enforce_window=False, firm=firm, wave=Wave.END, answers=fake_answers(
                level=min(0.95, fake.level + gain[0]), digital=min(0.95, fake.digital + gain[1]),
                rng=rng))
            when = now - timedelta(days=int(rng.integers(0, 7)), hours=int(rng.integers(0, 6)))
            dated.append((firm.pk, Wave.END, max(when, end_opens)))
    for firm_id, wave, when in dated:  # submitted_at is set on save (auto_now): date it after
        DiagnosticResponse.objects.filter(firm_id=firm_id, wave=wave).update(
            submitted_at=when, first_submitted_at=when)


def _costs(programme: Programme, meetings: list[Meeting], now: datetime) -> None:
    held = [m for m in meetings if m.starts_at <= now]
    cost_record(programme=programme, category="promotion", amount=Decimal("2500"),
                incurred_on=programme.starts_on, description="DEMO recruitment campaign")
    for m in held:
        cost_record(programme=programme, category="facilitation", amount=Decimal("450"),
                    incurred_on=m.starts_at.date(), group=m.group, meeting=m,
                    description=f"DEMO facilitator fee, group {m.group.label} meeting {m.number}")
        if m.mode == "in_person":
            cost_record(programme=programme, category="hosting", amount=Decimal("120"),
                        incurred_on=m.starts_at.date(), group=m.group, meeting=m,
                        description=f"DEMO room and refreshments, group {m.group.label}")


@transaction.atomic
def demo_peers_create(*, ca_code: str = "E47000001", firms: int = 120, seed: int = 1,
                      password: str | None = None, late_joiners: int = 6,
                      time_limit: float = 3.0, stage: str = "full") -> dict:
    """Create (or re-create) the DEMO programme; returns what was made and how to sign in.

    stage "full": six months of a running programme, with ``firms`` firms registered before the
    groups were formed and ``late_joiners`` more since, waiting to be placed; "registered":
    ``firms`` firms have registered and nothing else has happened, so a manager can form the
    groups and schedule meetings."""
    if late_joiners < 0:
        raise PeersError("late_joiners cannot be negative")
    if stage not in ("full", "registered"):
        raise PeersError("stage must be 'full' or 'registered'")
    ca = Area.objects.filter(code=ca_code, level=Level.CA).first()
    if ca is None:
        raise PeersError(f"{ca_code} is not a Combined Authority code (load the geography "
                         "first with `locus load`)")
    rng = np.random.default_rng(seed)
    now = timezone.now()
    today = timezone.localdate()
    password = password or secrets.token_urlsafe(12)
    manager = _user("demo-manager", Role.PROGRAMME_MANAGER, password, "DEMO Manager")
    programme = _programme(ca, manager, today)
    programme.time_limit_seconds = time_limit
    programme.save()
    # the full stage's late joiners register after the groups were formed, on top of ``firms``
    late_joiners = late_joiners if stage == "full" else 0
    made, spare = _firms(programme, ca, firms + late_joiners, rng, now)
    if stage == "registered":
        _user("demo-facilitator", Role.FACILITATOR, password, "DEMO Facilitator 1")
        _analyze()
        return {"programme": programme, "firms": len(made), "groups": 0, "meetings": 0,
                "password": password, "manager": manager.username,
                "facilitator": "demo-facilitator", "firm_member": "(none yet)",
                "late_joiners": 0, "seconds_grouping": 0.0}
    fakes = {f.pk: fake for f, fake in made}
    late = [f for f, _ in made[firms:]]
    Firm.objects.filter(pk__in=[f.pk for f in late]).update(registered_at=now - timedelta(
        days=5))
    eligible = [f.pk for f, _ in made[:firms] if f.eligible]
    waitlist = rng.choice(eligible, size=len(eligible) // 5, replace=False).tolist()
    Firm.objects.filter(pk__in=waitlist).update(arm=Arm.COMPARISON)
    held_back = Firm.objects.filter(pk__in=[f.pk for f in late], eligible=True)
    held_back.update(eligible=False)  # registered after the groups were formed
    run = groups_form_programme(programme=programme, user=manager)
    Firm.objects.filter(pk__in=[f.pk for f in late if not f.ineligible_reasons]).update(
        eligible=True)
    Firm.objects.filter(programme=programme, grouped_at__isnull=False).update(
        grouped_at=now - timedelta(days=195))
    facilitators = [_user(f"demo-facilitator{'' if i == 0 else f'-{i + 1}'}", Role.FACILITATOR,
                          password, f"DEMO Facilitator {i + 1}") for i in range(3)]
    for i, group in enumerate(programme.groups.order_by("label")):
        group_assign_facilitator(group=group, user=facilitators[i % 3])
    _venues(programme, spare)
    meetings = _meetings(programme, today)
    _activity(programme, fakes, meetings, rng, now)
    _notes(programme, meetings, now)
    _surveys(programme, fakes, rng, now)
    _costs(programme, meetings, now)
    member = _firm_member(programme, password)
    _analyze()
    return {"programme": programme, "firms": len(made), "groups": run.n_groups,
            "meetings": len(meetings), "password": password, "manager": manager.username,
            "facilitator": facilitators[0].username, "firm_member": member,
            "late_joiners": len(late), "seconds_grouping": run.seconds}


def _analyze() -> None:
    """Refresh PostgreSQL's planner statistics after the bulk load (autovacuum would, later)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Firm, Attendance, Meeting, Rsvp, Contact):
                cursor.execute(f"ANALYZE {model._meta.db_table}")


def _firm_member(programme: Programme, password: str) -> str:
    """Give the first grouped firm's contact a sign-in account 'demo-firm'."""
    get_user_model().objects.filter(username="demo-firm").delete()
    contact = (Contact.objects.filter(firm__programme=programme, firm__group__isnull=False)
               .order_by("firm__name").first())
    user = _user("demo-firm", Role.FIRM_MEMBER, password, contact.name)
    contact.user = user
    contact.save(update_fields=["user"])
    return user.username
