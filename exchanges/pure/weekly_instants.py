"""A weekly wall-clock time on real instants: each week's local time converted on its own
date with ``zoneinfo``, so a clock change on either side lands right; a week whose local
time a DST gap skips has no instant."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

UTC = dt.UTC


def first_date(start_date: dt.date, weekday: int) -> dt.date:
    """The first date on or after ``start_date`` that falls on ``weekday``."""
    return start_date + dt.timedelta(days=(weekday - start_date.weekday()) % 7)


def local_to_utc(day: dt.date, at: dt.time, zone: ZoneInfo) -> dt.datetime | None:
    """The instant of a local wall-clock time, or None when the clock skips it (DST gap).

    An ambiguous time (clocks going back) means its first occurrence.
    """
    local = dt.datetime.combine(day, at, tzinfo=zone)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None
    return instant


def weekly_starts(
    *, first_start: dt.datetime, anchor_tz: str, end_date: dt.date, now: dt.datetime,
    start_date: dt.date | None = None, calendars: Iterable[str] = (),
) -> list[dt.datetime]:
    """Weekly UTC starts at ``first_start``'s wall-clock time in ``anchor_tz``, after
    ``now`` and before ``end_date``; a week whose local time a DST gap skips is left out.

    A start also lies inside the program on each of ``calendars`` (the partners' zones):
    on ``start_date`` or later and before ``end_date`` as their own clocks have it, as a
    one-off move must. Auckland's Monday morning is Los Angeles' Sunday."""
    zone = ZoneInfo(anchor_tz)
    zones = [ZoneInfo(name) for name in calendars]
    first = first_start.astimezone(zone)
    starts, day, at = [], first.date(), first.time()
    week = dt.timedelta(weeks=1)
    while day < end_date:
        instant = local_to_utc(day, at, zone)
        if instant is not None and instant > now and all(
            inside_days(instant.astimezone(other).date(), start_date, end_date)
            for other in zones
        ):
            starts.append(instant)
        day += week
    return starts


def inside_days(day: dt.date, start_date: dt.date | None, end_date: dt.date) -> bool:
    """Whether ``day`` is one of the program's: from its start to before its end date."""
    return (start_date is None or start_date <= day) and day < end_date


def overlaps_any(
    starts: Iterable[dt.datetime], minutes: int, busy: Iterable[tuple[dt.datetime, dt.datetime]]
) -> bool:
    """Whether a session of ``minutes`` at any of ``starts`` overlaps a busy (start, end)."""
    length = dt.timedelta(minutes=minutes)
    busy = list(busy)
    return any(lo < start + length and start < hi for start in starts for lo, hi in busy)


def reminder_due(send_at: dt.datetime, now: dt.datetime, horizon: dt.timedelta | None) -> bool:
    """Whether a reminder row is created now: not already past, and within the horizon."""
    return send_at > now and (horizon is None or send_at <= now + horizon)


def occurrences(
    *, weekday: int, local_start: dt.time, anchor_tz: str, start_date: dt.date, weeks: int
) -> tuple[dt.datetime, ...] | None:
    """The slot's UTC start in each week, or None if one week's local time does not exist."""
    zone = ZoneInfo(anchor_tz)
    day = first_date(start_date, weekday)
    starts = []
    for week in range(weeks):
        instant = local_to_utc(day + dt.timedelta(weeks=week), local_start, zone)
        if instant is None:
            return None
        starts.append(instant)
    return tuple(starts)
