"""Diagnostic survey responses and the public-cost ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


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
    # when the answers were first given (the outcome timing rules use this: a later edit does
    # not make answers given before the programme into answers given after it)
    first_submitted_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(auto_now=True)  # the last change
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
    """Public money spent. Only facilitation, hosting and promotion are allowed (measure 2).

    Entries are never changed in place (ADR 16): a correction is a new entry that ``corrects``
    the old one, and the old one is marked superseded with who, when and why; a removal marks
    it superseded without a replacement. Totals count entries that are not superseded."""

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
    corrects = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="correction")
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    correction_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-incurred_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(category__in=["facilitation", "hosting",
                                                              "promotion"]),
                                   name="peers_cost_category_allowed"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="peers_cost_positive"),
            models.CheckConstraint(condition=Q(superseded_at__isnull=True)
                                   | ~Q(correction_reason=""),
                                   name="peers_cost_superseded_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.category} £{self.amount} on {self.incurred_on}"

    @property
    def status(self) -> str:
        """"current" (counts in the totals), "corrected" (replaced) or "removed"."""
        if self.superseded_at is None:
            return "current"
        return "corrected" if hasattr(self, "correction") else "removed"
