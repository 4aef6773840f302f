"""Writes for running a programme from the web: edit its settings and eligibility rules (and
re-check firms not yet in a group), and create cohorts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from locus.geography.models import Area
from locus.peers.errors import PeersFieldError, PeersFieldErrors
from locus.peers.models import Cohort, CostEntry, Firm, Meeting, Programme, Theme
from locus.peers.models.meetings import MeetingStatus
from locus.peers.rules import Applicant, eligibility_reasons
from locus.peers.scheduling import LONDON, day_long
from locus.peers.services import ProgrammeData, programme_dates_check, programme_rules

# Programme fields a manager may set from the edit page (besides name, dates, places, themes).
EDITABLE = ("summary", "budget", "delivery_partner", "registration_open", "require_in_area",
            "min_years_trading", "min_employees", "max_employees", "min_turnover",
            "max_turnover", "group_min_size", "group_max_size", "max_km", "competitor_km",
            "sector_cap", "time_limit_seconds", "meeting_minutes", "completion_meetings",
            "comparison")


def rules_problems(rules: dict) -> list[PeersFieldError]:
    """Every contradiction in the eligibility and group-size rules (a missing value is not
    checked), each naming its field."""
    pairs = (("min_employees", "max_employees", "The minimum number of employees cannot be "
              "more than the maximum"),
             ("min_turnover", "max_turnover", "The minimum turnover cannot be more than the "
              "maximum"),
             ("group_min_size", "group_max_size", "The smallest group cannot be larger than the "
              "largest"))
    return [PeersFieldError(message, field=low) for low, high, message in pairs
            if rules.get(low) is not None and rules.get(high) is not None
            and rules[low] > rules[high]]


def rules_check(rules: dict) -> None:
    """Refuse contradictory eligibility or group-size rules, naming the field (every one at
    once: a PeersFieldErrors when there are several)."""
    problems = rules_problems(rules)
    if problems:
        raise problems[0] if len(problems) == 1 else PeersFieldErrors(problems)


def _themes_sync(programme: Programme, themes: list[tuple[str, str]]) -> None:
    """Keep themes still listed (with their firms and meetings), add new ones, delete the rest
    (meetings on a deleted theme keep their date and lose the theme)."""
    existing = {t.name: t for t in programme.themes.all()}
    wanted = {name for name, _ in themes}
    programme.themes.exclude(name__in=wanted).delete()
    for order, (name, kind) in enumerate(themes):
        theme = existing.get(name)
        if theme is None:
            Theme.objects.create(programme=programme, name=name, kind=kind, order=order)
        elif (theme.kind, theme.order) != (kind, order):
            theme.kind, theme.order = kind, order
            theme.save(update_fields=["kind", "order"])


def eligibility_recheck(*, programme: Programme, year: int | None = None) -> int:
    """Apply the programme's current rules to every firm not yet placed in a group; returns
    how many firms changed between eligible and not eligible."""
    rules = programme_rules(programme=programme)
    year = year or timezone.localdate().year
    changed = 0
    firms = Firm.objects.filter(programme=programme, group__isnull=True).select_related(
        "lad", "itl3", "combined_authority")
    for firm in firms:
        lad = firm.lad
        codes = frozenset(a for a in (
            lad and lad.code, firm.itl3_id, firm.combined_authority_id,
            lad and lad.region_id, lad and lad.nation_id) if a)
        reasons = eligibility_reasons(rules=rules, year=year, applicant=Applicant(
            employees=firm.employees, turnover=firm.turnover,
            trading_since=firm.trading_since, area_codes=codes))
        if (not reasons) != firm.eligible or reasons != firm.ineligible_reasons:
            changed += (not reasons) != firm.eligible
            firm.eligible, firm.ineligible_reasons = not reasons, reasons
            firm.save(update_fields=["eligible", "ineligible_reasons"])
    return changed


def _things(counts: list[tuple[int, str, str]]) -> str:
    """"2 cost entries and 1 meeting" from (count, singular, plural) rows."""
    parts = [f"{n} {one if n == 1 else many}" for n, one, many in counts if n]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def programme_dates_outside(*, programme: Programme, starts_on: date, ends_on: date
                            ) -> list[PeersFieldError]:
    """What new dates would leave outside the programme: cost entries that count (corrected and
    removed ones are history), meetings not cancelled (by their day in UK time) and cohort start
    dates, before the start (at the start date) or after the end (at the end date). Only a date
    moved inwards is checked (a later start, an earlier end), so a programme that already has
    something outside its dates can still be edited, and its dates widened to take it in. A
    cohort starting on the programme's present start moves with it, so it is not counted."""
    costs = CostEntry.objects.filter(programme=programme, superseded_at__isnull=True)
    meetings = Meeting.objects.filter(group__programme=programme,
                                      status=MeetingStatus.SCHEDULED)
    cohorts = programme.cohorts.filter(starts_on__isnull=False).exclude(
        starts_on=programme.starts_on)
    first = datetime.combine(starts_on, time.min, tzinfo=LONDON)
    after = datetime.combine(ends_on + timedelta(days=1), time.min, tzinfo=LONDON)
    problems = []
    for field, side, cost_q, meeting_q, cohort_q in (
            ("starts_on", "before", Q(incurred_on__lt=starts_on), Q(starts_at__lt=first),
             Q(starts_on__lt=starts_on)),
            ("ends_on", "after", Q(incurred_on__gt=ends_on), Q(starts_at__gte=after),
             Q(starts_on__gt=ends_on))):
        early = side == "before"
        if (starts_on <= programme.starts_on) if early else (ends_on >= programme.ends_on):
            continue  # not moved inwards
        agg = Min if early else Max
        c = costs.filter(cost_q).aggregate(n=Count("pk"), d=agg("incurred_on"))
        m = meetings.filter(meeting_q).aggregate(n=Count("pk"), d=agg("starts_at"))
        h = cohorts.filter(cohort_q).aggregate(n=Count("pk"), d=agg("starts_on"))
        if not (c["n"] or m["n"] or h["n"]):
            continue
        days = [d for d in (c["d"], m["d"] and timezone.localtime(m["d"], LONDON).date(),
                            h["d"]) if d is not None]
        edge = min(days) if early else max(days)
        text = _things([(c["n"], "cost entry", "cost entries"), (m["n"], "meeting", "meetings"),
                        (h["n"], "cohort", "cohorts")])
        verb = "are" if c["n"] + m["n"] + h["n"] > 1 else "is"
        fixes = [fix for n, fix in ((c["n"], "correct or remove the cost entries on the Costs "
                                               "page"),
                                    (m["n"], "move or cancel the meetings")) if n]
        problems.append(PeersFieldError(
            f"{text} {verb} dated {side} {day_long(starts_on if early else ends_on)}: choose "
            f"{'a start' if early else 'an end'} date on or {side} {day_long(edge)}"
            + (f", or first {' and '.join(fixes)}" if fixes else ""), field=field))
    return problems


