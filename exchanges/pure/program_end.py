"""When a program has ended for the people of a match: its end date (the day after its
last week) read on each one's own calendar, so a program ends in Auckland almost a day
before it ends in Los Angeles. The matching run, the acceptance rule and the dashboard
card all read it here, so that they agree on the day."""

import datetime as dt
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

# Days a proposal waits for both answers before it lapses (services/match_expiry.py).
ANSWER_DAYS = 7


# Every clock on Earth is between 12 hours behind UTC and 14 hours ahead of it.
_BEHIND, _AHEAD = dt.timedelta(hours=-12), dt.timedelta(hours=14)


def ended_for(*, end_date: dt.date,
              zones: Iterable[str] | Callable[[], Iterable[str]], at: dt.datetime) -> bool:
    """Whether, at ``at``, ``end_date`` has come in any of ``zones``. Zones decide only
    within a day of the end: ``zones`` may be a callable (a query), called then only."""
    utc = at.astimezone(dt.UTC)
    if (utc + _AHEAD).date() < end_date:
        return False
    if (utc + _BEHIND).date() >= end_date:
        return True
    return any(at.astimezone(ZoneInfo(zone)).date() >= end_date
               for zone in (zones() if callable(zones) else zones))


def answerable_throughout(*, end_date: dt.date,
                          zones: Iterable[str] | Callable[[], Iterable[str]],
                          now: dt.datetime) -> bool:
    """Whether a proposal made at ``now`` can be accepted until it lapses: the program
    has not ended in any of ``zones`` when its answer window closes."""
    return not ended_for(end_date=end_date, zones=zones,
                         at=now + dt.timedelta(days=ANSWER_DAYS))


def inside_on_every_calendar(*, at: dt.datetime, zones: Iterable[str],
                             start_date: dt.date, end_date: dt.date) -> bool:
    """Whether ``at`` falls from ``start_date`` to before ``end_date`` on each of
    ``zones``' calendars, as a series and a move keep their sessions."""
    return all(start_date <= at.astimezone(ZoneInfo(zone)).date() < end_date
               for zone in zones)


def maybe_outside(*, start_date: dt.date, end_date: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """UTC bounds (before, from): only a start before the first or from the second can lie
    outside the days on some clock on Earth; the zones decide between them."""
    first = dt.datetime.combine(start_date, dt.time(), dt.UTC) - _BEHIND
    end = dt.datetime.combine(end_date, dt.time(), dt.UTC) - _AHEAD
    return first, end
