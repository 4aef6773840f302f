"""Firms registered for a programme, and their contacts (the only personal data held)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class MeetingMode(models.TextChoices):
    EITHER = "either", "Online or in person"
    ONLINE = "online", "Online only"
    IN_PERSON = "in_person", "In person only"


class Arm(models.TextChoices):
    PARTICIPANT = "participant", "Participant"
    COMPARISON = "comparison", "Comparison group"


def participant_q(prefix: str = "") -> Q:
    """Firms that took part, for outcomes and unit costs: participants placed in a group that
    are in one now or withdrew from the programme (drop-outs stay: intention to treat). A firm
    moved out of its group and left waiting, not withdrawn, is not one until it is placed
    again. ``prefix`` is the path to the firm, like ``"firm__"``."""
    return Q(**{f"{prefix}arm": Arm.PARTICIPANT, f"{prefix}grouped_at__isnull": False}) & (
        Q(**{f"{prefix}group__isnull": False}) | Q(**{f"{prefix}withdrawn_at__isnull": False}))


def comparison_q(prefix: str = "") -> Q:
    """The comparison group for outcomes: firms marked comparison that the programme never
    assigned or reached, that is never placed in a group (``grouped_at`` is set on a firm's
    first placement and kept when it leaves) and never present at a group meeting. A firm
    placed for a while and then moved out was assigned to the programme, so it is not a
    comparison even if it never came to a meeting."""
    from locus.peers.models.meetings import Attendance, Presence

    # a subquery, not a join on attendance: inside a conditional Count a join would count a
    # response once per attendance row, and let a firm's "absent" row hide its "present" one
    attended = Attendance.objects.filter(status=Presence.PRESENT).values("firm_id")
    return (Q(**{f"{prefix}arm": Arm.COMPARISON, f"{prefix}grouped_at__isnull": True})
            & ~Q(**{f"{prefix}pk__in": attended}))


class Firm(models.Model):
    """A business registered for one programme (recruitment funnel status lives here)."""

    programme = models.ForeignKey("peers.Programme", on_delete=models.CASCADE,
                                  related_name="firms")
    cohort = models.ForeignKey("peers.Cohort", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="firms")
    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, db_index=True,
                                help_text="Normalised name for duplicate detection")
    company_number = models.CharField(max_length=8, blank=True)
    sic = models.CharField(max_length=5, help_text="SIC 2007 class or subclass")
    employees = models.PositiveIntegerField()
    turnover = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True)
    trading_since = models.PositiveSmallIntegerField(null=True, blank=True)
    postcode = models.CharField(max_length=8)
    lad = models.ForeignKey("geography.Area", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+")
    itl3 = models.ForeignKey("geography.Area", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    combined_authority = models.ForeignKey("geography.Area", null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    meeting_mode = models.CharField(max_length=10, choices=MeetingMode.choices,
                                    default=MeetingMode.EITHER)
    themes = models.ManyToManyField("peers.Theme", blank=True, related_name="firms")
    avoid = models.ManyToManyField("self", blank=True, symmetrical=True,
                                   help_text="Declared competitors or customer-supplier pairs")
    registered_at = models.DateTimeField()
    eligible = models.BooleanField(default=False)
    ineligible_reasons = models.JSONField(default=list, blank=True)
    arm = models.CharField(max_length=12, choices=Arm.choices, default=Arm.PARTICIPANT)
    group = models.ForeignKey("peers.PeerGroup", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="firms")
    group_locked = models.BooleanField(default=False)
    grouped_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "company_number"],
                                    condition=~Q(company_number=""),
                                    name="peers_unique_company_number"),
            models.UniqueConstraint(fields=["programme", "name_key", "postcode"],
                                    name="peers_unique_name_postcode"),
        ]
        indexes = [models.Index(fields=["programme", "eligible", "arm"])]

    def __str__(self) -> str:
        return self.name

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class Contact(models.Model):
    """A person at a firm. Consent is recorded with its time and the wording shown."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    job_title = models.CharField(max_length=120, blank=True)
    is_primary = models.BooleanField(default=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="peer_contact")
    consent_programme_at = models.DateTimeField(null=True, blank=True)
    consent_research = models.BooleanField(default=False)
    consent_research_at = models.DateTimeField(null=True, blank=True)
    consent_wording = models.CharField(max_length=40, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_primary", "id"]

    def __str__(self) -> str:
        return self.name


class PairKind(models.TextChoices):
    COMPETITOR = "competitor", "Competitors"
    CUSTOMER_SUPPLIER = "customer_supplier", "Customer and supplier"
    CONFLICT = "conflict", "Another conflict of interest"


class DeclaredPair(models.Model):
    """Two firms a manager has declared must never share a group (kept in `Firm.avoid`, which
    the grouping engine treats as a hard constraint). firm_a has the lower id."""

    programme = models.ForeignKey("peers.Programme", on_delete=models.CASCADE,
                                  related_name="declared_pairs")
    firm_a = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    firm_b = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=PairKind.choices)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["firm_a", "firm_b"], name="peers_unique_pair"),
            models.CheckConstraint(condition=Q(firm_a__lt=models.F("firm_b")),
                                   name="peers_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.firm_a} / {self.firm_b} ({self.get_kind_display().lower()})"
