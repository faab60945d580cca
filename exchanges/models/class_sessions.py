"""Class sessions: a weekly time one teacher proposes in both schools' shared hours and
the other confirms (the sessions themselves are ``Session`` rows with ``exchange``),
and the private calendar feed of a teacher, who has no Participant row."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from exchanges.models.classrooms import ClassroomExchange


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class ClassSessionProposal(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("class session proposal status", "Proposed")
        CONFIRMED = "confirmed", pgettext_lazy("class session proposal status", "Confirmed")
        WITHDRAWN = "withdrawn", pgettext_lazy("class session proposal status", "Withdrawn")

    exchange = models.ForeignKey(
        ClassroomExchange, on_delete=models.CASCADE, related_name="session_proposals"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The first occurrence in UTC; later ones keep the proposing school's wall-clock time.
    first_start = models.DateTimeField()
    anchor_tz = models.CharField(max_length=64)
    minutes = models.PositiveSmallIntegerField(default=45)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Class sessions from {self.first_start:%Y-%m-%d %H:%M} UTC ({self.status})"


class TeacherCalendar(models.Model):
    """The secret token of a teacher's calendar feed of class sessions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teacher_calendar"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar of {self.user}"
