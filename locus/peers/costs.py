"""The public-cost ledger: only facilitation, hosting and promotion (measure 2 of the brief),
budget against actual, and unit costs per firm, per meeting and per attended hour. Entries are
checked (amount, date within the programme) and corrected by new entries that keep the old ones
(ADR 16)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from locus.peers.errors import CostSupersededError, PeersFieldError, PeersFieldErrors
from locus.peers.models import Attendance, CostEntry, Firm, Meeting, PeerGroup, Programme
from locus.peers.models.firms import participant_q
from locus.peers.models.meetings import MeetingStatus, Presence
from locus.peers.models.outcomes import CostCategory
from locus.peers.scheduling import day_long
from locus.web.format import THOUSANDS_GROUPED

REFUSAL = ("Public support for peer networks is limited to facilitation, hosting and promotion "
           "costs (measure 2 of the brief)")

# What each category covers, as the cost form's hints say it. The brief's measure 2: "public
# support limited to facilitation, hosting and promotional costs"; money passed to firms is none
# of these.
CATEGORY_HINTS = {
    CostCategory.FACILITATION.value: "Fees, travel and training of the people who run the "
                                     "group meetings",
    CostCategory.HOSTING.value: "Rooms, refreshments and online meeting services for the "
                                "meetings",
    CostCategory.PROMOTION.value: "Advertising, events and materials that recruit firms or "
                                  "publicise the programme. Not payments, grants or subsidies "
                                  "to firms",
}
CATEGORIES_HINT = ("The brief (measure 2) limits public support for peer networks to "
                   "“facilitation, hosting and promotional costs”. Money paid to firms, such as "
                   "grants, subsidies or software bought for them, is none of these and is not "
                   "recorded here.")


def budget_overrun_text(*, programme: Programme) -> str:
    """'' while current spending is within the budget (or there is no budget); else what the
    spending is now and by how much it is over, for the confirmation after an entry."""
    summary = cost_summary(programme=programme)
    if summary.budget <= 0 or summary.actual <= summary.budget:
        return ""
    return (f"Spending is now £{summary.actual:,.2f}, over the budget of £{summary.budget:,.2f} "
            f"by £{summary.actual - summary.budget:,.2f}. Check the entry, or change the budget "
            "in Settings if it has grown.")


# One entry above this is taken for a typo when the programme has no budget to compare with
# (the Lancashire re-run cost about £390,000 for up to 30 cohorts in all).
AMOUNT_CEILING = Decimal("1000000")


# Commas may only separate thousands ("1,450" or "12,500.50"): "4,50" is refused, not read as 450.
COMMA_MESSAGE = ("use a full stop for pence and a comma only between thousands, like 1,450.50")


def pounds_text(value) -> str:
    """An amount of pounds as people type it ('£1,450.50'), without the £ sign, spaces and thousands
    commas; ValueError when a comma stands anywhere else ('4,50' is not 450 or 4.50)."""
    text = str(value if value is not None else "").strip().replace("£", "").replace(" ", "")
    if "," in text:
        if not THOUSANDS_GROUPED.fullmatch(text):
            raise ValueError(COMMA_MESSAGE)
        text = text.replace(",", "")
    return text


def _amount(programme: Programme, amount) -> Decimal:
    """Pounds as typed (a £ sign, thousands commas and spaces are allowed), to the penny."""
    try:
        text = pounds_text(amount)
    except ValueError as exc:
        raise PeersFieldError(f"Enter the amount in pounds, like 450 or 1,450.50: {exc}", field="amount") from exc
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite():
        raise PeersFieldError("Enter the amount in pounds, like 450 or 450.50", field="amount")
    if value <= 0:  # negative zero too
        raise PeersFieldError("Enter an amount greater than £0", field="amount")
    # the bounds first: quantizing a value of more than 28 digits (1e27) raises InvalidOperation,
    # and a huge one is not written out in the message (1E+999999999 would be a billion digits)
    shown = f"£{value:,.2f}" if value < 10 ** 15 else "The amount"
    if programme.budget and value > programme.budget:
        raise PeersFieldError(f"{shown} is more than the programme’s whole budget "
                              f"(£{programme.budget:,.2f}): check the amount, or change the "
                              "budget in Settings", field="amount")
    if value > AMOUNT_CEILING:
        raise PeersFieldError(f"Enter an amount of £{AMOUNT_CEILING:,.0f} or less: check the "
                              "amount", field="amount")
    if value != value.quantize(Decimal("0.01")):
        raise PeersFieldError("Enter the amount in pounds and pence, like 450.50",
                              field="amount")
    return value.quantize(Decimal("0.01"))


def _incurred_on(programme: Programme, incurred_on, today: date) -> date:
    """A cost is money already spent, within the programme's dates."""
    if not isinstance(incurred_on, date):
        raise PeersFieldError("Enter the date of the cost", field="incurred_on")
    if incurred_on > today:
        raise PeersFieldError("The date of the cost must be today or in the past: record a "
                              "cost once the money has been spent", field="incurred_on")
    if not programme.starts_on <= incurred_on <= programme.ends_on:
        raise PeersFieldError(f"The date of the cost must be between {day_long(programme.starts_on)} "
                              f"and {day_long(programme.ends_on)}, the programme’s dates (if they "
                              "are wrong, change them in Settings)", field="incurred_on")
    return incurred_on


