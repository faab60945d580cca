"""The end of a weekly free window. A time of day cannot hold 24:00, so 00:00 as a
window's END is the midnight that closes the window's day: "22:00–00:00" runs to the end
of the day, and "00:00–00:00" is the whole day. Everything that reads a window's end goes
through these, so that midnight means the same on the form, in slot options and in the
matching engine's instance ("24:00" there)."""

import datetime as dt
from zoneinfo import ZoneInfo

MIDNIGHT = dt.time(0, 0)
DAY_MINUTES = 24 * 60


def minute_of_day(at: dt.time) -> int:
    return at.hour * 60 + at.minute


def end_minute(end: dt.time) -> int:
    """Minutes after the day's midnight at which a window ends: 1440 for 00:00."""
    return minute_of_day(end) or DAY_MINUTES


def end_text(end: dt.time) -> str:
    """"HH:MM", with "24:00" for the midnight that closes the day."""
    return "24:00" if end_minute(end) == DAY_MINUTES else f"{end:%H:%M}"


def end_instant(day: dt.date, end: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The aware local instant a window on ``day`` ends: midnight of the next date for
    00:00, read like any other edge (fold=0: the pre-change offset if a clock change
    skips it)."""
    if end_minute(end) == DAY_MINUTES:
        return dt.datetime.combine(day + dt.timedelta(days=1), MIDNIGHT, tzinfo=zone)
    return dt.datetime.combine(day, end, tzinfo=zone)
