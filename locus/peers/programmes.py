"""Writes for running a programme from the web: edit its settings and eligibility rules (and
re-check firms not yet in a group), and create cohorts."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from locus.geography.models import Area
from locus.peers.errors import PeersFieldError
from locus.peers.models import Cohort, Firm, Programme, Theme
from locus.peers.rules import Applicant, eligibility_reasons
from locus.peers.services import ProgrammeData, programme_dates_check, programme_rules

# Programme fields a manager may set from the edit page (besides name, dates, places, themes).
EDITABLE = ("summary", "budget", "delivery_partner", "registration_open", "require_in_area",
            "min_years_trading", "min_employees", "max_employees", "min_turnover",
            "max_turnover", "group_min_size", "group_max_size", "max_km", "competitor_km",
            "sector_cap", "time_limit_seconds", "meeting_minutes", "completion_meetings",
            "comparison")


def rules_check(rules: dict) -> None:
    """Refuse contradictory eligibility or group-size rules, naming the field."""
    pairs = (("min_employees", "max_employees", "The minimum number of employees cannot be "
              "more than the maximum"),
             ("min_turnover", "max_turnover", "The minimum turnover cannot be more than the "
              "maximum"),
             ("group_min_size", "group_max_size", "The smallest group cannot be larger than the "
              "largest"))
    for low, high, message in pairs:
        if rules.get(low) is not None and rules.get(high) is not None \
                and rules[low] > rules[high]:
            raise PeersFieldError(message, field=low)


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


@transaction.atomic
def programme_update(*, programme: Programme, data: ProgrammeData) -> int:
    """Save a manager's edit; returns the number of firms whose eligibility changed."""
    programme_dates_check(starts_on=data.starts_on, ends_on=data.ends_on)
    rules_check(data.rules)
    unknown = set(data.rules) - set(EDITABLE)
    if unknown:
        raise PeersFieldError(f"Unknown setting {', '.join(sorted(unknown))}", field="__all__")
    places = list(Area.objects.filter(code__in=data.place_codes))
    if len(places) != len(set(data.place_codes)):
        raise PeersFieldError("Enter places served that Locus knows", field="places")
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
