"""The public-cost ledger: only facilitation, hosting and promotion (measure 2 of the brief),
budget against actual, and unit costs per firm, per meeting and per attended hour."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db.models import Count, F, Sum
from django.utils import timezone

from locus.peers.errors import PeersFieldError
from locus.peers.models import Attendance, CostEntry, Firm, Meeting, PeerGroup, Programme
from locus.peers.models.meetings import MeetingStatus, Presence
from locus.peers.models.outcomes import CostCategory

REFUSAL = ("Public support for peer networks is limited to facilitation, hosting and promotion "
           "costs (measure 2 of the brief)")


def cost_record(*, programme: Programme, category: str, amount, incurred_on: date,
                description: str, supplier: str = "", group: PeerGroup | None = None,
                meeting: Meeting | None = None, user=None) -> CostEntry:
    """Add a cost; anything outside the three categories is refused with the reason."""
    category = (category or "").strip().lower()
    if category not in CostCategory.values:
        shown = f"‘{category}’ is not allowed. " if category else ""
        raise PeersFieldError(f"{shown}{REFUSAL}: choose facilitation, hosting or promotion",
                              field="category")
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise PeersFieldError("Enter the amount in pounds, like 450 or 450.50",
                              field="amount") from None
    if amount <= 0:
        raise PeersFieldError("Enter an amount greater than £0", field="amount")
    if not description.strip():
        raise PeersFieldError("Describe what the money was spent on", field="description")
    for obj, name in ((group, "group"), (meeting and meeting.group, "meeting")):
        if obj is not None and obj.programme_id != programme.pk:
            raise PeersFieldError(f"The {name} belongs to another programme", field=name)
    return CostEntry.objects.create(
        programme=programme, category=category, amount=amount, incurred_on=incurred_on,
        description=description.strip()[:300], supplier=supplier.strip()[:200], group=group,
        meeting=meeting, recorded_by=user if user is not None and user.pk else None)


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


def _per(total: Decimal, n: float) -> Decimal | None:
    return (total / Decimal(str(n))).quantize(Decimal("0.01")) if n else None


def cost_summary(*, programme: Programme, now=None) -> CostSummary:
    now = now or timezone.now()
    rows = dict(CostEntry.objects.filter(programme=programme).values("category")
                .annotate(total=Sum("amount")).values_list("category", "total"))
    by_category = {c: rows.get(c) or Decimal(0) for c in CostCategory.values}
    actual = sum(by_category.values(), Decimal(0))
    firms = Firm.objects.filter(programme=programme, grouped_at__isnull=False).count()
    held = Meeting.objects.filter(group__programme=programme, status=MeetingStatus.SCHEDULED,
                                  starts_at__lte=now)
    minutes = (Attendance.objects.filter(meeting__in=held, status=Presence.PRESENT)
               .aggregate(m=Sum(F("meeting__duration_minutes")))["m"] or 0)
    hours = minutes / 60
    meetings_held = held.aggregate(n=Count("pk"))["n"]
    return CostSummary(budget=programme.budget, actual=actual,
                       remaining=programme.budget - actual, by_category=by_category,
                       firms=firms, meetings_held=meetings_held, attended_hours=hours,
                       per_firm=_per(actual, firms), per_meeting=_per(actual, meetings_held),
                       per_attended_hour=_per(actual, hours))
