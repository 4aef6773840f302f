"""Writes for programmes, registration and the recruitment status of firms."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from locus.accounts.confirmation import (
    confirmation_release,
    confirmation_start,
    confirmation_waiting,
)
from locus.accounts.roles import Role
from locus.accounts.selectors import users_by_email
from locus.accounts.services import password_validate
from locus.errors import PostcodeError
from locus.geography.geocoding import PostcodePlace, postcode_place_get
from locus.geography.models import Area
from locus.grouping.problem import sic_normalise
from locus.peers.errors import DuplicateRegistrationError, PeersFieldError, PeersFieldErrors
from locus.peers.mail import registration_address_taken_notify
from locus.peers.models import Cohort, Contact, Firm, Programme, Theme
from locus.peers.models.firms import Arm
from locus.peers.models.meetings import Presence
from locus.peers.rules import (
    Applicant,
    EligibilityRules,
    company_number_normalise,
    eligibility_reasons,
    name_key,
)
from locus.peers.scheduling import day_long

CONSENT_WORDING = "peers-consent-2025-1"
RESERVED_SLUGS = {"new", "facilitate", "my", "calendar", "groups", "meetings"}
POSTCODE_MESSAGES = {
    "malformed": "Enter a full UK postcode, like SW1A 1AA",
    "unknown": "We could not find that postcode. Check it and enter it again",
    "no_location": "That postcode has no location we can use. Enter the postcode of the "
                   "business's premises",
    "not_bundled": "We cannot check Northern Ireland postcodes yet, because they are published "
                   "under a separate licence. Contact the programme team to register",
}


@dataclass(kw_only=True)
class ProgrammeData:
    name: str
    starts_on: date
    ends_on: date
    summary: str = ""
    budget: Decimal = Decimal(0)
    delivery_partner: str = ""
    place_codes: list[str] = field(default_factory=list)
    themes: list[tuple[str, str]] = field(default_factory=list)  # (name, kind)
    rules: dict = field(default_factory=dict)  # eligibility / grouping / meeting fields


# Plausible programme dates: none start before 2000 (no earlier data is used), and none are
# planned more than ten years ahead; outside these a date is taken for a typo (1900, 2999).
EARLIEST_YEAR = 2000
YEARS_AHEAD = 10


def programme_dates_check(*, starts_on: date, ends_on: date, today: date | None = None,
                          stored: tuple[date, date] | None = None) -> None:
    """Refuse implausible programme dates (PeersFieldError, or PeersFieldErrors with every
    problem): each between 1 January 2000 and 31 December ten years from now, and the end after
    the start. The cost ledger checks its entries against these dates (ADR 16). ``stored`` are
    an existing programme's dates: one kept unchanged is not held to the range (so a programme
    saved before the rule, or whose end was then within ten years, can still be edited and its
    dates put right one at a time)."""
    today = today or timezone.localdate()
    low, high = date(EARLIEST_YEAR, 1, 1), date(today.year + YEARS_AHEAD, 12, 31)
    kept = stored or (None, None)
    problems = []
    for value, old, field_name, noun in ((starts_on, kept[0], "starts_on", "Start date"),
                                         (ends_on, kept[1], "ends_on", "End date")):
        if value != old and not low <= value <= high:
            problems.append(PeersFieldError(f"{noun} must be between {day_long(low)} and "
                                            f"{day_long(high)}", field=field_name))
    if not problems and ends_on <= starts_on:
        problems.append(PeersFieldError("The end date must be after the start date",
                                        field="ends_on"))
    if problems:
        raise problems[0] if len(problems) == 1 else PeersFieldErrors(problems)


@transaction.atomic
def programme_create(*, data: ProgrammeData, manager=None, is_demo: bool = False) -> Programme:
    programme_dates_check(starts_on=data.starts_on, ends_on=data.ends_on)
    places = list(Area.objects.filter(code__in=data.place_codes))
    missing = set(data.place_codes) - {a.code for a in places}
    if missing:
        raise PeersFieldError(f"Unknown area code {', '.join(sorted(missing))}", field="places")
    base = slugify(data.name)[:60] or "programme"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Programme.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    programme = Programme.objects.create(
        name=data.name, slug=slug, summary=data.summary, starts_on=data.starts_on,
        ends_on=data.ends_on, budget=data.budget, delivery_partner=data.delivery_partner,
        is_demo=is_demo, **data.rules)
    programme.places.set(places)
    for order, (name, kind) in enumerate(data.themes):
        Theme.objects.create(programme=programme, name=name, kind=kind, order=order)
    Cohort.objects.create(programme=programme, name="Cohort 1", starts_on=data.starts_on)
    if manager is not None:
        programme.managers.add(manager)
    return programme


def programme_rules(*, programme: Programme) -> EligibilityRules:
    places = list(programme.places.all()) if programme.require_in_area else []
    return EligibilityRules(
        min_years_trading=programme.min_years_trading, min_employees=programme.min_employees,
        max_employees=programme.max_employees, min_turnover=programme.min_turnover,
        max_turnover=programme.max_turnover, place_codes=frozenset(a.code for a in places),
        place_names=" or ".join(a.name for a in places))


@dataclass(kw_only=True)
class RegistrationData:
    business_name: str
    company_number: str = ""
    sic: str
    employees: int
    turnover: Decimal | None = None
    trading_since: int | None = None
    postcode: str
    meeting_mode: str = "either"
    theme_ids: list[int] = field(default_factory=list)
    contact_name: str
    email: str
    phone: str = ""
    job_title: str = ""
    consent_research: bool = False
    password: str = ""


def postcode_place(*, text: str) -> PostcodePlace:
    """Geocode, turning PostcodeError into a GOV.UK field error on 'postcode'."""
    try:
        return postcode_place_get(text=text)
    except PostcodeError as exc:
        raise PeersFieldError(POSTCODE_MESSAGES.get(exc.reason, str(exc)),
                              field="postcode") from None


def _duplicate_check(programme: Programme, number: str, key: str, postcode: str) -> None:
    if number:
        firm = Firm.objects.filter(programme=programme, company_number=number).first()
        if firm:
            raise DuplicateRegistrationError(
                f"A business with Companies House number {number} is already registered for "
                "this programme. You do not need to register again", field="company_number",
                firm_id=firm.pk)
    firm = Firm.objects.filter(programme=programme, name_key=key, postcode=postcode).first()
    if firm:
        raise DuplicateRegistrationError(
            f"{firm.name} at {postcode} is already registered for this programme. You do not "
            "need to register again", field="business_name", firm_id=firm.pk)


def _number(text: str) -> str:
    try:
        return company_number_normalise(text) if text.strip() else ""
    except ValueError as exc:
        raise PeersFieldError(str(exc), field="company_number") from None


def _sic(text: str) -> str:
    try:
        return sic_normalise(text)
    except ValueError as exc:  # a code not in the list: the checker names the nearest real ones
        words = str(exc).strip()
        raise PeersFieldError(words.replace("SIC code ", "", 1) if "is not a SIC 2007" in words else
                              "Enter a SIC 2007 code of 4 or 5 digits, like 62012", field="sic") from None


def _email(text: str) -> str:
    try:
        validate_email(text)
    except ValidationError:
        raise PeersFieldError("Enter an email address in the correct format, like "
                              "name@example.com", field="email") from None
    return text.strip().lower()


def _password(text: str) -> None:
    try:
        password_validate(password=text)  # the rules in GOV.UK words, for any address
    except ValidationError as exc:
        raise PeersFieldError(". ".join(exc.messages), field="password") from None


def registration_problems(*, values: dict, check_password: bool = True) -> list[PeersFieldError]:
    """Every problem with a registration's own fields at once, each at its field: company
    number, SIC code, email address, postcode and (unless ``check_password`` is False, for a
    signed-in firm member) the password. A value missing from ``values`` (the form could not
    read it) is not checked. Duplicates and eligibility are checked by ``firm_register`` once
    these pass."""
    checks = [("company_number", _number), ("sic", _sic), ("email", _email),
              ("postcode", lambda text: postcode_place(text=text))]
    if check_password:
        checks.append(("password", _password))
    problems = []
    for name, check in checks:
        if values.get(name):
            try:
                check(values[name])
            except PeersFieldError as exc:
                problems.append(exc)
    return problems


def _clean(data: RegistrationData) -> tuple[str, str, str]:
    if not data.business_name.strip():
        raise PeersFieldError("Enter the name of the business", field="business_name")
    return _number(data.company_number), _sic(data.sic), _email(data.email)


def _account(data: RegistrationData, email: str, user, now):
    """The firm member's account and the accounts that already have the address: the signed-in
    user, a new one (inactive until its email address is confirmed), or none. An address that
    already has an account gets no second one and no error either (ADR 20, addendum): the
    registration goes on without an account, the page reads as for a new address, and the
    address's owner is emailed (``registration_address_taken_notify``)."""
    if user is not None and user.is_authenticated and \
            user.groups.filter(name=Role.FIRM_MEMBER.value).exists():
        if hasattr(user, "peer_contact"):
            raise PeersFieldError("Your account is already linked to a registered business",
                                  field="email")
        return user, []
    if not data.password:
        return None, []
    _password(data.password)
    confirmation_release(email=email, now=now)  # an account left unconfirmed past its link
    existing = users_by_email(email=email)  # by username or email: never a second account
    if existing:
        make_password(data.password)  # the hashing a new account costs, so the time is alike
        return None, existing
    # inactive until the owner of the address follows the emailed link (ADR 17)
    account = get_user_model().objects.create_user(
        username=email, email=email, password=data.password,
        first_name=data.contact_name[:150], is_active=False)
    account.groups.add(Group.objects.get_or_create(name=Role.FIRM_MEMBER.value)[0])
    return account, []


