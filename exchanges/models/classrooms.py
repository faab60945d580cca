import datetime as dt
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from exchanges.models.people import Level
from exchanges.models.places import City, Twinning
from exchanges.models.programs import Program
from exchanges.pure.weekly_words import WEEKDAYS

JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
JOIN_CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


class Classroom(models.Model):
    """A teacher's class; pupils join with its code and have no public profile.

    Pupils are the Participants whose ``classroom`` is this class; their age band, city
    and languages come from here.
    """

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="classrooms",
        verbose_name=_("teacher"),
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="classrooms", verbose_name=_("city")
    )
    school = models.CharField(max_length=160, verbose_name=_("school"))
    name = models.CharField(max_length=80, verbose_name=_("name"))
    join_code = models.CharField(
        max_length=12, unique=True, default=new_join_code, verbose_name=_("class code")
    )
    # New pupils may join until then; pupils already in keep logging in with the code.
    join_code_expires_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("class code expires at")
    )
    age_min = models.PositiveSmallIntegerField(default=11, verbose_name=_("youngest pupils' age"))
    age_max = models.PositiveSmallIntegerField(default=14, verbose_name=_("oldest pupils' age"))
    size = models.PositiveSmallIntegerField(_("number of pupils"), default=20)
    term_start = models.DateField(null=True, blank=True, verbose_name=_("first day of term"))
    term_end = models.DateField(null=True, blank=True, verbose_name=_("last day of term"))
    # The teacher confirmed the school holds the consent its country requires for pupils
    # this young (the age shown to them is kept, in case the table changes).
    consent_country = models.CharField(max_length=2, blank=True, verbose_name=_("consent country"))
    consent_age = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("consent age")
    )
    consent_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
        verbose_name=_("consent confirmed by"),
    )
    consent_confirmed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("consent confirmed at")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["school", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_max__gte=F("age_min")), name="classroom_age_band"
            ),
            models.CheckConstraint(
                condition=Q(term_start__isnull=True)
                | Q(term_end__isnull=True)
                | Q(term_end__gte=F("term_start")),
                name="classroom_term_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.school}"

    @property
    def age_band(self) -> str:
        return f"{self.age_min}–{self.age_max}"

    @property
    def join_code_last_moment(self) -> dt.datetime | None:
        """The code's expiry in the class's city, a moment earlier: a code that stops at
        midnight admits pupils through the day before (shown as that day, not the next)."""
        if self.join_code_expires_at is None:
            return None
        local = self.join_code_expires_at.astimezone(ZoneInfo(self.city.tz))
        return local - dt.timedelta(microseconds=1)

    @property
    def join_code_admits(self) -> bool:
        """Whether the code admits new pupils now (those who joined log in after too)."""
        expires = self.join_code_expires_at
        return expires is None or expires > timezone.now()


class ClassroomLanguage(models.Model):
    """A language the class speaks (its school language) or learns, with a CEFR level."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(max_length=2, help_text="ISO 639-1 code")
    level = models.CharField(max_length=6, choices=Level.choices)
    learning = models.BooleanField(default=False)

    class Meta:
        ordering = ["classroom", "learning", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["classroom", "code", "learning"], name="classroom_language_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{'learns' if self.learning else 'speaks'} {self.code} ({self.level})"


class SchoolHours(models.Model):
    """A weekly window of school time in the class's city's wall-clock time."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(choices=list(enumerate(WEEKDAYS)))
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["classroom", "weekday", "start"]
        verbose_name_plural = "school hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="school_hours_start_before_end"
            )
        ]

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.start:%H:%M}–{self.end:%H:%M}"


class TermHoliday(models.Model):
    """Days without school inside the term (first and last day included)."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="holidays")
    first_day = models.DateField()
    last_day = models.DateField()
    name = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["classroom", "first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="holiday_first_before_last"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name or 'Holiday'} {self.first_day}–{self.last_day}"


class ClassroomExchange(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("classroom exchange status", "Proposed")
        ACTIVE = "active", pgettext_lazy("classroom exchange status", "Active")
        # Its twinning is suspended.
        PAUSED = "paused", pgettext_lazy("classroom exchange status", "Paused")
        ENDED = "ended", pgettext_lazy("classroom exchange status", "Ended")

    class EndedReason(models.TextChoices):
        TEACHER = "teacher", pgettext_lazy("classroom exchange ended", "ended by a teacher")
        TWINNING = "twinning", pgettext_lazy("classroom exchange ended",
                                             "its twinning was terminated")
        TERM = "term", pgettext_lazy("classroom exchange ended", "both classes' terms are over")

    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        related_name="classroom_exchanges",
        null=True,
        verbose_name=_("program"),
    )
    twinning = models.ForeignKey(
        Twinning,
        on_delete=models.PROTECT,
        related_name="classroom_exchanges",
        verbose_name=_("twinning"),
    )
    classroom_a = models.ForeignKey(
        Classroom,
        on_delete=models.CASCADE,
        related_name="exchanges_as_a",
        verbose_name=_("class A"),
    )
    classroom_b = models.ForeignKey(
        Classroom,
        on_delete=models.CASCADE,
        related_name="exchanges_as_b",
        verbose_name=_("class B"),
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PROPOSED,
        verbose_name=pgettext_lazy("model field", "status"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    activated_at = models.DateTimeField(null=True, blank=True, verbose_name=_("activated at"))
    # Pupil data is deleted a set number of days after this (retention counts from here).
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ended at"))
    ended_reason = models.CharField(
        max_length=10, choices=EndedReason.choices, blank=True, verbose_name=_("reason for ending")
    )
    # The teacher who ended it (EndedReason.TEACHER), for the other teacher's page.
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )

    class Meta:
        verbose_name = _("class exchange")
        verbose_name_plural = _("class exchanges")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(classroom_a=F("classroom_b")), name="exchange_two_classes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.classroom_a} ↔ {self.classroom_b}"

    @property
    def classroom_ids(self) -> tuple[int, int]:
        return (self.classroom_a_id, self.classroom_b_id)

    def partner_of(self, classroom: Classroom) -> Classroom:
        return self.classroom_b if classroom.pk == self.classroom_a_id else self.classroom_a


class PartnerRequest(models.Model):
    """One teacher asks another's class to be their partner; accepting starts an exchange."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("partner request status", "Pending")
        ACCEPTED = "accepted", pgettext_lazy("partner request status", "Accepted")
        DECLINED = "declined", pgettext_lazy("partner request status", "Declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("partner request status", "Withdrawn")

    from_classroom = models.ForeignKey(
        Classroom, on_delete=models.CASCADE, related_name="requests_sent"
    )
    to_classroom = models.ForeignKey(
        Classroom, on_delete=models.CASCADE, related_name="requests_received"
    )
    message = models.TextField(max_length=1000, blank=True)
    # The finder's explanation when the request was sent, shown to the other teacher.
    explanation = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reply = models.TextField(max_length=1000, blank=True)
    exchange = models.OneToOneField(
        ClassroomExchange, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="request",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_classroom=F("to_classroom")), name="partner_request_two_classes"
            ),
            models.UniqueConstraint(
                fields=["from_classroom", "to_classroom"],
                condition=Q(status="pending"),
                name="partner_request_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_classroom} → {self.to_classroom} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
