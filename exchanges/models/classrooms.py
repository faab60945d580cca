import secrets

from django.conf import settings
from django.db import models

from exchanges.models.places import City, Twinning
from exchanges.models.programs import Program

_JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_join_code() -> str:
    return "".join(secrets.choice(_JOIN_ALPHABET) for _ in range(8))


class Classroom(models.Model):
    """A teacher's class; pupils join with its code and have no public profile."""

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="classrooms"
    )
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="classrooms")
    school = models.CharField(max_length=160)
    name = models.CharField(max_length=80)
    join_code = models.CharField(max_length=12, unique=True, default=new_join_code)
    # ISO 639-1 codes: what the class speaks and what it learns.
    speaks = models.JSONField(default=list, blank=True)
    learns = models.JSONField(default=list, blank=True)
    age_min = models.PositiveSmallIntegerField(default=11)
    age_max = models.PositiveSmallIntegerField(default=14)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.school}"


class ClassroomExchange(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="classroom_exchanges", null=True
    )
    twinning = models.ForeignKey(
        Twinning, on_delete=models.PROTECT, related_name="classroom_exchanges"
    )
    classroom_a = models.ForeignKey(
        Classroom, on_delete=models.CASCADE, related_name="exchanges_as_a"
    )
    classroom_b = models.ForeignKey(
        Classroom, on_delete=models.CASCADE, related_name="exchanges_as_b"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.classroom_a} ↔ {self.classroom_b}"
