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


def earliest_new_start(today: dt.date) -> dt.date:
    """The earliest start of a program set up now: a year back at most (a program that
    began earlier is recorded, not planned), and never before ``EARLIEST``."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return max(EARLIEST, year_ago)


def new_start_plannable(day: dt.date, today: dt.date) -> bool:
    return earliest_new_start(today) <= day <= latest(today)


def input_bounds(today: dt.date, *, new: bool = False) -> dict[str, str]:
    """A date input's min and max (for a new program's start with ``new``)."""
    first = earliest_new_start(today) if new else EARLIEST
    return {"min": first.isoformat(), "max": latest(today).isoformat()}


def named_bounds(today: dt.date, *, new: bool = False) -> dict[str, str]:
    """The first and last plannable days in the interface language, for a message."""
    first = earliest_new_start(today) if new else EARLIEST
    return {"earliest": formats.date_format(first), "latest": formats.date_format(latest(today))}
