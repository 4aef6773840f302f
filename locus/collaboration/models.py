"""Organisations, the datasets that mention them, projects, participations and network links."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from locus.geography.models import Area


class OrgType(models.TextChoices):
    UNIVERSITY = "university", "University or college"
    RESEARCH = "research", "Research institute"
    RTO = "rto", "RTO or Catapult"
    BUSINESS = "business", "Business"
    PUBLIC = "public", "Public body"
    CHARITY = "charity", "Charity or association"
    UNKNOWN = "unknown", "Type not known"


class OrgSize(models.TextChoices):
    UNKNOWN = "", "Size not known"
    MICRO = "micro", "Micro"
    SMALL = "small", "Small"
    MEDIUM = "medium", "Medium"
    LARGE = "large", "Large"


class Dataset(models.Model):
    """One loaded source: bundled, imported (Innovate UK workbook) or fetched (GtR API)."""

    key = models.CharField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    covers = models.TextField(help_text="What the data covers and what it lacks")
    kind = models.CharField(max_length=12)  # bundled | imported | fetched
    publisher = models.CharField(max_length=200)
    url = models.CharField(max_length=500, blank=True)
    licence = models.CharField(max_length=200)
    attribution = models.CharField(max_length=300, blank=True)
    vintage = models.CharField(max_length=100)
    participant_level = models.BooleanField(default=False)
    checksum = models.CharField(max_length=64, blank=True)
    summary = models.JSONField(default=dict)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


class Organisation(models.Model):
    name = models.CharField(max_length=300)
    normalised_name = models.CharField(max_length=300, db_index=True)
    org_type = models.CharField(max_length=12, choices=OrgType.choices, default=OrgType.UNKNOWN)
    type_basis = models.CharField(max_length=200, blank=True)
    size = models.CharField(max_length=8, choices=OrgSize.choices, blank=True, default="")
    size_basis = models.CharField(max_length=200, blank=True)
    gtr_id = models.CharField(max_length=40, null=True, blank=True, unique=True)
    ukprn = models.CharField(max_length=8, blank=True, default="", db_index=True)
    company_number = models.CharField(max_length=10, blank=True, default="", db_index=True)
    postcode = models.CharField(max_length=8, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    lad = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    itl3 = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    combined_authority = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+")
    region_name = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, default="GB", help_text="ISO 3166 alpha-2")
    place_basis = models.CharField(max_length=200, blank=True)
    topics = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_sme(self) -> bool:
        return self.org_type == OrgType.BUSINESS and self.size in ("micro", "small", "medium")


class OrganisationAlias(models.Model):
    """A name under which a dataset knows an organisation (kept for entity resolution)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    normalised_name = models.CharField(max_length=300, db_index=True)
    gtr_id = models.CharField(max_length=40, blank=True, default="",
                              help_text="A further GtR id for the organisation, if the source gave one")
    method = models.CharField(max_length=20, default="new")  # identifier|exact|fuzzy|new|review

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "dataset", "normalised_name"],
                                               name="unique_alias_per_dataset")]

    def __str__(self) -> str:
        return f"{self.name} -> {self.organisation_id}"


class Project(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="projects")
    reference = models.CharField(max_length=100)
    title = models.CharField(max_length=500)
    abstract = models.TextField(blank=True)
    funder = models.CharField(max_length=100, db_index=True)
    category = models.CharField(max_length=200, blank=True)
    competition = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=50, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    award = models.FloatField(null=True, blank=True, help_text="Project-level award in GBP")
    url = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dataset", "reference"],
                                               name="unique_project_reference")]
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class Participation(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="participations")
    is_lead = models.BooleanField(default=False)
    source_role = models.CharField(max_length=40, blank=True)
    eligible_costs = models.FloatField(null=True, blank=True)
    grant = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "organisation"],
                                               name="unique_participation")]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.project_id}{' (lead)' if self.is_lead else ''}"


class FundingDecision(models.Model):
    """UKRI competitive funding decisions for one organisation, council, year and category."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="decisions")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="funding_decisions")
    council = models.CharField(max_length=20)
    year = models.CharField(max_length=9)
    category = models.CharField(max_length=100)
    applications = models.PositiveIntegerField()
    awards = models.PositiveIntegerField()
    applied_thousands = models.FloatField()
    awarded_thousands = models.FloatField()

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.council} {self.year}: {self.awards}/{self.applications}"


class NetworkNode(models.Model):
    """An organisation in a published network (Nesta's Welsh network), with its own attributes."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="nodes")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="nodes")
    source_name = models.CharField(max_length=300)
    project_count = models.PositiveIntegerField(default=0)
    topics = models.TextField(blank=True)
    area_name = models.CharField(max_length=100, blank=True)
    recommendations = models.JSONField(default=list, help_text="The publisher's own suggestions")

    def __str__(self) -> str:
        return self.source_name


class NetworkLink(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="links")
    source = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    weight = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.source_id}-{self.target_id} ({self.weight})"


class MatchDecision(models.Model):
    """A reviewer's decision on two names; it survives reloads and wins over fuzzy scores."""

    name_a = models.CharField(max_length=300)
    name_b = models.CharField(max_length=300)
    same = models.BooleanField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name_a", "name_b"], name="unique_decision")]

    def __str__(self) -> str:
        return f"{self.name_a} {'=' if self.same else '!='} {self.name_b}"


class MatchReview(models.Model):
    """An uncertain match waiting for an analyst: is ``candidate`` the same as ``existing``?"""

    candidate = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    existing = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    candidate_name = models.CharField(max_length=300)
    existing_name = models.CharField(max_length=300)
    score = models.FloatField()
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="reviews")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score"]

    def __str__(self) -> str:
        return f"{self.candidate_name} ? {self.existing_name} ({self.score})"
