"""A twinning's status history: each suspension, termination or reactivation, with
who acted on which side, when it took effect, why, and where it is documented."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from exchanges.models.places import DatePrecision, Twinning, _partial_date

# A data file's change without a note stores no reason: these words are the platform's,
# said in the reader's language (rows loaded before stored them in English).
FILE_REASON = gettext_noop("Status changed by the twinnings data file.")


def reason_shown(reason: str, *, data_file: bool) -> str:
    """A change's reason as a reader sees it: the data file's default in their language."""
    if data_file and reason in ("", FILE_REASON):
        return gettext(FILE_REASON)
    return reason


class TwinningStatusChange(models.Model):
    class Side(models.TextChoices):
        CITY_A = "city_a", pgettext_lazy("acting side", "City A")
        CITY_B = "city_b", pgettext_lazy("acting side", "City B")
        BOTH = "both", pgettext_lazy("acting side", "Both cities")
        UNKNOWN = "unknown", pgettext_lazy("acting side", "Unknown")

    class Origin(models.TextChoices):
        PERSON = "person", pgettext_lazy("change origin", "A person on the platform")
        DATA_FILE = "data_file", pgettext_lazy("change origin", "The twinnings data file")

    twinning = models.ForeignKey(
        Twinning,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("twinning"),
    )
    from_status = models.CharField(
        max_length=10, choices=Twinning.Status.choices, verbose_name=_("from status")
    )
    to_status = models.CharField(
        max_length=10, choices=Twinning.Status.choices, verbose_name=_("to status")
    )
    effective = models.DateField(verbose_name=_("effective on"))
    # Sources often give only a month (Coventry's council, March 2022).
    effective_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        verbose_name=_("precision of the effective date"),
    )
    side = models.CharField(
        max_length=7, choices=Side.choices, default=Side.UNKNOWN, verbose_name=_("side")
    )
    reason = models.TextField(blank=True, verbose_name=_("reason"))
    source = models.URLField(max_length=500, blank=True, verbose_name=_("source"))
    # None when the change came from a data load rather than a person on the platform.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # Who made the change, kept when the actor's account is deleted (the actor is then
    # null, as for a data file's change): a reload of the file must not undo a person.
    origin = models.CharField(
        max_length=9, choices=Origin.choices, default=Origin.PERSON,
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("twinning status change")
        verbose_name_plural = _("twinning status changes")
        ordering = ["effective", "created_at", "id"]
        indexes = [models.Index(fields=["twinning", "effective"])]

    def __str__(self) -> str:
        return f"{self.twinning}: {self.from_status} → {self.to_status} ({self.effective})"

    @property
    def reason_display(self) -> str:
        return reason_shown(self.reason, data_file=self.origin == self.Origin.DATA_FILE)

    @property
    def reason_english(self) -> str:
        """What stored English text says (a closed room's reason)."""
        if not self.reason and self.origin == self.Origin.DATA_FILE:
            return FILE_REASON
        return self.reason

    @property
    def effective_display(self) -> str:
        return _partial_date(self.effective, self.effective_precision)

    def side_city_name(self) -> str:
        """The acting city's name, or the side's label when both or unknown."""
        if self.side == self.Side.CITY_A:
            return self.twinning.city_a.name
        if self.side == self.Side.CITY_B:
            return self.twinning.city_b.name
        return self.get_side_display()
