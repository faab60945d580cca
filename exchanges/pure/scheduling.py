"""Weekly slots two people both have free in every week of a program, on real instants.

Pure functions over dataclasses (no Django, no database). Each person's weekly windows
are local wall-clock times in their IANA zone; they are expanded to UTC intervals per
date with ``zoneinfo`` so that clock changes on either side land right. A slot is
anchored in one zone's wall-clock time ("Mondays 19:00 Europe/London"): its UTC instant
moves when that zone changes clocks, and it is offered only if, in every week, the
session lies inside a window of both people. Slots are ranked by how often the session
moves in either person's local time over the period (fewest moves first).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, available_timezones

from exchanges.pure.local_views import LocalView, local_view, move_notes
from exchanges.pure.weekly_instants import occurrences
from exchanges.pure.weekly_words import WEEKLY_AT
from exchanges.pure.window_ends import (
    DAY_MINUTES,
    MIDNIGHT,
    end_instant,
    end_minute,
    minute_of_day,
)

# Candidate starts every half hour: finer steps multiply options without helping people.
STEP_MINUTES = 30
# What SlotOption.key writes: "<weekday 0-6>|<HH:MM>|<zone>"; IANA names are at most
# a few dozen ASCII characters.
_KEY = re.compile(
    r"([0-6])\|([01][0-9]|2[0-3]):([0-5][0-9])\|([A-Za-z0-9_+\-/]{1,64})", re.ASCII
)


@dataclass(frozen=True)
class Window:
    """A weekly free window in the person's local wall-clock time (weekday 0 = Monday);
    an ``end`` of 00:00 is the midnight that closes the day (see pure.window_ends)."""

    weekday: int
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class Person:
    key: int
    name: str
    zone: str
    windows: tuple[Window, ...]


@dataclass(frozen=True)
class SlotOption:
    weekday: int  # in the anchor zone
    local_start: dt.time  # wall-clock time in the anchor zone
    anchor_tz: str
    minutes: int
    starts: tuple[dt.datetime, ...]  # UTC, one per week of the period
    views: tuple[LocalView, LocalView]

    @property
    def key(self) -> str:
        """A stable string naming the slot (used by forms)."""
        return f"{self.weekday}|{self.local_start:%H:%M}|{self.anchor_tz}"

    @property
    def label(self) -> str:
        weekly = WEEKLY_AT[self.weekday] % {"time": f"{self.local_start:%H:%M}"}
        return f"{weekly} ({self.anchor_tz})"

    @property
    def moved_weeks(self) -> int:
        return sum(len(view.moves) for view in self.views)

    @property
    def is_stable(self) -> bool:
        return self.moved_weeks == 0

    @property
    def notes(self) -> list[str]:
        return [note for view in self.views for note in view.notes]

    def notes_for(self, key: int) -> list[str]:
        """The notes as the person ``key`` reads them: their own moves are "for you"."""
        return [note for view in self.views for note in move_notes(view, reader_key=key)]

    def view_for(self, key: int) -> LocalView:
        return next(view for view in self.views if view.key == key)

    def partner_view_for(self, key: int) -> LocalView:
        return next(view for view in self.views if view.key != key)


@functools.cache
def known_zones() -> frozenset[str]:
    """The IANA zone names this machine can load. A name is checked against them before
    ``ZoneInfo`` opens it: for a directory ("Europe") or an over-long name zoneinfo
    raises OSError, not the KeyError or ValueError of an unknown name."""
    return frozenset(available_timezones())


def parse_key(key: str) -> tuple[int, dt.time, str]:
    """The (weekday, local start, anchor zone) a :attr:`SlotOption.key` names.

    Raises ValueError for anything :attr:`SlotOption.key` does not write: another
    shape, a weekday outside 0-6, a time outside 00:00-23:59, a zone not in
    :func:`known_zones`.
    """
    parts = _KEY.fullmatch(key)
    if parts is None:
        raise ValueError("not a slot key")
    day, hour, minute, zone = parts.groups()
    if zone not in known_zones():
        raise ValueError("unknown time zone")
    return int(day), dt.time(int(hour), int(minute)), zone


def merged_windows(person: Person) -> dict[int, list[tuple[dt.time, dt.time]]]:
    """The person's windows per weekday, sorted, with touching windows merged (an end of
    00:00 closes the day, so it comes after every other end)."""
    days: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for window in sorted(person.windows, key=lambda w: (w.weekday, w.start)):
        spans = days.setdefault(window.weekday, [])
        if spans and minute_of_day(window.start) <= end_minute(spans[-1][1]):
            stop = max(spans[-1][1], window.end, key=end_minute)
            spans[-1] = (spans[-1][0], stop)
        else:
            spans.append((window.start, window.end))
    return days


def _runs_on(days: dict[int, list[tuple[dt.time, dt.time]]], weekday: int,
             stop: dt.time) -> list[dt.time]:
    """The ends of the windows a window ending at ``stop`` on ``weekday`` runs on into:
    one that closes the day goes on in the next day's window opening at 00:00 (a late
    evening is typed as two windows split at midnight, and the matching engine reads
    them as one). At most a week of them, so whole days every day end."""
    ends = []
    for _day in range(7):
        if end_minute(stop) != DAY_MINUTES:
            break
        weekday = (weekday + 1) % 7
        spans = days.get(weekday, ())
        if not spans or spans[0][0] != MIDNIGHT:
            break
        stop = spans[0][1]
        ends.append(stop)
    return ends


class _Free:
    """Whether a person is free for a real interval: the interval must start inside one
    of their windows on its local date and end before that window does, each window
    converted to UTC on its own date (so a clock change on that very date lands right);
    a window that closes the day runs on into the next day's that opens at midnight."""

    def __init__(self, person: Person):
        self.zone = ZoneInfo(person.zone)
        self.days = merged_windows(person)

    def covers(self, begin: dt.datetime, end: dt.datetime) -> bool:
        local = begin.astimezone(self.zone)
        day = local.date()
        for start, stop in self.days.get(local.weekday(), ()):
            # A window edge inside a DST gap is read with the pre-change offset (fold=0).
            if dt.datetime.combine(day, start, tzinfo=self.zone) > begin:
                continue
            ends = [stop, *_runs_on(self.days, local.weekday(), stop)]
            last = day + dt.timedelta(days=len(ends) - 1)
            if end <= end_instant(last, ends[-1], self.zone):
                return True
        return False


