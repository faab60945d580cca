import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from exchanges.models.places import City
from exchanges.models.programs import Program
from exchanges.pure.languages import language_name
from exchanges.pure.window_ends import MIDNIGHT, end_minute, end_text, minute_of_day


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class Level(models.TextChoices):
    A1 = "A1", pgettext_lazy("language level", "A1 – beginner")
    A2 = "A2", pgettext_lazy("language level", "A2 – elementary")
    B1 = "B1", pgettext_lazy("language level", "B1 – intermediate")
    B2 = "B2", pgettext_lazy("language level", "B2 – upper intermediate")
    C1 = "C1", pgettext_lazy("language level", "C1 – advanced")
    C2 = "C2", pgettext_lazy("language level", "C2 – proficient")
    NATIVE = "native", pgettext_lazy("language level", "Native")


LEVEL_ORDER = {level: rank for rank, level in enumerate(Level.values)}


class Interest(models.Model):
    slug = models.SlugField(max_length=40, unique=True, verbose_name=_("slug"))
    name = models.CharField(max_length=40, verbose_name=_("name"))

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Participant(models.Model):
    """A student or citizen taking part in exchanges (a pupil when in a classroom)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="participant",
        verbose_name=_("user"),
    )
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        related_name="participants",
        null=True,
        blank=True,
        verbose_name=_("city"),
    )
    # Weekly availability is stored in this zone's wall-clock time (the city's by default).
    tz = models.CharField(_("time zone"), max_length=64, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("year of birth")
    )
    bio = models.TextField(blank=True, max_length=1000, verbose_name=_("bio"))
    capacity = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("How many partners at the same time (1–3)"),
        verbose_name=_("capacity"),
    )
    interests = models.ManyToManyField(
        Interest, related_name="participants", blank=True, verbose_name=_("interests")
    )
    programs = models.ManyToManyField(
        Program, related_name="participants", blank=True, verbose_name=_("programs")
    )
    classroom = models.ForeignKey(
        "exchanges.Classroom",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pupils",
        verbose_name=_("class"),
    )
    guardian_consent = models.BooleanField(default=False, verbose_name=_("guardian consent"))
    email_reminders = models.BooleanField(default=True, verbose_name=_("e-mail reminders"))
    # The person asked the runs to leave them out for now; their live matches go on.
    matching_paused = models.BooleanField(default=False, verbose_name=_("new matches paused"))
    calendar_token = models.CharField(
        max_length=64, unique=True, default=new_calendar_token, verbose_name=_("calendar token")
    )
    waiting_since = models.DateTimeField(default=timezone.now, verbose_name=_("waiting since"))
    onboarded_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("profile completed at")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1, capacity__lte=3),
                name="participant_capacity_1_3",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def zone(self) -> str:
        return self.tz or (self.city.tz if self.city_id else "UTC")


class ParticipantLanguage(models.Model):
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="languages",
        verbose_name=_("participant"),
    )
    code = models.CharField(max_length=2, help_text=_("ISO 639-1 code"), verbose_name=_("language"))
    level = models.CharField(max_length=6, choices=Level.choices, verbose_name=_("level"))
    learning = models.BooleanField(
        default=False, help_text=_("Learning it (else: speaks it)"), verbose_name=_("learning")
    )

    class Meta:
        verbose_name = _("participant's language")
        verbose_name_plural = _("participants' languages")
        ordering = ["participant", "learning", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "code", "learning"], name="language_unique_direction"
            )
        ]

    def __str__(self) -> str:
        verb = "learns" if self.learning else "speaks"
        return f"{verb} {self.code} ({self.level})"

    @property
    def name(self) -> str:
        return language_name(self.code)


class AvailabilityWindow(models.Model):
    """A weekly free window in the participant's local wall-clock time."""

    class Weekday(models.IntegerChoices):
        MON = 0, _("Monday")
        TUE = 1, _("Tuesday")
        WED = 2, _("Wednesday")
        THU = 3, _("Thursday")
        FRI = 4, _("Friday")
        SAT = 5, _("Saturday")
        SUN = 6, _("Sunday")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="availability",
        verbose_name=_("participant"),
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, verbose_name=_("weekday"))
    start = models.TimeField(verbose_name=_("start"))
    end = models.TimeField(verbose_name=_("end"))

    class Meta:
        verbose_name = _("availability window")
        verbose_name_plural = _("availability windows")
        ordering = ["participant", "weekday", "start"]
        constraints = [
            # An end of 00:00 is the midnight that closes the day (pure.window_ends).
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")) | models.Q(end=MIDNIGHT),
                name="window_start_before_end",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{end_text(self.end)}"

    @property
    def minutes(self) -> int:
        return end_minute(self.end) - minute_of_day(self.start)
