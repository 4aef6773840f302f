"""The loaded atlas (one live build at a time) and the commercialisation-infrastructure registry.

Atlas tables mirror the Parquet outputs of ``locus.pipeline`` (see its ``TABLE_DOCS``); they are
replaced as a whole, in one transaction, by ``services.atlas_load``. Area codes are plain strings
(the build's own area list, ``AtlasArea``), so an atlas load never touches the geography tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class AtlasBuild(models.Model):
    """One build that was loaded; exactly one is live (served) once any load has succeeded."""

    checksum = models.CharField(max_length=64, help_text="SHA-256 of the build's manifest.json")
    code_version = models.CharField(max_length=120)
    built_at = models.CharField(max_length=40, help_text="created_at from the manifest")
    loaded_at = models.DateTimeField(auto_now_add=True)
    source_dir = models.CharField(max_length=500)
    snapshot_dir = models.CharField(max_length=500, blank=True,
                                    help_text="copy of the Parquet files kept for downloads")
    manifest = models.JSONField()
    rows = models.JSONField(default=dict, help_text="rows loaded per table")
    load_seconds = models.FloatField(default=0.0)
    is_live = models.BooleanField(default=False)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["is_live"], condition=Q(is_live=True),
                                               name="atlas_one_live_build")]

    def __str__(self) -> str:
        return f"atlas build {self.checksum[:12]} ({'live' if self.is_live else 'retired'})"


class Indicator(models.Model):
    """The indicator catalogue of the live build (``locus.pipeline.catalogue``)."""

    id = models.CharField(max_length=60, primary_key=True)
    title = models.CharField(max_length=200)
    definition = models.TextField()
    unit = models.CharField(max_length=60)
    numerator = models.CharField(max_length=200)
    denominator = models.CharField(max_length=100, blank=True)
    scale = models.FloatField()
    direction = models.CharField(max_length=20)
    stage = models.CharField(max_length=30, db_index=True)
    source = models.CharField(max_length=200)
    publisher = models.TextField()
    licence = models.TextField()
    vintage = models.TextField()  # one per input when they differ: "HE research income: 2015-2018; ..."
    native_geography = models.CharField(max_length=60)
    levels = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class AtlasArea(models.Model):
    """An area of the build (ITL3/2/1, LAD, CA, nation, UK) with its 2020 population."""

    code = models.CharField(max_length=12)
    level = models.CharField(max_length=8)
    name = models.CharField(max_length=200)
    parent_code = models.CharField(max_length=12, blank=True)
    itl1_code = models.CharField(max_length=12, blank=True)
    nation_code = models.CharField(max_length=12, blank=True)
    ca_code = models.CharField(max_length=12, blank=True, db_index=True)
    share_in_ca = models.FloatField(null=True)
    population = models.FloatField(null=True)
    land_hectares = models.FloatField(null=True)
    pop_estimated = models.BooleanField(default=False)

    class Meta:
        ordering = ["level", "name"]
        constraints = [models.UniqueConstraint(fields=["code", "level"], name="atlas_area_code_level")]
        indexes = [models.Index(fields=["code"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class IndicatorValue(models.Model):
    """One indicator for one area and year; ``normalised`` (0-1) where the atlas scores it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values",
                                  db_constraint=False)
    area_code = models.CharField(max_length=12)
    level = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    value = models.FloatField(null=True)
    numerator = models.FloatField(null=True)
    denominator = models.FloatField(null=True)
    denominator_year = models.PositiveSmallIntegerField(null=True)
    method = models.CharField(max_length=20)
    coverage = models.FloatField(null=True)
    normalised = models.FloatField(null=True)
    # never scored: a year its input covers only in part, or built from a row its source is known to have
    # wrong (the build's flags; the indicator's year note says why)
    partial_year = models.BooleanField(default=False)
    source_defect = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["indicator", "level", "year"]),
                   models.Index(fields=["area_code", "level"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.area_code} {self.year}"


class StageScore(models.Model):
    area_code = models.CharField(max_length=12)
    level = models.CharField(max_length=8)
    stage = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    score = models.FloatField()
    trend = models.FloatField(null=True)
    n_indicators = models.PositiveSmallIntegerField()
    n_stage_indicators = models.PositiveSmallIntegerField()
    indicators = models.CharField(max_length=400)
    data_year_min = models.PositiveSmallIntegerField(null=True)
    data_year_max = models.PositiveSmallIntegerField(null=True)
    is_latest = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["level", "stage", "year"]),
                   models.Index(fields=["area_code", "level"])]

    def __str__(self) -> str:
        return f"{self.area_code} {self.stage} {self.year}"


class Neighbour(models.Model):
    area_code = models.CharField(max_length=12)
    level = models.CharField(max_length=8)
    neighbour_code = models.CharField(max_length=12)
    rank = models.PositiveSmallIntegerField()
    distance = models.FloatField()
    source = models.CharField(max_length=12)

    class Meta:
        ordering = ["area_code", "rank"]
        indexes = [models.Index(fields=["area_code", "level"])]

    def __str__(self) -> str:
        return f"{self.area_code} ~ {self.neighbour_code}"


