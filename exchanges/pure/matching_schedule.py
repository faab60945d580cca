"""When the nightly matching run happens next (the beat schedule runs it daily)."""

import datetime as dt


def next_daily_run(*, now: dt.datetime, at_utc: dt.time) -> dt.datetime:
    """The first instant at ``at_utc`` (UTC wall clock) strictly after ``now``."""
    now = now.astimezone(dt.UTC)
    today = dt.datetime.combine(now.date(), at_utc, tzinfo=dt.UTC)
    return today if today > now else today + dt.timedelta(days=1)