@transaction.atomic
def programme_update(*, programme: Programme, data: ProgrammeData) -> int:
    """Save a manager's edit; returns the number of firms whose eligibility changed. New dates
    are refused if they leave costs, meetings or cohorts outside the programme; a date kept as
    stored is not held to the plausible range (see ``programme_dates_check``)."""
    programme_dates_check(starts_on=data.starts_on, ends_on=data.ends_on,
                          stored=(programme.starts_on, programme.ends_on))
    outside = programme_dates_outside(programme=programme, starts_on=data.starts_on,
                                      ends_on=data.ends_on)
    if outside:
        raise outside[0] if len(outside) == 1 else PeersFieldErrors(outside)
    rules_check(data.rules)
    unknown = set(data.rules) - set(EDITABLE)
    if unknown:
        raise PeersFieldError(f"Unknown setting {', '.join(sorted(unknown))}", field="__all__")
    places = list(Area.objects.filter(code__in=data.place_codes))
    if len(places) != len(set(data.place_codes)):
        raise PeersFieldError("Enter places served that Locus knows", field="places")
    programme.cohorts.filter(starts_on=programme.starts_on).update(starts_on=data.starts_on)
    programme.name, programme.starts_on, programme.ends_on = (
        data.name, data.starts_on, data.ends_on)
    programme.summary, programme.budget = data.summary, data.budget
    programme.delivery_partner = data.delivery_partner
    for key, value in data.rules.items():
        setattr(programme, key, value)
    programme.save()
    programme.places.set(places)
    _themes_sync(programme, data.themes)
    return eligibility_recheck(programme=programme)


def registration_set(*, programme: Programme, is_open: bool) -> bool:
    """Open or close a programme's public registration; returns whether it changed. A closed
    programme is not listed on the public landing page and its form says registration is
    closed."""
    if programme.registration_open == is_open:
        return False
    programme.registration_open = is_open
    programme.save(update_fields=["registration_open"])
    return True


def cohort_create(*, programme: Programme, name: str, starts_on: date | None) -> Cohort:
    name = name.strip()
    if not name:
        raise PeersFieldError("Enter the cohort's name", field="name")
    if programme.cohorts.filter(name__iexact=name).exists():
        raise PeersFieldError(f"This programme already has a cohort called {name}",
                              field="name")
    if starts_on is not None and not programme.starts_on <= starts_on <= programme.ends_on:
        raise PeersFieldError("The cohort must start between the programme's start and end "
                              "dates", field="starts_on")
    try:
        return Cohort.objects.create(programme=programme, name=name, starts_on=starts_on)
    except IntegrityError:
        raise PeersFieldError("This cohort could not be saved", field="name") from None
