"""A person's weekly free windows less the weekly times their booked sessions already take.

Someone with room for another partner is matched on their windows; a window their first
partner's weekly series already uses cannot hold the new pair's sessions, so the matching
run gives the engine what is left. A session moved once takes its new time for every
week too: the new pair's weekly slot must meet none of their sessions in any week
(services/slots.py), so that time cannot hold it either. All times here are the
person's local wall-clock times (weekday 0 = Monday), so clock changes play no part: a
series at Mondays 18:00 in the person's zone is Mondays 18:00 on either side of a change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from exchanges.pure.scheduling import Window
from exchanges.pure.window_ends import DAY_MINUTES, end_minute, minute_of_day

WEEK_MINUTES = 7 * DAY_MINUTES


@dataclass(frozen=True)
class WeeklyBusy:
    """A weekly time taken by a session series, in the person's local time; it may run
    past midnight into the next day (and from Sunday into Monday)."""

    weekday: int
    start: dt.time
    minutes: int


def weekly_busy(sessions: Iterable[tuple[dt.datetime, int]], zone: str) -> set[WeeklyBusy]:
    """The weekly local times of sessions (aware start, minutes) in ``zone``: every
    session of one series gives the same one."""
    tz = ZoneInfo(zone)
    busy = set()
    for start, minutes in sessions:
        local = start.astimezone(tz)
        busy.add(WeeklyBusy(weekday=local.weekday(), start=local.time().replace(
            second=0, microsecond=0, tzinfo=None), minutes=minutes))
    return busy


def windows_left(windows: Sequence[Window], busy: Iterable[WeeklyBusy], *,
                 shortest: int) -> tuple[Window, ...]:
    """The parts of ``windows`` outside every ``busy`` time. Touching windows (a late
    evening split at midnight, Sunday night into Monday) count as one, as the engine
    reads them; a part a cut leaves shorter than ``shortest`` minutes is dropped, as no
    session fits in it. Without busy times the windows come back unchanged."""
    cuts = _cuts(busy)
    if not cuts:
        return tuple(windows)
    left = []
    for start, end in _week_spans(windows, cuts[0][0]):
        for part in _subtract((start, end), cuts):
            if part == (start, end) or part[1] - part[0] >= shortest:
                left.extend(_day_windows(*part))
    return tuple(sorted(left, key=lambda w: (w.weekday, minute_of_day(w.start))))


def _cuts(busy: Iterable[WeeklyBusy]) -> list[tuple[int, int]]:
    """Busy times as minutes of the week, each also a week earlier and later, so they
    cut spans that run past Sunday midnight."""
    cuts = []
    for b in busy:
        if b.minutes <= 0:
            continue
        start = b.weekday * DAY_MINUTES + minute_of_day(b.start)
        for shift in (-WEEK_MINUTES, 0, WEEK_MINUTES):
            cuts.append((start + shift, start + shift + b.minutes))
    return sorted(cuts)


def _week_spans(windows: Sequence[Window], anchor: int) -> list[tuple[int, int]]:
    """The windows as merged spans of minutes of the week. A span that closes Sunday and
    one that opens Monday are one span running past the week's end; free all week is one
    span of a whole week from ``anchor`` (a busy start), so that cuts split it right."""
    spans: list[tuple[int, int]] = []
    for start, end in sorted(
        (w.weekday * DAY_MINUTES + minute_of_day(w.start),
         w.weekday * DAY_MINUTES + end_minute(w.end)) for w in windows
    ):
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    if spans and spans[0][0] == 0 and spans[-1][1] == WEEK_MINUTES:
        if len(spans) == 1:
            anchor %= WEEK_MINUTES
            return [(anchor, anchor + WEEK_MINUTES)]
        first = spans.pop(0)
        spans[-1] = (spans[-1][0], WEEK_MINUTES + first[1])
    return spans


def _subtract(span: tuple[int, int], cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    parts = [span]
    for cut_start, cut_end in cuts:
        parts = [
            piece
            for start, end in parts
            for piece in ((start, min(end, cut_start)), (max(start, cut_end), end))
            if piece[0] < piece[1]
        ]
    return parts


def _day_windows(start: int, end: int) -> list[Window]:
    """A span of minutes of the week (possibly past its end) as windows split at each
    midnight; an end at midnight is written 00:00, the midnight closing the day."""
    windows = []
    while start < end:
        day_end = min(end, (start // DAY_MINUTES + 1) * DAY_MINUTES)
        windows.append(Window(
            weekday=(start // DAY_MINUTES) % 7,
            start=_time(start),
            end=_time(day_end),
        ))
        start = day_end
    return windows


def _time(minute: int) -> dt.time:
    minute %= DAY_MINUTES
    return dt.time(minute // 60, minute % 60)
