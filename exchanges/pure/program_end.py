"""When a program has ended for the people of a match: its end date (the day after its
last week) read on each one's own calendar, so a program ends in Auckland almost a day
before it ends in Los Angeles. The matching run, the acceptance rule and the dashboard
card all read it here, so that they agree on the day."""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

# Days a proposal waits for both answers before it lapses (services/match_expiry.py).
ANSWER_DAYS = 7


def ended_for(*, end_date: dt.date, zones: Iterable[str], at: dt.datetime) -> bool:
    """Whether, at ``at``, ``end_date`` has come in any of ``zones``."""
    return any(at.astimezone(ZoneInfo(zone)).date() >= end_date for zone in zones)


def answerable_throughout(*, end_date: dt.date, zones: Iterable[str],
                          now: dt.datetime) -> bool:
    """Whether a proposal made at ``now`` can be accepted until it lapses: the program
    has not ended in any of ``zones`` when its answer window closes."""
    return not ended_for(end_date=end_date, zones=zones,
                         at=now + dt.timedelta(days=ANSWER_DAYS))
