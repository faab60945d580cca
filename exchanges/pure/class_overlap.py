"""The school time two classes share over their common term, on real instants.

Each school's weekly hours are local wall-clock windows in its city's zone. They are
expanded date by date to UTC intervals (``weekly_instants.local_to_utc``, so either side's
clock change lands on the right day), only on dates inside that school's term and
outside its holidays, and then intersected. A pattern that holds in at least half the
weeks is "regular"; the regular patterns make the typical week that explanations quote.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from exchanges.pure.scheduling import Person
from exchanges.pure.weekly_instants import local_to_utc

DAY = dt.timedelta(days=1)
# A suggestion looks at most this far ahead, even for a longer term.
HORIZON_WEEKS = 26


@dataclass(frozen=True)
class SchoolCalendar:
    """A class's school hours (``person.windows`` in ``person.zone``) and its term."""

    person: Person
    term_start: dt.date
    term_end: dt.date
    holidays: tuple[tuple[dt.date, dt.date], ...] = ()

    def in_school(self, day: dt.date) -> bool:
        if not self.term_start <= day <= self.term_end:
            return False
        return not any(first <= day <= last for first, last in self.holidays)

    def intervals(self, first: dt.date, last: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """UTC intervals of school time on the local dates ``first``..``last``."""
        zone = ZoneInfo(self.person.zone)
        result = []
        day = first
        while day <= last:
            if self.in_school(day):
                for window in self.person.windows:
                    if window.weekday != day.weekday():
                        continue
                    begin = local_to_utc(day, window.start, zone)
                    end = local_to_utc(day, window.end, zone)
                    if begin is not None and end is not None and end > begin:
                        result.append((begin, end))
            day += DAY
        return sorted(result)


@dataclass(frozen=True)
class Pattern:
    """Shared time at the same local times on both sides, on one weekday of A."""

    a_weekday: int
    a_start: dt.time
    a_end: dt.time
    b_weekday: int
    b_start: dt.time
    b_end: dt.time
    weeks: int  # how many weeks of the period it occurs in

    @property
    def minutes(self) -> int:
        start = self.a_start.hour * 60 + self.a_start.minute
        end = self.a_end.hour * 60 + self.a_end.minute
        return end - start


@dataclass(frozen=True)
class ClassOverlap:
    first_day: dt.date | None  # the common period (None: the terms do not meet)
    last_day: dt.date | None
    weeks: int
    intervals: tuple[tuple[dt.datetime, dt.datetime], ...]
    regular: tuple[Pattern, ...] = field(default=())
    irregular_count: int = 0  # occurrences outside the regular patterns (clock changes…)

    @property
    def total_minutes(self) -> int:
        return sum(int((end - begin).total_seconds() // 60) for begin, end in self.intervals)

    @property
    def weekly_minutes(self) -> int:
        """Shared minutes in a typical week."""
        if self.regular:
            return sum(pattern.minutes for pattern in self.regular)
        return self.total_minutes // self.weeks if self.weeks else 0

    @property
    def is_live(self) -> bool:
        return bool(self.intervals)


def _intersect(a, b):
    """Intersection of two sorted lists of disjoint-or-touching intervals."""
    result, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        begin = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if begin < end:
            result.append((begin, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return result


def _merge(intervals):
    merged = []
    for begin, end in sorted(intervals):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged


def class_overlap(
    a: SchoolCalendar, b: SchoolCalendar, *, today: dt.date, horizon_weeks: int = HORIZON_WEEKS
) -> ClassOverlap:
    """The live school time ``a`` and ``b`` share from ``today`` to the end of both terms."""
    first = max(a.term_start, b.term_start, today)
    last = min(a.term_end, b.term_end, first + dt.timedelta(weeks=horizon_weeks) - DAY)
    if first > last:
        return ClassOverlap(first_day=None, last_day=None, weeks=0, intervals=())
    weeks = -(-((last - first).days + 1) // 7)
    # B's local dates may differ from A's by a day across the date line.
    shared = _intersect(
        _merge(a.intervals(first, last)), _merge(b.intervals(first - DAY, last + DAY))
    )
    zone_a, zone_b = ZoneInfo(a.person.zone), ZoneInfo(b.person.zone)
    counts: Counter = Counter()
    for begin, end in shared:
        la, lae = begin.astimezone(zone_a), end.astimezone(zone_a)
        lb, lbe = begin.astimezone(zone_b), end.astimezone(zone_b)
        counts[(la.weekday(), la.time(), lae.time(), lb.weekday(), lb.time(), lbe.time())] += 1
    threshold = max(1, -(-weeks // 2))
    regular = tuple(
        Pattern(*key, weeks=count)
        for key, count in sorted(counts.items())
        if count >= threshold
    )
    irregular = sum(count for key, count in counts.items() if count < threshold)
    return ClassOverlap(
        first_day=first, last_day=last, weeks=weeks, intervals=tuple(shared),
        regular=regular, irregular_count=irregular,
    )


def duration_text(minutes: int) -> str:
    """"2 h 30", "3 h", "45 min"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(minutes)d min") % {"minutes": rest}
    if rest:
        return _("%(hours)d h %(minutes)02d") % {"hours": hours, "minutes": rest}
    return _("%(hours)d h") % {"hours": hours}


def _days(weekdays: list[int]) -> str:
    names = [str(WEEKDAYS_ABBR[day]) for day in weekdays]
    if len(names) == 1:
        return names[0]
    comma = pgettext("separates the items of a list", ", ")
    return comma.join(names[:-1]) + _(" and ") + names[-1]


def overlap_text(overlap: ClassOverlap, a_name: str, b_name: str) -> str:
    """"2 h 30 of shared school time a week, Tue and Thu 14:00–15:15 in Coventry =
    15:00–16:15 in Dresden", or why there is none."""
    if overlap.first_day is None:
        return _("the two terms do not meet in the coming months")
    if not overlap.is_live:
        return _("%(a)s and %(b)s share no school hour") % {"a": a_name, "b": b_name}
    groups: dict[tuple, list[int]] = {}
    for p in overlap.regular:
        shift = (p.b_weekday - p.a_weekday) % 7
        groups.setdefault((p.a_start, p.a_end, p.b_start, p.b_end, shift), []).append(p.a_weekday)
    parts = []
    for (a_start, a_end, b_start, b_end, shift), days in groups.items():
        b_days = "" if shift == 0 else f"{_days([(d + shift) % 7 for d in days])} "
        parts.append(_("%(a_time)s in %(a)s = %(b_time)s in %(b)s") % {
            "a_time": f"{_days(days)} {a_start:%H:%M}–{a_end:%H:%M}", "a": a_name,
            "b_time": f"{b_days}{b_start:%H:%M}–{b_end:%H:%M}", "b": b_name,
        })
    duration = duration_text(overlap.weekly_minutes)
    if parts:
        text = _("%(duration)s of shared school time a week, %(times)s") % {
            "duration": duration,
            "times": pgettext("joins two clauses of a sentence", "; ").join(parts)}
    else:
        text = _("%(duration)s of shared school time a week") % {"duration": duration}
    if overlap.irregular_count:
        text += " " + _("(times shift in some weeks when clocks change)")
    return text

