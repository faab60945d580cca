"""Pupils' attendance at class sessions, rolled up for the officers' figures: per class
session, how many pupils of each class were expected and how many came
(``SessionSummary.a_pupils`` and the rest: the attendance rate), and each attending
pupil's previous attended class session, keyed into ``ActiveDay`` as a partner's is (the
active participants, a sum over days). Only counts leave here: no summary or roll-up
row names a pupil.

Expected at a class session: the pupils of its class who had joined the class by the
session's start, and any who joined later and still came. A removed pupil's attendance
goes with their account, so they count at no session (``pupil_remove`` recounts at once).
Pupils deleted by the retention rule are different: what they counted for stays, as
anonymous ``kept`` roll-up rows (services/metrics_kept.py).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from exchanges.models import ActiveDay, Attendance, Participant, Session
from exchanges.pure.attended_history import AttendedHistory
from exchanges.pure.utc_days import utc_day, utc_midnight

ATTENDED = Attendance.Status.ATTENDED
TOOK_PLACE = (Session.Status.HELD, Session.Status.MISSED)


def class_pupil_counts(
    sessions: dict[int, tuple[dt.datetime, int, int]],
    attendance: Iterable[tuple[int, int, str, int | None]],
) -> dict[int, tuple[int, int, int, int]]:
    """``{session id: (a expected, b expected, a came, b came)}`` for class sessions that
    took place, ``{id: (starts_at, classroom_a_id, classroom_b_id)}``, given their attendance rows
    ``(session id, participant id, status, participant's classroom id)``: one query, for
    the classes' pupils and when each joined."""
    if not sessions:
        return {}
    classes = {c for _, a, b in sessions.values() for c in (a, b)}
    joins: dict[int, list[dt.datetime]] = defaultdict(list)
    joined: dict[int, dt.datetime] = {}
    for pid, classroom_id, onboarded_at, date_joined in Participant.objects.filter(
        classroom_id__in=classes, user__is_pupil=True
    ).values_list("id", "classroom_id", "onboarded_at", "user__date_joined"):
        joined[pid] = onboarded_at or date_joined
        joins[classroom_id].append(joined[pid])
    for times in joins.values():
        times.sort()
    came: Counter = Counter()
    late: Counter = Counter()  # came, having joined after the start: expected too
    for session_id, pid, status, classroom_id in attendance:
        if status != ATTENDED or session_id not in sessions or pid not in joined:
            continue
        starts_at = sessions[session_id][0]
        came[session_id, classroom_id] += 1
        if joined[pid] > starts_at:
            late[session_id, classroom_id] += 1
    counts = {}
    for session_id, (starts_at, class_a, class_b) in sessions.items():
        expected = [
            bisect.bisect_right(joins.get(c, ()), starts_at) + late[session_id, c]
            for c in (class_a, class_b)
        ]
        counts[session_id] = (*expected, came[session_id, class_a], came[session_id, class_b])
    return counts


def pupil_active_days(program_id: int, days: set[dt.date] | None) -> list[ActiveDay]:
    """The program's pupils' attended class sessions on these UTC days (every day when
    None), counted by twinning, class city, partner class city, day and the days of the
    pupil's previous attended class session in the program and in the twinning. Two
    queries (one when every day is rebuilt)."""
    attended = Attendance.objects.filter(
        status=ATTENDED, session__exchange__program_id=program_id,
        session__status__in=TOOK_PLACE, participant__classroom_id__isnull=False,
    )
    on_days = attended
    if days is not None:
        if not days:
            return []
        on_days = attended.filter(
            session__starts_at__gte=utc_midnight(min(days)),
            session__starts_at__lt=utc_midnight(max(days) + dt.timedelta(days=1)),
        )
    rows = list(on_days.values_list(
        "participant_id", "session__starts_at", "session_id", "session__exchange__twinning_id",
        "participant__classroom_id", "session__exchange__classroom_a_id",
        "session__exchange__classroom_a__city_id", "session__exchange__classroom_b__city_id",
    ))
    if days is None:
        history = [(pid, at, session, twinning) for pid, at, session, twinning, *_ in rows]
    else:
        rows = [row for row in rows if utc_day(row[1]) in days]
        history = attended.filter(
            participant_id__in={row[0] for row in rows},
            session__starts_at__lt=utc_midnight(max(days) + dt.timedelta(days=1)),
        ).values_list("participant_id", "session__starts_at", "session_id",
                      "session__exchange__twinning_id")
    attended_history = AttendedHistory(
        row
        for pid, at, session, twinning in history
        for row in (((pid, None), at, session), ((pid, twinning), at, session))
    )

    def previous(pid: int, twinning: int | None, at: dt.datetime,
                 session: int) -> dt.date | None:
        before = attended_history.before((pid, twinning), at, session)
        return utc_day(before) if before else None

    counts: Counter = Counter()
    for pid, at, session, twinning, classroom_id, class_a, city_a, city_b in rows:
        city, partner = (city_a, city_b) if classroom_id == class_a else (city_b, city_a)
        counts[twinning, city, partner, utc_day(at), previous(pid, None, at, session),
               previous(pid, twinning, at, session)] += 1
    return [
        ActiveDay(program_id=program_id, twinning_id=twinning, city_id=city,
                  partner_city_id=partner, day=day, previous_day=before,
                  previous_in_twinning_day=before_tw, count=n)
        for (twinning, city, partner, day, before, before_tw), n in counts.items()
    ]
