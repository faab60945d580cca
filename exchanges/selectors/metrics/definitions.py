"""What each figure means, exactly as exchanges/selectors/metrics/figures.py computes it.

The officer's dashboard prints these under "How we count", and the exports use the keys.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

KEYS = (
    "participants",
    "matched",
    "match_rate",
    "acceptance_rate",
    "median_days_to_match",
    "sessions_scheduled",
    "sessions_held",
    "sessions_missed",
    "sessions_cancelled",
    "attendance_rate",
    "contact_hours",
    "active_participants",
    "retention",
    "completion",
    "messages_per_active_match",
)

RATES = {"match_rate", "acceptance_rate", "attendance_rate", "retention"}

LABELS = {
    "participants": "Participants",
    "matched": "Matched",
    "match_rate": "Match rate",
    "acceptance_rate": "Acceptance rate",
    "median_days_to_match": "Median days to match",
    "sessions_scheduled": "Sessions scheduled",
    "sessions_held": "Sessions held",
    "sessions_missed": "Sessions missed",
    "sessions_cancelled": "Sessions cancelled",
    "attendance_rate": "Attendance rate",
    "contact_hours": "Contact hours",
    "active_participants": "Active participants",
    "retention": "Retention",
    "completion": "Completed",
    "messages_per_active_match": "Messages per active match",
}

DEFINITIONS = {
    "participants": "People who completed their profile in the program during the range "
    "(pupils count from joining their class). By city they count in their own city; by "
    "twinning, in each twinning of the program their city belongs to.",
    "matched": "Of those participants, the ones in at least one match of the program that "
    "both partners accepted, on or before the range's last day.",
    "match_rate": "Matched divided by participants.",
    "acceptance_rate": "Of the matches proposed during the range that both partners have "
    "answered (both accepted, or one declined), the share both accepted.",
    "median_days_to_match": "For the matched participants, the median of the whole days "
    "from completing the profile to their first match becoming active.",
    "sessions_scheduled": "Every session starting during the range, whatever became of it "
    "(held, missed, cancelled or still to come).",
    "sessions_held": "Sessions starting during the range at which both partners were "
    "present (each for at least 10 minutes, or a third of a shorter session).",
    "sessions_missed": "Sessions starting during the range that at least one partner missed.",
    "sessions_cancelled": "Sessions starting during the range that were cancelled.",
    "attendance_rate": "Attended person-sessions divided by person-sessions of the "
    "sessions that took place (held or missed; never the cancelled or future ones). A "
    "partner who never came counts as a missed person-session.",
    "contact_hours": "Hours both partners were present in the room together during their "
    "sessions, measured from their connections to the room (never self-reported), for "
    "sessions held during the range.",
    "active_participants": "People who attended at least one session during the range.",
    "retention": "Of the participants whose first held session is at least 4 weeks before "
    "the range's last day, the share who attended a session 4 weeks or more after it.",
    "completion": "Participants who attended at least the program's threshold of sessions "
    "(8 unless the program says otherwise) by the range's last day.",
    "messages_per_active_match": "Messages sent during the range in the rooms of the "
    "matches that were active at some point in the range, divided by those matches. "
    "Only counts: officers never see a message's text.",
}

NOTES = (
    "Dates are UTC days; a range includes its first and last day. A session belongs to "
    "the day (and week) it starts, counted in UTC instants, so clock changes never add or "
    "lose time.",
    "A city's match, session and message figures are those of the matches with a partner "
    "in that city; each session appears under both partners' cities.",
    "Pupils appear only in counts: the number of pupils and of classes, never who they are.",
)


@dataclass(frozen=True)
class Period:
    """A range of UTC days, first and last included; ``first`` None means from the start."""

    first: dt.date | None
    last: dt.date

    @property
    def lo(self) -> dt.datetime | None:
        return None if self.first is None else _midnight(self.first)

    @property
    def hi(self) -> dt.datetime:
        """The first instant after the range."""
        return _midnight(self.last + dt.timedelta(days=1))

    def label(self) -> str:
        return f"{self.first or 'start'} to {self.last}"


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
