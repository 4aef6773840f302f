"""Meetings of a group, replies, attendance (recorded apart from replies), feedback, actions."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models

LONDON = ZoneInfo("Europe/London")


class Mode(models.TextChoices):
    ONLINE = "online", "Online"
    IN_PERSON = "in_person", "In person"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


def _uid() -> str:
    return f"{uuid.uuid4()}@locus-peers"


class Meeting(models.Model):
    group = models.ForeignKey("peers.PeerGroup", on_delete=models.CASCADE,
                              related_name="meetings")
    number = models.PositiveSmallIntegerField()
    theme = models.ForeignKey("peers.Theme", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="meetings")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=180)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    venue = models.ForeignKey("peers.Venue", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="meetings")
    video_url = models.URLField(blank=True)
    status = models.CharField(max_length=10, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE")
    uid = models.CharField(max_length=80, unique=True, default=_uid)
    notes = models.TextField(blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["group", "starts_at"]),
                   models.Index(fields=["starts_at", "status"])]

    def __str__(self) -> str:
        return f"Meeting {self.number} of {self.group}"

    @property
    def cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(LONDON)

    @property
    def when(self) -> str:
        """'Tuesday 3 March 2026, 9:30am' in UK time."""
        t = self.local_start
        clock = t.strftime("%-I:%M%p").lower().replace(":00", "")
        return f"{t:%A} {t.day} {t:%B %Y}, {clock}"

    @property
    def where(self) -> str:
        if self.mode == Mode.ONLINE:
            return "Online"
        return self.venue.name if self.venue_id else "In person (venue to be confirmed)"


class Reply(models.TextChoices):
    YES = "yes", "Yes, I will come"
    NO = "no", "No, I cannot come"
    MAYBE = "maybe", "Maybe"


class Rsvp(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    firm = models.ForeignKey("peers.Firm", on_delete=models.CASCADE, related_name="rsvps")
    response = models.CharField(max_length=5, choices=Reply.choices)
    responded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "firm"],
                                               name="peers_unique_rsvp")]

    def __str__(self) -> str:
        return f"{self.firm} to {self.meeting}: {self.response}"


class Presence(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Sent apologies"
    ABSENT = "absent", "Absent"


class Attendance(models.Model):
    """Who actually came, as recorded by the facilitator (not the same as the RSVP)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    firm = models.ForeignKey("peers.Firm", on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=10, choices=Presence.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "firm"],
                                               name="peers_unique_attendance")]
        indexes = [models.Index(fields=["firm", "status"])]

    def __str__(self) -> str:
        return f"{self.firm} at {self.meeting}: {self.status}"


class SessionFeedback(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="feedback")
    firm = models.ForeignKey("peers.Firm", on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(help_text="1 (not useful) to 5 (very useful)")
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "firm"],
                                               name="peers_unique_feedback")]

    def __str__(self) -> str:
        return f"{self.firm} on {self.meeting}: {self.rating}/5"


class ActionStatus(models.TextChoices):
    COMMITTED = "committed", "Committed"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ActionItem(models.Model):
    """An action a firm commits to at a meeting, reported back later (the action-learning cycle)."""

    firm = models.ForeignKey("peers.Firm", on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="actions")
    description = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=ActionStatus.choices,
                              default=ActionStatus.COMMITTED)
    committed_on = models.DateField()
    reported_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-committed_on", "-id"]

    def __str__(self) -> str:
        return self.description


class CalendarToken(models.Model):
    """The secret in a user's calendar-feed address."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="peer_calendar")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