class WeakLink(models.Model):
    area_code = models.CharField(max_length=12)
    level = models.CharField(max_length=8)
    stage = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField(null=True)
    expected = models.FloatField()
    actual = models.FloatField()
    gap = models.FloatField()
    lo = models.FloatField()
    hi = models.FloatField()
    is_weak = models.BooleanField()
    is_strong = models.BooleanField()
    predictors = models.CharField(max_length=200, blank=True)
    neighbour_codes = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["area_code", "level"]), models.Index(fields=["level", "stage"])]

    def __str__(self) -> str:
        return f"{self.area_code} {self.stage} gap {self.gap:+.2f}"


class Opportunity(models.Model):
    scope = models.CharField(max_length=12, db_index=True)
    rank = models.PositiveSmallIntegerField()
    area_code = models.CharField(max_length=12, db_index=True)
    area_name = models.CharField(max_length=200)
    level = models.CharField(max_length=8)
    stage = models.CharField(max_length=30)
    priority = models.FloatField()
    reason = models.TextField()
    numbers = models.JSONField(default=dict)

    class Meta:
        ordering = ["scope", "rank"]

    def __str__(self) -> str:
        return f"{self.scope} #{self.rank} {self.area_name}"


class Specialisation(models.Model):
    area_code = models.CharField(max_length=12)
    level = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=30)
    sector = models.CharField(max_length=200)
    value = models.FloatField()
    share = models.FloatField(null=True)
    lq = models.FloatField(null=True)
    is_specialised = models.BooleanField(default=False)
    method = models.CharField(max_length=20)

    class Meta:
        indexes = [models.Index(fields=["area_code", "level"])]

    def __str__(self) -> str:
        return f"{self.area_code} {self.sector}"


class Complexity(models.Model):
    area_code = models.CharField(max_length=12)
    level = models.CharField(max_length=8)
    year = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=30)
    eci = models.FloatField(null=True)
    diversity = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"{self.area_code} {self.source}"


class SiteKind(models.TextChoices):
    UNIVERSITY = "university", "University or HE provider"
    MAKERSPACE = "makerspace", "Makerspace"
    CATAPULT = "catapult", "Catapult centre"
    SCIENCE_PARK = "science_park", "Science or research park"
    INCUBATOR = "incubator", "Incubator"
    ACCELERATOR = "accelerator", "Accelerator"
    POC_FUND = "poc_fund", "Proof-of-concept fund"
    INNOVATION_HUB = "innovation_hub", "Innovation hub"
    OTHER = "other", "Other commercialisation or scale-up support"


REGISTRY_KINDS = [k for k in SiteKind if k not in (SiteKind.UNIVERSITY, SiteKind.MAKERSPACE)]


class SiteOrigin(models.TextChoices):
    HE_PROVIDERS = "he_providers", "Bundled: HE providers (learning-provider.data.ac.uk)"
    MAKERSPACES = "makerspaces", "Bundled: Nesta UK makerspaces survey 2015"
    REGISTRY = "registry", "Registry: added or imported by an analyst"


class InfrastructureSite(models.Model):
    """A place that supports commercialisation or scaling, located to LAD, ITL3 and CA."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=SiteKind.choices, db_index=True)
    origin = models.CharField(max_length=20, choices=SiteOrigin.choices, db_index=True)
    postcode = models.CharField(max_length=10, blank=True)
    lat = models.FloatField(null=True)
    lon = models.FloatField(null=True)
    lad_code = models.CharField(max_length=12, blank=True, db_index=True)
    itl3_code = models.CharField(max_length=12, blank=True, db_index=True)
    ca_code = models.CharField(max_length=12, blank=True, db_index=True)
    website = models.URLField(max_length=300, blank=True)
    source = models.CharField(max_length=300, help_text="Where the entry comes from")
    date_checked = models.DateField(help_text="When the entry was last checked against its source")
    notes = models.TextField(blank=True)
    external_id = models.CharField(max_length=40, blank=True, help_text="e.g. UKPRN")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        permissions = [("import_sites", "Can import infrastructure sites from a CSV file")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class SiteChangeAction(models.TextChoices):
    CREATED = "created", "Added"
    UPDATED = "updated", "Changed"
    DELETED = "deleted", "Deleted"
    IMPORTED = "imported", "Imported from a CSV file"


class InfrastructureSiteChange(models.Model):
    """One edit of a registry entry: who, when, and each field's value before and after. Kept when
    the entry is deleted (``site`` becomes null; ``site_name`` and ``site_ref`` keep what it was)."""

    site = models.ForeignKey(InfrastructureSite, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="changes")
    site_ref = models.PositiveIntegerField(db_index=True, help_text="The entry's id, kept after deletion")
    site_name = models.CharField(max_length=200)
    action = models.CharField(max_length=10, choices=SiteChangeAction.choices)
    changes = models.JSONField(default=dict, help_text="field -> [before, after]")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    username = models.CharField(max_length=150, blank=True, help_text="Kept if the account is removed")
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.site_name} by {self.username or 'the system'} at {self.at:%Y-%m-%d %H:%M}"
