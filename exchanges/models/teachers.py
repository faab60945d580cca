"""Teachers apply to run classroom exchanges; an officer or a superuser decides."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from exchanges.models.places import City


class TeacherApplication(models.Model):
    """A signed-up user asks to be a teacher at a school in a twinned city.

    Approval adds the user to the teacher group; until then they may draft a class
    but neither admit pupils nor contact other classes.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("teacher application status", "Pending")
        APPROVED = "approved", pgettext_lazy("teacher application status", "Approved")
        REFUSED = "refused", pgettext_lazy("teacher application status", "Refused")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teacher_applications"
    )
    school = models.CharField(max_length=160)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="teacher_applications")
    role_at_school = models.CharField(max_length=80)
    # How an officer can check: the school's e-mail domain or a link to its staff page.
    verification = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="teacher_application_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.school} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED
