"""When a day-before reminder may go: on the reader's calendar day before the session,
never earlier. Counted in dates, not as 24 hours: across a spring-forward night, 24 hours
before a session just after midnight is two dates earlier ("tomorrow" would be wrong)."""

import datetime as dt
from zoneinfo import ZoneInfo


def day_before_starts(start: dt.datetime, zone: str) -> dt.datetime:
    """The first instant of the reader's calendar day before ``start`` (aware, UTC); on a
    day that begins in a spring-forward gap, the first instant that exists."""
    tz = ZoneInfo(zone)
    day = start.astimezone(tz).date() - dt.timedelta(days=1)
    # A midnight in a gap reads with the offset before it (fold=0): the gap's end.
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz).astimezone(dt.UTC)


def too_early(start: dt.datetime, zone: str, now: dt.datetime) -> bool:
    """Whether ``now`` is before the reader's day before the session."""
    tz = ZoneInfo(zone)
    return now.astimezone(tz).date() < start.astimezone(tz).date() - dt.timedelta(days=1)
