"""What each figure means, exactly as exchanges/selectors/metrics/figures.py computes it.

The officer's dashboard prints these under "How we count", and the exports use the keys.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from exchanges.pure.utc_days import utc_midnight

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
    "participants": _("Participants"),
    "matched": _("Matched"),
    "match_rate": _("Match rate"),
    "acceptance_rate": _("Acceptance rate"),
    "median_days_to_match": _("Median days to match"),
    "sessions_scheduled": _("Sessions scheduled"),
    "sessions_held": _("Sessions held"),
    "sessions_missed": _("Sessions missed"),
    "sessions_cancelled": _("Sessions cancelled"),
    "attendance_rate": _("Attendance rate"),
    "contact_hours": _("Contact hours"),
    "active_participants": _("Active participants"),
    "retention": _("Retention"),
    "completion": _("Completed"),
    "messages_per_active_match": _("Messages per active match"),
}

DEFINITIONS = {
    "participants": _("People who completed their profile in the program during the range "
        "(pupils count from joining their class). By city they count in their own city; by "
        "twinning, in each twinning of the program their city belongs to."),
    "matched": _("Of those participants, the ones in at least one match of the program that "
        "both partners accepted, on or before the range's last day."),
    "match_rate": _("Matched divided by participants."),
    "acceptance_rate": _("Of the matches proposed during the range that both partners have "
        "answered (both accepted, or one declined), the share both accepted."),
    "median_days_to_match": _("For the matched participants, the median of the whole days "
        "from completing the profile to their first match becoming active."),
    "sessions_scheduled": _("Every session starting during the range, whatever became of it "
        "(held, missed, cancelled or still to come)."),
    "sessions_held": _("Sessions starting during the range at which both partners were "
        "present (each for at least 10 minutes, or a third of a shorter session); a class "
        "session, when at least one pupil of each class was."),
    "sessions_missed": _("Sessions starting during the range that at least one partner "
        "missed; a class session, that no pupil of one class (or of either) attended."),
    "sessions_cancelled": _("Sessions starting during the range that were cancelled."),
    "attendance_rate": _("Attended person-sessions divided by expected person-sessions, "
        "of the sessions that took place (held or missed; never the cancelled or future "
        "ones). A tandem session expects its two partners; a partner who never came counts "
        "as a missed person-session. A class session expects the pupils of both classes who "
        "had joined their class by its start (one who joined later counts only if they came); "
        "a pupil attends as a partner does. A removed pupil's attendance goes with their "
        "account: they count at no session. In a program with both kinds, every "
        "person-session weighs the same."),
    "contact_hours": _("Hours both partners were present in the room together during their "
        "sessions (a class session: hours pupils of both classes were present at once), "
        "measured from their connections to the rooms (never self-reported), for sessions "
        "held during the range."),
    "active_participants": _("People who attended at least one session during the range: "
        "tandem partners, and pupils who attended a class session that took place (held or "
        "missed), each person counted once."),
    "retention": _("Of the participants whose first held session is at least 4 weeks before "
        "the range's last day, the share who attended a session 4 weeks or more after it."),
    "completion": _("Participants who attended at least the program's threshold of sessions "
        "(8 unless the program says otherwise) by the range's last day."),
    "messages_per_active_match": _("Messages sent during the range in the rooms of the "
        "matches that were active at some point in the range, divided by those matches. "
        "Only counts: officers never see a message's text."),
}

# A classroom program pairs its pupils inside class exchanges, never in matches: these
# figures mean nothing there. They are null in the exports (the keys stay) and "—" on the
# dashboard, with NOT_FOR_CLASSROOM as their explanation.
MATCH_ONLY = (
    "matched", "match_rate", "acceptance_rate", "median_days_to_match",
    "messages_per_active_match",
)
NOT_FOR_CLASSROOM = _("Does not apply to a classroom program: its pupils are paired inside "
    "their class exchanges, not in matches.")
CLASSROOM_NOT_SHOWN = dict.fromkeys(MATCH_ONLY, NOT_FOR_CLASSROOM)


def figures_for_kind(figures: dict, *, kind: str) -> dict:
    """``metrics()``'s result with the figures that do not apply to a program of ``kind``
    set to None in the totals and in every row."""
    if kind != "classroom":
        return figures
    for row in (figures["totals"], *figures["by_twinning"], *figures["by_city"]):
        row.update(dict.fromkeys(CLASSROOM_NOT_SHOWN))
    return figures


NOTES = (
    _("Dates are UTC days; a range includes its first and last day. A session belongs to "
        "the day (and week) it starts, counted in UTC instants, so clock changes never add or "
        "lose time."),
    _("A city's match, session and message figures are those of the matches with a partner "
        "in that city; each session appears under both partners' cities."),
    _("Pupils appear only in counts (of pupils, of classes, of pupils expected at and "
        "attending class sessions), never who they are."),
    _("Figures for past days keep counting people whose data has since been deleted (pupils "
        "after their exchange's retention period, people who closed their account), as "
        "anonymous counts; a pupil removed by their teacher no longer counts anywhere."),
)


@dataclass(frozen=True)
class Period:
    """A range of UTC days, first and last included; ``first`` None means from the start."""

    first: dt.date | None
    last: dt.date

    @property
    def lo(self) -> dt.datetime | None:
        return None if self.first is None else utc_midnight(self.first)

    @property
    def hi(self) -> dt.datetime:
        """The first instant after the range."""
        return utc_midnight(self.last + dt.timedelta(days=1))

    def label(self) -> str:
        """The range in the reader's language and date format."""
        last = date_format(self.last, "SHORT_DATE_FORMAT")
        if self.first is None:
            return gettext("start to %(last)s") % {"last": last}
        return gettext("%(first)s to %(last)s") % {
            "first": date_format(self.first, "SHORT_DATE_FORMAT"), "last": last,
        }