@transaction.atomic
def firm_register(*, programme: Programme, data: RegistrationData, user=None,
                  now=None, cohort: Cohort | None = None) -> Firm:
    """Register a firm: validate, geocode, refuse duplicates, apply the eligibility rules."""
    now = now or timezone.now()
    number, sic, email = _clean(data)
    place = postcode_place(text=data.postcode)
    postcode = place.location.postcode
    key = name_key(data.business_name) or data.business_name.strip().lower()
    _duplicate_check(programme, number, key, postcode)
    codes = frozenset(a.code for a in (place.lad, place.itl3, place.combined_authority,
                                       place.region, place.nation) if a is not None)
    reasons = eligibility_reasons(
        rules=programme_rules(programme=programme), year=now.year,
        applicant=Applicant(employees=data.employees, turnover=data.turnover,
                            trading_since=data.trading_since, area_codes=codes))
    account, existing = _account(data, email, user, now)
    try:
        with transaction.atomic():
            firm = Firm.objects.create(
                programme=programme, cohort=cohort or programme.cohorts.first(),
                name=data.business_name.strip(), name_key=key, company_number=number, sic=sic,
                employees=data.employees, turnover=data.turnover,
                trading_since=data.trading_since, postcode=postcode, lad=place.lad,
                itl3=place.itl3, combined_authority=place.combined_authority,
                lat=place.location.lat, lon=place.location.lon, meeting_mode=data.meeting_mode,
                registered_at=now, eligible=not reasons, ineligible_reasons=reasons)
    except IntegrityError:  # a simultaneous duplicate
        raise PeersFieldError("This business is already registered for this programme",
                              field="business_name") from None
    firm.themes.set(Theme.objects.filter(programme=programme, pk__in=data.theme_ids))
    Contact.objects.create(
        firm=firm, name=data.contact_name.strip(), email=email, phone=data.phone.strip(),
        job_title=data.job_title.strip(), user=account, consent_programme_at=now,
        consent_research=data.consent_research,
        consent_research_at=now if data.consent_research else None,
        consent_wording=CONSENT_WORDING)
    if account is not None and not account.is_active:
        confirmation_start(user=account, now=now, purpose=f"register {firm.name} for "
                                                          f"{programme.display_name}")
    if existing:
        registration_address_taken_notify(
            email=email, firm=firm, now=now,
            waiting=all(confirmation_waiting(account) for account in existing))
    return firm


