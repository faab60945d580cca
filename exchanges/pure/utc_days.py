"""UTC days: the unit of the metrics' summaries and roll-ups, whatever the reader's zone."""

import datetime as dt


def utc_day(at: dt.datetime) -> dt.date:
    return at.astimezone(dt.UTC).date()


def utc_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
