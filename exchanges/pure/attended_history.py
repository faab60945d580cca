"""A person's attended sessions in order, for "when did they last attend before this?"."""

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable


class AttendedHistory:
    """Attended sessions grouped by a key (a person, with a program or a twinning), in
    start order and, for sessions starting together, in id order: of two sessions at one
    instant only the first can be a person's first."""

    def __init__(self, rows: Iterable[tuple[Hashable, dt.datetime, int]]):
        starts: dict[Hashable, list[tuple[dt.datetime, int]]] = defaultdict(list)
        for key, starts_at, session_id in rows:
            starts[key].append((starts_at, session_id))
        for times in starts.values():
            times.sort()
        self._starts = starts

    def before(self, key: Hashable, at: dt.datetime, session_id: int) -> dt.datetime | None:
        """The start of the last session under ``key`` before session ``session_id``,
        which starts at ``at``; None when it is the first."""
        times = self._starts.get(key, ())
        index = bisect.bisect_left(times, (at, session_id))
        return times[index - 1][0] if index else None
