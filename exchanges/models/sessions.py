import datetime as dt
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from exchanges.models.classrooms import ClassroomExchange
from exchanges.models.matches import Match
from exchanges.models.people import Participant
from exchanges.pure.weekly_instants import reminder_due


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
        SCHEDULED = "scheduled", pgettext_lazy("session status", "Scheduled")
        HELD = "held", pgettext_lazy("session status", "Held")
        MISSED = "missed", pgettext_lazy("session status", "Missed")
        CANCELLED = "cancelled", pgettext_lazy("session status", "Cancelled")

    match = models.ForeignKey(
        Match,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("match"),
    )
    exchange = models.ForeignKey(
        ClassroomExchange,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("class exchange"),
    )
    slot = models.ForeignKey(
        SlotProposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("weekly slot"),
    )
    starts_at = models.DateTimeField(db_index=True, verbose_name=_("starts at"))
    minutes = models.PositiveSmallIntegerField(default=60, verbose_name=_("minutes"))
    # [{"language": "de", "minutes": 30, "for": <participant id>}, ...] in order.
    language_plan = models.JSONField(default=list, blank=True, verbose_name=_("language plan"))
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.SCHEDULED,
        verbose_name=pgettext_lazy("model field", "status"),
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("UID"))
    sequence = models.PositiveIntegerField(
        default=0, help_text=_("iCalendar SEQUENCE"), verbose_name=_("sequence")
    )
    switch_sent_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("language switch sent at")
    )
    settled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("settled at"))
    # One partner proposes to move this session; it moves when the other confirms.
    move_to = models.DateTimeField(null=True, blank=True, verbose_name=_("proposed new start"))
    move_proposed_by = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("move proposed by"),
    )
    # The partner who cancelled the session (not set when a match's end or a new series
    # cancels it): a second cancel from them is told it was theirs.
    cancelled_by = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    # A class session's move is proposed by one teacher (a user, not a participant).
    move_proposed_by_teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
        verbose_name=_("move proposed by a teacher"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
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
        DAY_BEFORE = "24h", pgettext_lazy("reminder kind", "24 hours before")
        SOON = "15m", pgettext_lazy("reminder kind", "15 minutes before")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("session")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("participant"),
    )
    kind = models.CharField(max_length=4, choices=Kind.choices, verbose_name=_("kind"))
    send_at = models.DateTimeField(verbose_name=_("send at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    cancelled = models.BooleanField(default=False, verbose_name=_("cancelled"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant", "kind"], name="reminder_once"
            )
        ]
        indexes = [models.Index(fields=["sent_at", "send_at"])]

    def __str__(self) -> str:
        return f"{self.kind} reminder for session {self.session_id}"


REMINDER_OFFSETS = {
    Reminder.Kind.DAY_BEFORE: dt.timedelta(hours=24),
    Reminder.Kind.SOON: dt.timedelta(minutes=15),
}


def reminder_rows(
    session: Session,
    member_ids: Iterable[int],
    now: dt.datetime,
    horizon: dt.timedelta | None = None,
) -> list[Reminder]:
    """Unsaved 24 h and 15 min reminders per member, skipping those already past (and,
    with ``horizon``, those due later than ``now + horizon``)."""
    return [
        Reminder(session=session, participant_id=pid, kind=kind, send_at=session.starts_at - delta)
        for pid in member_ids
        for kind, delta in REMINDER_OFFSETS.items()
        if reminder_due(session.starts_at - delta, now, horizon)
    ]
