"""Small arithmetic of the officers' figures: shares, medians of histograms, weeks."""

from __future__ import annotations

import datetime as dt
from collections import Counter


def ratio(part: int, whole: int) -> float | None:
    """``part / whole`` to four places; None when there is nothing to divide by."""
    return round(part / whole, 4) if whole else None


def histogram_median(counts: Counter) -> float | None:
    """The median of a histogram {value: how many}."""
    n = sum(counts.values())
    if not n:
        return None
    middle = ((n - 1) // 2, n // 2)
    values, seen = [], 0
    for value in sorted(counts):
        for index in middle:
            if seen <= index < seen + counts[value]:
                values.append(value)
        seen += counts[value]
    return sum(values) / 2


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def every_week(found: list[dt.date], *, first: dt.date | None, last: dt.date) -> list[dt.date]:
    """Every Monday from the first week with data (or ``first``'s week) to ``last``'s."""
    if not found and first is None:
        return []
    start = monday(first) if first else min(found)
    weeks, week = [], start
    while week <= monday(last):
        weeks.append(week)
        week += dt.timedelta(weeks=1)
    return weeks