class _Pair:
    """Two people's windows over one period, prepared once for many candidates."""

    def __init__(self, a: Person, b: Person, start_date: dt.date, weeks: int, minutes: int):
        self.people = (a, b)
        self.start_date, self.weeks, self.minutes = start_date, weeks, minutes
        self.free = (_Free(a), _Free(b))

    def evaluate(self, weekday: int, local_start: dt.time, anchor_tz: str) -> SlotOption | None:
        starts = occurrences(
            weekday=weekday,
            local_start=local_start,
            anchor_tz=anchor_tz,
            start_date=self.start_date,
            weeks=self.weeks,
        )
        if not starts:
            return None
        length = dt.timedelta(minutes=self.minutes)
        for begin in starts:
            if not all(free.covers(begin, begin + length) for free in self.free):
                return None
        a, b = self.people
        return SlotOption(
            weekday=weekday,
            local_start=local_start,
            anchor_tz=anchor_tz,
            minutes=self.minutes,
            starts=starts,
            views=(local_view(a, starts), local_view(b, starts)),
        )


def slot_evaluate(
    a: Person,
    b: Person,
    *,
    weekday: int,
    local_start: dt.time,
    anchor_tz: str,
    start_date: dt.date,
    weeks: int,
    minutes: int,
) -> SlotOption | None:
    """The slot if both are free for it in every week of the period, else None."""
    return _Pair(a, b, start_date, weeks, minutes).evaluate(weekday, local_start, anchor_tz)


def _candidates(person: Person, minutes: int):
    """Half-hour starts inside the person's own windows, in their own wall-clock time
    (a session may run on past midnight into the next day's window), and each window's
    own start: a window typed on a quarter hour ("18:15-19:15") may hold a session only
    there, and the matching engine, on a 15-minute grid, pairs people for it."""
    days = merged_windows(person)
    for weekday, spans in days.items():
        for start, stop in spans:
            begin = minute_of_day(start)
            reach = end_minute(stop) + sum(end_minute(later) for later in
                                           _runs_on(days, weekday, stop))
            last = min(reach - minutes, DAY_MINUTES - 1)
            if begin <= last:
                yield weekday, start
            for at in range(begin + -begin % STEP_MINUTES, last + 1, STEP_MINUTES):
                yield weekday, dt.time(at // 60, at % 60)


def slot_options(
    a: Person, b: Person, *, start_date: dt.date, weeks: int, minutes: int
) -> list[SlotOption]:
    """Every weekly slot both are free for in every week, most stable first.

    Candidates are anchored in either person's zone; two anchors that give the same
    instants in every week are one option (kept in ``a``'s zone).
    """
    pair = _Pair(a, b, start_date, weeks, minutes)
    seen: set[tuple[dt.datetime, ...]] = set()
    options = []
    for person in (a, b):
        for weekday, start in sorted(set(_candidates(person, minutes))):
            option = pair.evaluate(weekday, start, person.zone)
            if option is not None and option.starts not in seen:
                seen.add(option.starts)
                options.append(option)
    a_zone = ZoneInfo(a.zone)

    def rank(option: SlotOption):
        first = option.starts[0].astimezone(a_zone)
        return (option.moved_weeks, first.weekday(), first.time(), option.anchor_tz != a.zone)

    return sorted(options, key=rank)
