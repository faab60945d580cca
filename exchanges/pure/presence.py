"""Time two people spent together, from each one's stretches of presence.

Each person's stretches are disjoint (a stretch runs from the first of their sockets
opening to the last closing), so the time both were present is the sum of the pairwise
overlaps, clipped to the session. A class's presence is the union of its pupils'
stretches (``union``), so two classes' time together is counted the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

Interval = tuple[dt.datetime, dt.datetime]


def clip(begin: dt.datetime, end: dt.datetime, lo: dt.datetime, hi: dt.datetime) -> Interval | None:
    """[begin, end] inside [lo, hi], or None when they do not overlap."""
    begin, end = max(begin, lo), min(end, hi)
    return (begin, end) if end > begin else None


def union(intervals: Iterable[Interval]) -> list[Interval]:
    """The disjoint stretches covered by any of ``intervals``, in order (touching ones
    joined)."""
    merged: list[Interval] = []
    for begin, end in sorted(intervals):
        if merged and begin <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((begin, end))
    return merged


def together_seconds(
    a: Iterable[Interval], b: Iterable[Interval], *, lo: dt.datetime, hi: dt.datetime
) -> int:
    """Whole seconds in which both ``a`` and ``b`` were present within [lo, hi]."""
    a = sorted(i for i in (clip(s, e, lo, hi) for s, e in a) if i)
    b = sorted(i for i in (clip(s, e, lo, hi) for s, e in b) if i)
    total = dt.timedelta()
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if end > start:
            total += end - start
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return int(total.total_seconds())
