"""Areas of every level, their memberships, neighbours and code crosswalks."""

from __future__ import annotations

from django.db import models


class Level(models.TextChoices):
    NATION = "nation", "Nation"
    REGION = "region", "English region"
    ITL1 = "itl1", "ITL1 (2021)"
    ITL2 = "itl2", "ITL2 (2021)"
    ITL3 = "itl3", "ITL3 (2021)"
    CA = "ca", "Combined Authority"
    LAD = "lad", "Local authority district"


class Area(models.Model):
    code = models.CharField(max_length=12, primary_key=True)
    name = models.CharField(max_length=200, db_index=True)
    level = models.CharField(max_length=8, choices=Level.choices, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    nation = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    region = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="region_lads")
    combined_authority = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="ca_lads")
    population = models.BigIntegerField(null=True)
    population_estimated = models.BooleanField(default=False)
    land_hectares = models.FloatField(null=True)
    boundary = models.TextField(blank=True, help_text="GeoJSON geometry (WGS84)")
    bbox = models.JSONField(null=True, help_text="[west, south, east, north]")
    boundary_note = models.TextField(blank=True)
    note = models.TextField(blank=True)
    name_welsh = models.CharField(max_length=200, blank=True, default="",
                                  help_text="The Welsh name ONS publishes (LAD23NMW), for Welsh districts")
    search_text = models.CharField(max_length=300, db_index=True)

    class Meta:
        ordering = ["level", "name"]
        indexes = [models.Index(fields=["level", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def density_per_km2(self) -> float | None:
        if not self.population or not self.land_hectares:
            return None
        return self.population / (self.land_hectares / 100)


class AreaMembership(models.Model):
    """A LAD's place in a higher area; ``share`` < 1 where an ITL3 splits the LAD."""

    child = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="memberships")
    parent = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="member_links")
    relation = models.CharField(max_length=8, choices=Level.choices)
    share = models.FloatField()
    split = models.BooleanField(default=False)
    method = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "parent"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.child_id} in {self.parent_id} ({self.share:.0%})"



class AreaNeighbour(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="neighbour_links")
    neighbour = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "neighbour"], name="unique_neighbour")]

    def __str__(self) -> str:
        return f"{self.area_id} next to {self.neighbour_id}"



class CodeChange(models.Model):
    """A LAD code replaced by a newer one (mergers and re-codings), from ONS change lists."""

    old_code = models.CharField(max_length=12, db_index=True)
    old_name = models.CharField(max_length=200)
    new_code = models.CharField(max_length=12)
    new_name = models.CharField(max_length=200)
    change_type = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"{self.old_code} -> {self.new_code} ({self.year})"



class NutsLad2018(models.Model):
    """ONS LAD (December 2018) to NUTS3/2/1 (January 2018) lookup."""

    lad18_code = models.CharField(max_length=12, db_index=True)
    lad18_name = models.CharField(max_length=200)
    nuts3_code = models.CharField(max_length=6, db_index=True)
    nuts3_name = models.CharField(max_length=200)
    nuts2_code = models.CharField(max_length=5, db_index=True)
    nuts2_name = models.CharField(max_length=200)
    nuts1_code = models.CharField(max_length=4, db_index=True)
    nuts1_name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"{self.lad18_code} in {self.nuts3_code}"



class LoadRecord(models.Model):
    """One successful load of bundled data: what was loaded and from which files."""

    dataset = models.CharField(max_length=50)
    loaded_at = models.DateTimeField(auto_now_add=True)
    checksum = models.CharField(max_length=64)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.dataset} loaded {self.loaded_at:%Y-%m-%d %H:%M}"