def _category(category: str) -> str:
    category = (category or "").strip().lower()
    if category not in CostCategory.values:
        shown = f"‘{category}’ is not allowed. " if category else ""
        raise PeersFieldError(f"{shown}{REFUSAL}: choose facilitation, hosting or promotion",
                              field="category")
    return category


def cost_field_problems(*, programme: Programme, values: dict, today: date | None = None
                        ) -> list[PeersFieldError]:
    """The ledger's checks of those of category, amount and incurred_on that ``values`` holds,
    for a form with errors of its own, so that every problem is shown at once (GOV.UK), not
    the amount's only after the rest are put right."""
    today = today or timezone.localdate()
    checks = {"category": _category, "amount": lambda v: _amount(programme, v),
              "incurred_on": lambda v: _incurred_on(programme, v, today)}
    problems = []
    for key, check in checks.items():
        if key in values:
            try:
                check(values[key])
            except PeersFieldError as exc:
                problems.append(exc)
    return problems


def text_limit(column: str) -> int:
    """The most characters the ledger keeps in a text column (its max_length)."""
    return CostEntry._meta.get_field(column).max_length


def _too_long(text: str, *, column: str, field: str) -> PeersFieldError | None:
    """Text longer than its column is refused, never stored shortened: the ledger is an audit
    record, corrected only by recorded entries (H29 A3)."""
    limit = text_limit(column)
    if len(text) > limit:
        return PeersFieldError(f"Must be {limit:,} characters or fewer (you sent {len(text):,})",
                               field=field)
    return None


def _checked(*, programme: Programme, category: str, amount, incurred_on, description: str,
             supplier: str = "", today: date | None) -> dict:
    """The entry's values, cleaned; every problem at once (PeersFieldErrors)."""
    today = today or timezone.localdate()
    checks = {"category": lambda: _category(category),
              "amount": lambda: _amount(programme, amount),
              "incurred_on": lambda: _incurred_on(programme, incurred_on, today)}
    out, problems = {}, []
    for key, check in checks.items():
        try:
            out[key] = check()
        except PeersFieldError as exc:
            problems.append(exc)
    description, supplier = (description or "").strip(), (supplier or "").strip()
    if not description:
        problems.append(PeersFieldError("Describe what the money was spent on",
                                        field="description"))
    problems += [p for p in (_too_long(description, column="description", field="description"),
                             _too_long(supplier, column="supplier", field="supplier")) if p]
    if problems:
        raise problems[0] if len(problems) == 1 else PeersFieldErrors(problems)
    return {**out, "description": description, "supplier": supplier}


def cost_record(*, programme: Programme, category: str, amount, incurred_on: date,
                description: str, supplier: str = "", group: PeerGroup | None = None,
                meeting: Meeting | None = None, user=None, today: date | None = None
                ) -> CostEntry:
    """Add a cost. Refused with the reason: a category other than the three, an amount that is
    not a positive sum of pounds and pence or is larger than the whole budget (£1m without a
    budget), a date in the future or outside the programme's dates."""
    values = _checked(programme=programme, category=category, amount=amount,
                      incurred_on=incurred_on, description=description, supplier=supplier,
                      today=today)
    for obj, name in ((group, "group"), (meeting and meeting.group, "meeting")):
        if obj is not None and obj.programme_id != programme.pk:
            raise PeersFieldError(f"The {name} belongs to another programme", field=name)
    return CostEntry.objects.create(
        programme=programme, **values, group=group,
        meeting=meeting, recorded_by=user if user is not None and user.pk else None)


