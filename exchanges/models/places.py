from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from exchanges.pure.languages import country_name
from exchanges.pure.regions import subdivision_country, validate_subdivision_code


class City(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", pgettext_lazy("place kind", "City")
        REGION = "region", pgettext_lazy("place kind", "Region")

    name = models.CharField(max_length=120, verbose_name=_("name"))
    country = models.CharField(
        max_length=2, help_text=_("ISO 3166-1 alpha-2 code"), verbose_name=_("country")
    )
    tz = models.CharField(_("time zone"), max_length=64, help_text=_("IANA time zone"))
    kind = models.CharField(
        max_length=10, choices=Kind.choices, default=Kind.CITY, verbose_name=_("kind")
    )
    # ISO 639-1 codes, most used first, e.g. ["sw", "en"].
    languages = models.JSONField(default=list, blank=True, verbose_name=_("languages"))
    # Where a state or province law reaches the city (e.g. US-IN); optional.
    region = models.CharField(
        max_length=6,
        blank=True,
        validators=[validate_subdivision_code],
        help_text=_("ISO 3166-2 subdivision code, e.g. US-IN"),
        verbose_name=_("region"),
    )

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name", "country"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="city_unique_name_country")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"

    def clean(self) -> None:
        super().clean()
        if self.region and subdivision_country(self.region) not in (None, self.country):
            raise ValidationError({"region": gettext(
                "%(region)s is not a subdivision of %(country)s."
            ) % {"region": self.region, "country": self.country}})

    @property
    def country_name(self) -> str:
        """In the reader's (active) language."""
        return country_name(self.country)

    @property
    def with_country(self) -> str:
        """"Birmingham (United Kingdom)", in the active language: how officers' pages name
        a city, as two cities may share a name."""
        return f"{self.name} ({self.country_name})"


class DatePrecision(models.TextChoices):
    YEAR = "year", pgettext_lazy("date precision", "Year")
    MONTH = "month", pgettext_lazy("date precision", "Month")
    DAY = "day", pgettext_lazy("date precision", "Day")


class Twinning(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("twinning status", "Active")
        SUSPENDED = "suspended", pgettext_lazy("twinning status", "Suspended")
        TERMINATED = "terminated", pgettext_lazy("twinning status", "Terminated")

    city_a = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="twinnings_as_a", verbose_name=_("city A")
    )
    city_b = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="twinnings_as_b", verbose_name=_("city B")
    )
    # Sources often give only a year or a month: keep the first day and say how precise.
    since = models.DateField(null=True, blank=True, verbose_name=_("since"))
    since_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        verbose_name=_("precision of the date since"),
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.ACTIVE,
        verbose_name=pgettext_lazy("model field", "status"),
    )
    status_changed = models.DateField(null=True, blank=True, verbose_name=_("status changed on"))
    status_changed_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        verbose_name=_("precision of the status change date"),
    )
    kind = models.CharField(max_length=40, default="twin town", verbose_name=_("kind"))
    note = models.TextField(blank=True, verbose_name=_("note"))

    class Meta:
        verbose_name = _("twinning")
        verbose_name_plural = _("twinnings")
        ordering = ["city_a__name", "city_b__name"]
        constraints = [
            models.UniqueConstraint(fields=["city_a", "city_b"], name="twinning_unique_pair"),
            models.CheckConstraint(
                condition=~Q(city_a=models.F("city_b")), name="twinning_two_cities"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city_a.name} – {self.city_b.name}"

    @property
    def with_countries(self) -> str:
        """"Lyon (France) – Birmingham (United Kingdom)", in the active language: how
        officers' pages and messages name a twinning, as two cities may share a name
        (Frankfurt, Birmingham)."""
        return f"{self.city_a.with_country} – {self.city_b.with_country}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def other(self, city: City) -> City:
        return self.city_b if city.pk == self.city_a_id else self.city_a

    @property
    def kind_display(self) -> str:
        """The kind in the reader's language when it is one the sources use."""
        return str(TWINNING_KINDS.get(self.kind, self.kind))

    @property
    def since_display(self) -> str:
        return _partial_date(self.since, self.since_precision)

    @property
    def status_changed_display(self) -> str:
        return _partial_date(self.status_changed, self.status_changed_precision)


# The kinds data/twinnings.csv uses; another kind is shown as written.
TWINNING_KINDS = {
    "twin town": pgettext_lazy("twinning kind", "twin town"),
    "sister city": pgettext_lazy("twinning kind", "sister city"),
    "partner town": pgettext_lazy("twinning kind", "partner town"),
    "partner city": pgettext_lazy("twinning kind", "partner city"),
    "sister province": pgettext_lazy("twinning kind", "sister province"),
    "border twins": pgettext_lazy("twinning kind", "border twins"),
}


def _partial_date(value, precision: str) -> str:
    """As precise as the source, in the reader's language and date format."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    return date_format(value, "DATE_FORMAT")
