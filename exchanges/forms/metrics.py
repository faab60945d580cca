"""The officers' date range: ``?from=YYYY-MM-DD&to=YYYY-MM-DD`` on the dashboard and the
exports. Both are optional: no ``from`` counts from the start, no ``to`` up to today."""

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from exchanges.selectors.metrics import Period

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)
DATE_HELP = _("A date as YYYY-MM-DD, e.g. 2026-03-01.")


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class IsoDateField(forms.DateField):
    """Exactly YYYY-MM-DD: strptime alone also takes 2026-3-1."""

    def to_python(self, value):
        if isinstance(value, str) and value and not ISO_DAY.fullmatch(value.strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class MetricsRangeForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so the fields are added by name.
        for name, label in (
            ("from", pgettext_lazy("date range", "From")),
            ("to", pgettext_lazy("date range", "To")),
        ):
            self.fields[name] = IsoDateField(
                label=label,
                required=False,
                input_formats=["%Y-%m-%d"],
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={"invalid": DATE_HELP},
                help_text=_("UTC day, included"),
            )

    def clean(self):
        cleaned = super().clean()
        for name in ("from", "to"):
            day = cleaned.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(
                    name,
                    _("Give a date between %(first)s and %(last)s.")
                    % {"first": EARLIEST, "last": LATEST},
                )
        first, last = cleaned.get("from"), cleaned.get("to")
        if first and last and first > last:
            self.add_error("to", _("The last day must not be before the first."))
        elif first and last is None and "to" not in self.errors and first > _today():
            # No last day was typed: the range ends today, and the first day is the one
            # to change (an error at the empty "To" would point at nothing typed).
            self.add_error("from", _(
                "The first day must not be after today (%(today)s), where the range ends "
                "when no last day is given.") % {"today": _today()})
        return cleaned

    def period(self) -> Period:
        """The range asked for (call after is_valid())."""
        return Period(self.cleaned_data.get("from"), self.cleaned_data.get("to") or _today())

    def error_text(self) -> dict:
        return {name: [str(e) for e in errors] for name, errors in self.errors.items()}


def _today() -> dt.date:
    return timezone.now().astimezone(dt.UTC).date()


def default_period() -> Period:
    """Everything up to today."""
    return Period(None, _today())