def _supersede(*, entry: CostEntry, reason: str, user, verb: str) -> CostEntry:
    """Mark the entry superseded, with one conditional update (only if it is not already), so of
    two corrections at once exactly one wins; the other gets CostSupersededError (the API's
    409), its transaction rolled back. Refused without a reason."""
    field = "reason" if verb == "corrected" else "removal_reason"
    reason = (reason or "").strip()
    if not reason:
        raise PeersFieldError(f"Say why the entry is being {verb}", field=field)
    if problem := _too_long(reason, column="correction_reason", field=field):
        raise problem
    won = CostEntry.objects.filter(pk=entry.pk, superseded_at__isnull=True).update(
        superseded_at=timezone.now(),
        superseded_by=user if user is not None and user.pk else None,
        correction_reason=reason)
    current = CostEntry.objects.select_related("superseded_by").get(pk=entry.pk)
    if not won:
        raise CostSupersededError(cost_superseded_text(entry=current), field="entry")
    return current


@transaction.atomic
def cost_correct(*, entry: CostEntry, category: str, amount, incurred_on: date,
                 description: str, supplier: str = "", reason: str, user=None,
                 today: date | None = None) -> CostEntry:
    """Replace an entry by a corrected one (checked like a new entry); the old entry stays in
    the ledger, superseded, with who corrected it, when and why."""
    values = _checked(programme=entry.programme, category=category, amount=amount,
                      incurred_on=incurred_on, description=description, supplier=supplier,
                      today=today)
    if problem := _too_long((reason or "").strip(), column="correction_reason", field="reason"):
        raise problem  # before anything is superseded
    same = all(getattr(entry, k) == v for k, v in values.items())
    if same:
        raise PeersFieldError("Nothing has changed: change the details that are wrong, or "
                              "remove the entry", field="entry")
    old = _supersede(entry=entry, reason=reason, user=user, verb="corrected")
    return CostEntry.objects.create(
        programme=old.programme, **values, group=old.group,
        meeting=old.meeting, corrects=old,
        recorded_by=user if user is not None and user.pk else None)


@transaction.atomic
def cost_remove(*, entry: CostEntry, reason: str, user=None) -> CostEntry:
    """Take an entry made by mistake (a duplicate, say) out of the totals; it stays in the
    ledger, marked removed, with who removed it, when and why."""
    return _supersede(entry=entry, reason=reason, user=user, verb="removed")


def cost_superseded_text(*, entry: CostEntry) -> str:
    """'This entry has already been corrected (or removed) on … by …: reason'."""
    when = timezone.localtime(entry.superseded_at)
    who = f" by {entry.superseded_by.get_full_name() or entry.superseded_by.username}" \
        if entry.superseded_by_id else ""
    return (f"This entry has already been {entry.status} on {day_long(when.date())}{who}: "
            f"{entry.correction_reason}")


@dataclass(frozen=True)
class CostSummary:
    budget: Decimal
    actual: Decimal
    remaining: Decimal
    by_category: dict[str, Decimal]
    firms: int
    meetings_held: int
    attended_hours: float
    per_firm: Decimal | None
    per_meeting: Decimal | None
    per_attended_hour: Decimal | None


def _pence(amount) -> Decimal:
    """Pounds to the penny, always with two places (102.50, not 102.5: a database's sum can
    drop trailing zeros)."""
    return Decimal(str(amount)).quantize(Decimal("0.01"))


def _per(total: Decimal, n: float) -> Decimal | None:
    return (total / Decimal(str(n))).quantize(Decimal("0.01")) if n else None


def cost_summary(*, programme: Programme, now=None) -> CostSummary:
    now = now or timezone.now()
    rows = dict(CostEntry.objects.filter(programme=programme, superseded_at__isnull=True)
                .values("category")
                .annotate(total=Sum("amount")).values_list("category", "total"))
    by_category = {c: _pence(rows.get(c) or 0) for c in CostCategory.values}
    actual = _pence(sum(by_category.values(), Decimal(0)))
    firms = Firm.objects.filter(participant_q(), programme=programme).count()
    held = Meeting.objects.filter(group__programme=programme, status=MeetingStatus.SCHEDULED,
                                  starts_at__lte=now)
    minutes = (Attendance.objects.filter(meeting__in=held, status=Presence.PRESENT)
               .aggregate(m=Sum(F("meeting__duration_minutes")))["m"] or 0)
    hours = minutes / 60
    meetings_held = held.aggregate(n=Count("pk"))["n"]
    budget = _pence(programme.budget)
    return CostSummary(budget=budget, actual=actual, remaining=budget - actual, by_category=by_category,
                       firms=firms, meetings_held=meetings_held, attended_hours=hours,
                       per_firm=_per(actual, firms), per_meeting=_per(actual, meetings_held),
                       per_attended_hour=_per(actual, hours))
