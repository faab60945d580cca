"""The days the platform plans with: a program's start and a class's term lie from 2000
(where its figures begin) to the end of the year ten years ahead, so every day counted on
from them (a program's end, the horizon of two classes' shared time) is still a date."""

import datetime as dt

EARLIEST = dt.date(2000, 1, 1)
YEARS_AHEAD = 10


def latest(today: dt.date) -> dt.date:
    return dt.date(today.year + YEARS_AHEAD, 12, 31)


def plannable(day: dt.date, today: dt.date) -> bool:
    return EARLIEST <= day <= latest(today)
