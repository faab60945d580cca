"""Pupils of the two classes of an exchange, paired (or grouped in a trio) by the engine.

A pairing is one proposal for the whole exchange; both teachers may swap pupils while it
is proposed, and it is final once both have confirmed. Each group then gets its room.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from exchanges.models.classrooms import ClassroomExchange
from exchanges.models.people import Participant
from exchanges.models.rooms import Room


class PupilPairing(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("pupil pairing status", "Proposed")
        CONFIRMED = "confirmed", pgettext_lazy("pupil pairing status", "Confirmed")
        REPLACED = "replaced", pgettext_lazy("pupil pairing status", "Replaced")

    exchange = models.ForeignKey(
        ClassroomExchange, on_delete=models.CASCADE, related_name="pupil_pairings"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Each teacher confirms for their class; the pairing is final once both have.
    confirmed_a_at = models.DateTimeField(null=True, blank=True)
    confirmed_b_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    total_score = models.FloatField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["exchange"],
                condition=Q(status__in=["proposed", "confirmed"]),
                name="pupil_pairing_one_live",
            )
        ]

    def __str__(self) -> str:
        return f"Pairing of {self.exchange} ({self.status})"

    @property
    def is_proposed(self) -> bool:
        return self.status == self.Status.PROPOSED


class PupilGroup(models.Model):
    """A pair, or a trio where the class sizes differ, with the engine's explanation."""

    pairing = models.ForeignKey(PupilPairing, on_delete=models.CASCADE, related_name="groups")
    members = models.ManyToManyField(Participant, related_name="pupil_groups")
    score = models.FloatField(default=0)
    # The engine's explanation of each pair in the group (one entry per pair).
    explanation = models.JSONField(default=list, blank=True)
    room = models.OneToOneField(
        Room, on_delete=models.SET_NULL, null=True, blank=True, related_name="pupil_group"
    )

    class Meta:
        ordering = ["pairing", "id"]

    def __str__(self) -> str:
        return f"Group {self.pk} of pairing {self.pairing_id}"
