import uuid

from django.conf import settings
from django.db import models

from exchanges.models.classrooms import ClassroomExchange
from exchanges.models.matches import Match
from exchanges.models.people import Participant


class SlotProposal(models.Model):
    """A weekly slot one partner proposed for the match's sessions."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        CONFIRMED = "confirmed", "Confirmed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="slot_proposals")
    proposed_by = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    # The first occurrence in UTC; later ones keep the proposer's local wall-clock time.
    first_start = models.DateTimeField()
    anchor_tz = models.CharField(max_length=64)
    minutes = models.PositiveSmallIntegerField(default=60)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Slot from {self.first_start:%Y-%m-%d %H:%M} UTC ({self.status})"


class Session(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        MISSED = "missed", "Missed"
        CANCELLED = "cancelled", "Cancelled"

    match = models.ForeignKey(
        Match, on_delete=models.CASCADE, null=True, blank=True, related_name="sessions"
    )
    exchange = models.ForeignKey(
        ClassroomExchange,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
    )
    slot = models.ForeignKey(
        SlotProposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    starts_at = models.DateTimeField(db_index=True)
    minutes = models.PositiveSmallIntegerField(default=60)
    # [{"language": "de", "minutes": 30, "for": <participant id>}, ...] in order.
    language_plan = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE")
    switch_sent_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return f"Session {self.pk} at {self.starts_at:%Y-%m-%d %H:%M} UTC"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ATTENDED = "attended", "Attended"
        MISSED = "missed", "Missed"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendances"
    )
    first_join = models.DateTimeField(null=True, blank=True)
    last_leave = models.DateTimeField(null=True, blank=True)
    seconds_present = models.PositiveIntegerField(default=0)
    # Open sockets (tabs) of this person in the room during the session window, and since
    # when at least one has been open: several tabs count once, across server processes.
    open_connections = models.PositiveSmallIntegerField(default=0)
    open_since = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="attendance_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} at session {self.session_id}: {self.status}"


class Reminder(models.Model):
    """A reminder row claimed by the beat task; ``sent_at`` makes it exactly-once."""

    class Kind(models.TextChoices):
        DAY_BEFORE = "24h", "24 hours before"
        SOON = "15m", "15 minutes before"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reminders")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=4, choices=Kind.choices)
    send_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    cancelled = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant", "kind"], name="reminder_once"
            )
        ]
        indexes = [models.Index(fields=["sent_at", "send_at"])]

    def __str__(self) -> str:
        return f"{self.kind} reminder for session {self.session_id}"


class Notification(models.Model):
    """An in-app notification (the bell on every page)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text


class AuditEvent(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verb = models.CharField(max_length=60)
    target = models.CharField(max_length=120, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.verb} {self.target}"
