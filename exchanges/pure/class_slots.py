"""Weekly class-session times inside the school time two classes share.

A class slot is a weekday and a wall-clock start in one school's zone. It is offered
when it fits a regular pattern of the shared school time (``class_overlap``); its
sessions are the weekly occurrences that lie wholly inside the shared intervals, so a
week off at either school (holiday, end of term) or a week the clocks shift it out of
school hours has no session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.dates import WEEKDAYS

from exchanges.pure.class_overlap import ClassOverlap
from exchanges.pure.weekly_instants import local_to_utc

STEP_MINUTES = 15
SESSION_MINUTES = (30, 45, 60)


@dataclass(frozen=True)
class ClassSlot:
    weekday: int  # in the anchor zone
    local_start: dt.time
    anchor_tz: str
    minutes: int
    other_weekday: int  # the same start in the other school's zone
    other_start: dt.time

    @property
    def key(self) -> str:
        return f"{self.weekday}|{self.local_start:%H:%M}|{self.minutes}"

    # Weekday names in the active language (Django's own catalogue names them).
    @property
    def label(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.local_start:%H:%M}"

    @property
    def other_label(self) -> str:
        return f"{WEEKDAYS[self.other_weekday]} {self.other_start:%H:%M}"


def _add(at: dt.time, minutes: int) -> int:
    return at.hour * 60 + at.minute + minutes


def slot_options(overlap: ClassOverlap, *, minutes: int, anchor_tz: str) -> list[ClassSlot]:
    """Every start (each quarter hour) of a ``minutes`` session inside a regular weekly
    pattern of the shared school time, in the anchor school's (class A's) time."""
    options = []
    for p in overlap.regular:
        start = p.a_start.hour * 60 + p.a_start.minute
        end = p.a_end.hour * 60 + p.a_end.minute
        shift = (p.b_start.hour * 60 + p.b_start.minute) - start
        at = start
        while at + minutes <= end:
            other = at + shift
            day_shift, other = divmod(other, 24 * 60)
            options.append(ClassSlot(
                weekday=p.a_weekday, local_start=dt.time(at // 60, at % 60), anchor_tz=anchor_tz,
                minutes=minutes, other_weekday=(p.b_weekday + day_shift) % 7,
                other_start=dt.time(other // 60, other % 60),
            ))
            at += STEP_MINUTES
    return options


def slot_starts(
    overlap: ClassOverlap, *, weekday: int, local_start: dt.time, anchor_tz: str, minutes: int
) -> list[dt.datetime]:
    """The slot's weekly UTC starts over the common period whose session lies wholly in
    shared school time (holidays and days out of term have none)."""
    if overlap.first_day is None or overlap.last_day is None:
        return []
    zone = ZoneInfo(anchor_tz)
    length = dt.timedelta(minutes=minutes)
    day = overlap.first_day + dt.timedelta(days=(weekday - overlap.first_day.weekday()) % 7)
    starts = []
    while day <= overlap.last_day:
        begin = local_to_utc(day, local_start, zone)
        if begin is not None and any(
            lo <= begin and begin + length <= hi for lo, hi in overlap.intervals
        ):
            starts.append(begin)
        day += dt.timedelta(weeks=1)
    return starts


def fits_regular(overlap: ClassOverlap, *, weekday: int, local_start: dt.time,
                 minutes: int) -> bool:
    """Whether the slot (in class A's time) lies inside a regular shared pattern."""
    begin = local_start.hour * 60 + local_start.minute
    return any(
        p.a_weekday == weekday
        and p.a_start.hour * 60 + p.a_start.minute <= begin
        and _add(local_start, minutes) <= p.a_end.hour * 60 + p.a_end.minute
        for p in overlap.regular
    )


def is_offered(overlap: ClassOverlap, *, weekday: int, local_start: dt.time,
               minutes: int) -> bool:
    """Whether the slot (in class A's time) is one ``slot_options`` offers: inside a
    regular shared pattern, a whole number of steps from its start."""
    return any(o.weekday == weekday and o.local_start == local_start
               for o in slot_options(overlap, minutes=minutes, anchor_tz=""))
