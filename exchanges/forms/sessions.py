"""The scheduling pages' POSTs, parsed: a proposed slot and a session's new start."""

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from exchanges.pure import scheduling
from exchanges.pure.wall_clock import SkippedTime, wall_clock_place, zone_place_name

# Programs run for months: a session moved further than this is a typing slip, and the
# bound keeps the conversion to UTC inside datetime's range (year 9999 overflows it).
MOVE_HORIZON = dt.timedelta(days=2 * 365)

PICK_A_SLOT = _("Pick one of the slots listed.")
GIVE_A_START = _("Give the new date and time, e.g. 2027-03-10 14:00.")


class SlotProposeForm(forms.Form):
    """``slot`` is a :attr:`SlotOption.key` from the schedule page; cleaned, it is the
    ``weekday``, ``local_start`` and ``anchor_tz`` keywords of ``slot_propose``."""

    slot = forms.CharField(error_messages={"required": PICK_A_SLOT})

    def clean_slot(self) -> dict:
        try:
            weekday, local_start, anchor_tz = scheduling.parse_key(self.cleaned_data["slot"])
        except ValueError:
            raise forms.ValidationError(PICK_A_SLOT, code="invalid") from None
        return {"weekday": weekday, "local_start": local_start, "anchor_tz": anchor_tz}


class WallClockField(forms.DateTimeField):
    """A datetime-local value as typed: naive (the form reads it in the mover's zone,
    where the clocks may skip or repeat it) or aware when it names its offset. Python's
    ISO parser stops reading at a NUL character and would accept "2027-03-10T14:00\\x00…";
    such a value is not a date a browser sends."""

    def to_python(self, value):
        if isinstance(value, str) and "\x00" in value:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        # Not ISO: the field's input formats (Django's DateTimeField does the same, then
        # reads the result in the current zone, refusing skipped and repeated times).
        return parsed or forms.fields.BaseTemporalField.to_python(self, value)

    def bound_data(self, data, initial):
        # A refused value is shown again as typed, but no NUL goes into the page's HTML.
        return data.replace("\x00", "\ufffd") if isinstance(data, str) else data


class SessionMoveForm(forms.Form):
    """``new_start`` is a datetime-local value in the mover's own zone; cleaned, it is
    the UTC instant, in the future and at most :data:`MOVE_HORIZON` ahead. A time the
    clocks repeat is taken at its first occurrence, and :attr:`note` says so."""

    new_start = WallClockField(
        error_messages={"required": GIVE_A_START, "invalid": GIVE_A_START}
    )
    PAST = _("A session can only move to the future.")

    def __init__(self, *args, zone: str, now: dt.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(zone)
        self.now = now or timezone.now()
        self.note = ""

    def clean_new_start(self) -> dt.datetime:
        # Sessions start on the minute: seconds typed (or sent) would make a "move" of a
        # few seconds, and reminders and calendars at odd instants.
        value = self.cleaned_data["new_start"].replace(second=0, microsecond=0)
        try:
            instant = self._instant(value)
        except OverflowError:
            # Past datetime's range: in year 1 east of UTC the instant is in year 0, the
            # far past; in year 9999 west of UTC, year 10000, the far future.
            if value.year == dt.MINYEAR:
                raise forms.ValidationError(self.PAST, code="past") from None
            instant = None
        if instant is None or instant > self.now + MOVE_HORIZON:
            raise forms.ValidationError(
                _("A session can move at most two years ahead."), code="too_far"
            )
        if instant <= self.now:
            raise forms.ValidationError(self.PAST, code="past")
        return instant

    def _instant(self, value: dt.datetime) -> dt.datetime:
        if timezone.is_aware(value):
            return value.astimezone(dt.UTC)
        where = {"date": formats.date_format(value.date(), "DATE_FORMAT"),
                 "time": formats.time_format(value.time(), "TIME_FORMAT"),
                 "place": zone_place_name(self.zone)}
        try:
            placed = wall_clock_place(value, self.zone)
        except SkippedTime:
            raise forms.ValidationError(
                _("That time does not exist on %(date)s in %(place)s: the clocks go forward. "
                  "Choose another time."), code="skipped", params=where,
            ) from None
        if placed.repeated:
            self.note = _(
                "%(time)s happens twice on %(date)s in %(place)s (the clocks go back): the "
                "first %(time)s, before the change, is proposed."
            ) % where
        return placed.instant


class SessionMoveAnswerForm(forms.Form):
    """The proposed time the page showed, so a stale page answers nothing."""

    move_to = forms.DateTimeField(required=False)
