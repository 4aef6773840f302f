"""Programmes, their curriculum, cohorts, venues, facilitators and peer groups."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Comparison(models.TextChoices):
    NONE = "none", "No comparison group"
    WAITLIST = "waitlist", "Waitlist (firms that start later)"
    NON_PARTICIPANTS = "non_participants", "Non-participants (eligible firms that did not take part)"


class Programme(models.Model):
    """A facilitated peer-learning programme run in one or more places."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.TextField(blank=True)
    places = models.ManyToManyField("geography.Area", blank=True, related_name="+",
                                    help_text="Combined Authorities or districts served")
    starts_on = models.DateField()
    ends_on = models.DateField()
    budget = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    delivery_partner = models.CharField(max_length=200, blank=True)
    managers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                      related_name="peer_programmes_managed")
    registration_open = models.BooleanField(default=True)
    is_demo = models.BooleanField(default=False)
    # Eligibility rules (blank = no rule).
    min_years_trading = models.PositiveSmallIntegerField(null=True, blank=True)
    min_employees = models.PositiveIntegerField(null=True, blank=True)
    max_employees = models.PositiveIntegerField(null=True, blank=True)
    min_turnover = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True)
    max_turnover = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True)
    require_in_area = models.BooleanField(default=True)
    # Group-formation settings (passed to locus.grouping.Settings).
    group_min_size = models.PositiveSmallIntegerField(default=8)
    group_max_size = models.PositiveSmallIntegerField(default=10)
    max_km = models.FloatField(default=40.0)
    competitor_km = models.FloatField(default=25.0)
    sector_cap = models.PositiveSmallIntegerField(default=2)
    time_limit_seconds = models.FloatField(default=5.0)
    # Meetings and completion.
    meeting_minutes = models.PositiveSmallIntegerField(default=180)
    completion_meetings = models.PositiveSmallIntegerField(
        default=4, help_text="Meetings attended for a firm to count as having completed")
    comparison = models.CharField(max_length=20, choices=Comparison.choices,
                                  default=Comparison.NONE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return f"DEMO: {self.name}" if self.is_demo and not self.name.startswith("DEMO") \
            else self.name

    @property
    def demo_caution(self) -> str | None:
        """What every export and API answer of a DEMO programme's data says; None otherwise."""
        return DEMO_CAUTION if self.is_demo else None


# Said wherever a DEMO programme's data leaves a page: API answers, downloads, personal data.
DEMO_CAUTION = ("DEMO: demonstration data. The firms, people, survey answers, attendance and costs "
                "are made up (the postcodes are real); do not use them as evidence or as a real "
                "evaluation.")


# The DEMO's sign-in accounts (demo-manager, demo-facilitator, ...) have addresses at this
# reserved domain; no real person's does. Real programmes never offer them, and DEMO programmes
# offer only them.
DEMO_EMAIL_DOMAIN = "demo.example.org"


class ThemeKind(models.TextChoices):
    DIGITAL = "digital", "Digital technologies"
    MANAGEMENT = "management", "Management practices"


class Theme(models.Model):
    """One theme of a programme's curriculum."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=ThemeKind.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"],
                                               name="peers_unique_theme")]

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=120)
    starts_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return self.name


class Facilitator(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="peer_facilitator")
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.shown_name or f"Facilitator {self.pk}"

    @property
    def shown_name(self) -> str:
        """The name other people see: the name recorded here, else the account's full name as
        the person set it; "" when they have given none. Never the sign-in username (older rows
        recorded it as the name when there was no full name): a username shown to firm members
        is half of a sign-in (security review H30, finding 11)."""
        username = (self.user.username or "").strip().casefold()
        for name in (self.name, self.user.get_full_name()):
            name = (name or "").strip()
            if name and name.casefold() != username:
                return name
        return ""

    @property
    def members_name(self) -> str:
        """What firm members are shown: the chosen name, or "your facilitator"."""
        return self.shown_name or "your facilitator"

    @property
    def managers_name(self) -> str:
        """What programme managers are shown (they choose facilitators by username already)."""
        return self.shown_name or f"{self.user.username} (no name given)"


class VenueKind(models.TextChoices):
    MEMBER = "member", "A member firm's premises"
    PARTNER = "partner", "A partner's premises"


class Venue(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    kind = models.CharField(max_length=10, choices=VenueKind.choices, default=VenueKind.PARTNER)
    host_firm = models.ForeignKey("peers.Firm", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="venues")
    accessibility = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RunKind(models.TextChoices):
    FORM = "form", "Formed groups"
    LATE = "late", "Added late joiners"
    REBALANCE = "rebalance", "Rebalanced after drop-outs"


class FormationRun(models.Model):
    """One call of the group-formation engine, with its settings and quality figures."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="runs")
    kind = models.CharField(max_length=10, choices=RunKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    settings = models.JSONField(default=dict)
    n_firms = models.PositiveIntegerField(default=0)
    n_groups = models.PositiveIntegerField(default=0)
    unplaced = models.JSONField(default=list)
    objective = models.FloatField(null=True)
    bound = models.FloatField(null=True)
    gap = models.FloatField(null=True)
    status = models.CharField(max_length=20, blank=True)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} run of {self.programme} at {self.created_at:%Y-%m-%d %H:%M}"


class GroupMode(models.TextChoices):
    ONLINE = "online", "Online"
    IN_PERSON = "in_person", "In person"
    ALTERNATING = "alternating", "Alternating in person and online"


class PeerGroup(models.Model):
    """A peer group of firms with its facilitator (called a group in the interface)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="groups")
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="groups")
    label = models.CharField(max_length=20)
    mode = models.CharField(max_length=12, choices=GroupMode.choices, default=GroupMode.ONLINE)
    facilitator = models.ForeignKey(Facilitator, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="groups")
    explanation = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["label"]
        constraints = [models.UniqueConstraint(fields=["programme", "label"],
                                               name="peers_unique_group_label")]

    def __str__(self) -> str:
        return f"Group {self.label}"
