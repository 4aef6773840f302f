"""Group formation run in the background: one job row per request, updated by the worker
process (see ADR 0012)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Forming groups"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


class FormationJob(models.Model):
    programme = models.ForeignKey("peers.Programme", on_delete=models.CASCADE,
                                  related_name="formation_jobs")
    kind = models.CharField(max_length=10)  # a RunKind value
    status = models.CharField(max_length=10, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    time_limit = models.FloatField(help_text="The engine's time limit in seconds")
    pid = models.PositiveIntegerField(null=True, blank=True)
    # The machine the worker runs on: its process id means something only there (a page served
    # from that machine can tell that the worker has gone; see jobs.job_stuck_reason).
    host = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    # Why no grouping was possible: the engine's code and facts per cause (the page words them
    # afresh, see locus.peers.explain.diagnosis_message); `error` keeps the words of the day.
    diagnoses = models.JSONField(default=list, blank=True)
    run = models.ForeignKey("peers.FormationRun", null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["programme"], condition=Q(status__in=["queued", "running"]),
            name="peers_one_active_job")]

    def __str__(self) -> str:
        return f"{self.kind} job {self.pk} ({self.status})"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE
