"""The days the platform plans with: a program's start and a class's term lie from 2000
(where its figures begin) to the end of the year ten years ahead, so every day counted on
from them (a program's end, the horizon of two classes' shared time) is still a date."""

import datetime as dt

from django.utils import formats

EARLIEST = dt.date(2000, 1, 1)
YEARS_AHEAD = 10


def latest(today: dt.date) -> dt.date:
    return dt.date(today.year + YEARS_AHEAD, 12, 31)


def plannable(day: dt.date, today: dt.date) -> bool:
    return EARLIEST <= day <= latest(today)


def input_bounds(today: dt.date) -> dict[str, str]:
    """A date input's min and max."""
    return {"min": EARLIEST.isoformat(), "max": latest(today).isoformat()}


def named_bounds(today: dt.date) -> dict[str, str]:
    """The first and last plannable days in the interface language, for a message."""
    return {"earliest": formats.date_format(EARLIEST), "latest": formats.date_format(latest(today))}
