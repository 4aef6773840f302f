"""Diagnostic survey responses and the public-cost ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Wave(models.TextChoices):
    BASELINE = "baseline", "Baseline (before the first meeting)"
    END = "end", "Programme end"
    FOLLOW_UP = "follow_up", "Six months after the end"


class DiagnosticResponse(models.Model):
    """One firm's answers at one wave, with the scores computed when submitted."""

    firm = models.ForeignKey("peers.Firm", on_delete=models.CASCADE, related_name="diagnostics")
    wave = models.CharField(max_length=10, choices=Wave.choices)
    answers = models.JSONField()
    management_score = models.FloatField()
    continuous_improvement = models.FloatField()
    kpis = models.FloatField()
    targets = models.FloatField()
    employment = models.FloatField()
    digital_index = models.FloatField()
    instrument = models.CharField(max_length=20)
    submitted_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["firm", "wave"],
                                               name="peers_unique_diagnostic_wave")]

    def __str__(self) -> str:
        return f"{self.firm}, {self.wave}: {self.management_score:.2f}"


class CostCategory(models.TextChoices):
    FACILITATION = "facilitation", "Facilitation"
    HOSTING = "hosting", "Hosting"
    PROMOTION = "promotion", "Promotion"


class CostEntry(models.Model):
    """Public money spent. Only facilitation, hosting and promotion are allowed (measure 2)."""

    programme = models.ForeignKey("peers.Programme", on_delete=models.CASCADE,
                                  related_name="costs")
    category = models.CharField(max_length=12, choices=CostCategory.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    incurred_on = models.DateField()
    description = models.CharField(max_length=300)
    supplier = models.CharField(max_length=200, blank=True)
    group = models.ForeignKey("peers.PeerGroup", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="costs")
    meeting = models.ForeignKey("peers.Meeting", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="costs")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-incurred_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(category__in=["facilitation", "hosting",
                                                              "promotion"]),
                                   name="peers_cost_category_allowed"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="peers_cost_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.category} £{self.amount} on {self.incurred_on}"
