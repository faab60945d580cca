import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exchanges.models.places import Twinning
from exchanges.pure.plannable import named_bounds, new_start_plannable, plannable
from exchanges.pure.program_end import answerable_throughout, ended_for


# A program's end and weekly dates are counted on from its start (pure/plannable.py).
def validate_start_date(value: datetime.date) -> None:
    today = timezone.localdate()
    if not plannable(value, today):
        raise ValidationError(
            _("Choose a start date from %(earliest)s to %(latest)s."),
            code="out_of_range",
            params=named_bounds(today),
        )


def validate_new_start_date(value: datetime.date) -> None:
    """A start set now (a new program's, or an existing one's when it changes): at most a
    year in the past. An existing program keeps its own start however old."""
    today = timezone.localdate()
    if not new_start_plannable(value, today):
        raise ValidationError(
            _("Choose a start date from %(earliest)s to %(latest)s."),
            code="out_of_range",
            params=named_bounds(today, new=True),
        )


def validate_completion_sessions(*, weeks: int, completion_sessions: int) -> None:
    """Partners meet once a week (tandems and classes alike): a threshold above the
    number of weeks is one nobody could reach."""
    if completion_sessions > weeks:
        raise ValidationError({"completion_sessions": ValidationError(
            _("At most %(weeks)s, the program's number of weeks: sessions are weekly, so "
              "nobody could attend more."),
            code="above_weeks", params={"weeks": weeks},
        )})


class Program(models.Model):
    """An exchange program run by officers over one or more twinnings."""

    class Kind(models.TextChoices):
        TANDEM = "tandem", _("Language tandem")
        CLASSROOM = "classroom", _("Classroom exchange")
        CITIZEN = "citizen", _("Citizen exchange")

    name = models.CharField(max_length=120, verbose_name=_("name"))
    slug = models.SlugField(max_length=120, unique=True, verbose_name=_("slug"))
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.TANDEM, verbose_name=_("kind")
    )
    description = models.TextField(blank=True, verbose_name=_("description"))
    twinnings = models.ManyToManyField(
        Twinning, related_name="programs", blank=True, verbose_name=_("twinnings")
    )
    start_date = models.DateField(validators=[validate_start_date], verbose_name=_("start date"))
    weeks = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        verbose_name=_("weeks"),
    )
    session_minutes = models.PositiveSmallIntegerField(
        default=60,
        validators=[MinValueValidator(15), MaxValueValidator(240)],
        verbose_name=_("session length (minutes)"),
    )
    # A participant who attended this many sessions completed the program.
    completion_sessions = models.PositiveSmallIntegerField(
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        verbose_name=_("sessions to complete"),
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="programs_run",
        blank=True,
        verbose_name=_("officers"),
    )
    is_open = models.BooleanField(
        default=True, help_text=_("Accepting participants"), verbose_name=_("open")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["-start_date", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def end_date(self) -> datetime.date:
        return self.start_date + datetime.timedelta(weeks=self.weeks)

    @property
    def last_day(self) -> datetime.date:
        """The last day of the program's last week (``end_date`` is the day after it): the
        end of a "from … to …" a reader takes as inclusive."""
        return self.end_date - datetime.timedelta(days=1)

    def city_zones(self) -> set[str]:
        """The zones of the program's twinned cities (UTC when it has none yet)."""
        pairs = self.twinnings.values_list("city_a__tz", "city_b__tz")
        return {zone for pair in pairs for zone in pair} or {"UTC"}

    def ended_at(self, now: datetime.datetime) -> bool:
        """Whether the program has ended, at ``now``, in any of its cities."""
        return ended_for(end_date=self.end_date, zones=self.city_zones, at=now)

    def takes_proposals(self, now: datetime.datetime) -> bool:
        """Whether a proposal made at ``now`` could be accepted until it lapses in every
        city of the program: none is made that the program's end would refuse first."""
        return answerable_throughout(end_date=self.end_date, zones=self.city_zones, now=now)

    def in_nightly_matching(self, now: datetime.datetime) -> bool:
        """Whether the nightly run at ``now`` covers the program: open, taking proposals,
        and not a classroom exchange (pupils are paired inside their class's exchange)."""
        return (self.is_open and self.kind != self.Kind.CLASSROOM
                and self.takes_proposals(now))

    @property
    def matched_nightly(self) -> bool:
        """``in_nightly_matching`` now, for pages."""
        return self.in_nightly_matching(timezone.now())