@transaction.atomic
def firm_withdraw(*, firm: Firm, reason: str = "", now=None) -> Firm:
    """Record a drop-out: the firm leaves its group (the group may then need rebalancing), and the
    groups' explanations are worked out again from the members who remain."""
    from locus.peers.groups import groups_refresh_explanations

    left_a_group = firm.group_id is not None
    firm.withdrawn_at = now or timezone.now()
    firm.withdrawal_reason = reason[:300]
    firm.group = None
    firm.group_locked = False
    firm.save(update_fields=["withdrawn_at", "withdrawal_reason", "group", "group_locked"])
    if left_a_group:
        groups_refresh_explanations(programme=firm.programme)
    return firm


ATTENDED = Presence.PRESENT  # a firm that came to a meeting has been reached by the programme


def firm_set_arm(*, firm: Firm, arm: str) -> Firm:
    if arm not in Arm.values:
        raise PeersFieldError("Choose participant or comparison group", field="arm")
    if arm == Arm.COMPARISON and firm.group_id:
        raise PeersFieldError(f"{firm.name} is in group {firm.group.label}, so it cannot be a "
                              "comparison firm: the comparison group is firms the programme "
                              "never assigned to a group", field="arm")
    if arm == Arm.COMPARISON and firm.attendance.filter(status=ATTENDED).exists():
        raise PeersFieldError(f"{firm.name} has attended a group meeting, so it cannot be a "
                              "comparison firm: the comparison group is firms the programme has "
                              "not reached", field="arm")
    if arm == Arm.COMPARISON and firm.grouped_at is not None:
        raise PeersFieldError(f"{firm.name} was placed in a group on "
                              f"{day_long(timezone.localtime(firm.grouped_at).date())}, so it cannot "
                              "be a comparison firm: the comparison group is firms the programme "
                              "never assigned to a group", field="arm")
    firm.arm = arm
    firm.save(update_fields=["arm"])
    return firm


@transaction.atomic
def comparison_allocate(*, programme: Programme, share: float, seed: int | None = None) -> int:
    """Randomly put a share of eligible participants never placed in a group on the waitlist
    (comparison)."""
    if not 0 < share < 1:
        raise PeersFieldError("Enter a share between 1 and 99 per cent", field="share")
    pool = list(Firm.objects.filter(programme=programme, eligible=True, arm=Arm.PARTICIPANT,
                                    group__isnull=True, grouped_at__isnull=True,
                                    withdrawn_at__isnull=True)
                .exclude(attendance__status=ATTENDED)  # reached by the programme already
                .order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(seed).sample(pool, round(len(pool) * share))
    return Firm.objects.filter(pk__in=chosen).update(arm=Arm.COMPARISON)
