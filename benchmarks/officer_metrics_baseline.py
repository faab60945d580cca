"""The baseline for benchmarks/officer_metrics.py: a program's totals computed from the
source tables with plain SQL (PostgreSQL), without the summaries — the definitions of
exchanges/selectors/metrics/definitions.py, written a second way, so the benchmark also
checks that both give the same numbers."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from exchanges import models as m


def _t(model) -> str:
    return f'"{model._meta.db_table}"'


def _ratio(part, whole):
    return round(part / whole, 4) if whole else None


PEOPLE_SQL = """
WITH people AS (
  SELECT p.id, COALESCE(p.onboarded_at, u.date_joined) AS joined
  FROM {participant} p
  JOIN {user} u ON u.id = p.user_id
  JOIN {links} pp ON pp.participant_id = p.id AND pp.program_id = %(program)s
  WHERE (p.onboarded_at IS NOT NULL OR u.is_pupil)
    AND COALESCE(p.onboarded_at, u.date_joined) >= %(lo)s
    AND COALESCE(p.onboarded_at, u.date_joined) < %(hi)s
),
act AS (
  SELECT pid, MIN(activated_at) AS first_active FROM (
    SELECT participant_a_id AS pid, activated_at FROM {match}
    WHERE program_id = %(program)s AND activated_at IS NOT NULL
    UNION ALL
    SELECT participant_b_id, activated_at FROM {match}
    WHERE program_id = %(program)s AND activated_at IS NOT NULL
  ) x GROUP BY pid
),
att AS (
  SELECT a.participant_id AS pid, s.starts_at, s.status
  FROM {attendance} a JOIN {session} s ON s.id = a.session_id
  JOIN {match} mt ON mt.id = s.match_id
  WHERE mt.program_id = %(program)s AND a.status = 'attended'
),
firsts AS (
  SELECT pid, MIN(starts_at) FILTER (WHERE status = 'held') AS first_held FROM att GROUP BY pid
),
ranked AS (
  SELECT pid, starts_at, ROW_NUMBER() OVER (PARTITION BY pid ORDER BY starts_at) AS rn FROM att
),
done AS (SELECT pid, starts_at AS completed_at FROM ranked WHERE rn = %(threshold)s),
back AS (
  SELECT f.pid, MIN(a.starts_at) AS retained_at FROM firsts f
  JOIN att a ON a.pid = f.pid AND a.starts_at >= f.first_held + INTERVAL '28 days'
  GROUP BY f.pid
)
SELECT
  COUNT(*),
  COUNT(*) FILTER (WHERE act.first_active < %(hi)s),
  PERCENTILE_CONT(0.5) WITHIN GROUP (
    ORDER BY GREATEST(0, FLOOR(EXTRACT(EPOCH FROM act.first_active - people.joined) / 86400))
  ) FILTER (WHERE act.first_active < %(hi)s),
  COUNT(*) FILTER (WHERE done.completed_at < %(hi)s),
  COUNT(*) FILTER (WHERE firsts.first_held < %(settled_by)s),
  COUNT(*) FILTER (WHERE firsts.first_held < %(settled_by)s AND back.retained_at < %(hi)s)
FROM people
LEFT JOIN act ON act.pid = people.id
LEFT JOIN firsts ON firsts.pid = people.id
LEFT JOIN done ON done.pid = people.id
LEFT JOIN back ON back.pid = people.id
"""

SESSIONS_SQL = """
SELECT
  COUNT(*),
  COUNT(*) FILTER (WHERE s.status = 'held'),
  COUNT(*) FILTER (WHERE s.status = 'missed'),
  COUNT(*) FILTER (WHERE s.status = 'cancelled'),
  (SELECT COUNT(*) FROM {attendance} a JOIN {session} s2 ON s2.id = a.session_id
   JOIN {match} m2 ON m2.id = s2.match_id
   WHERE m2.program_id = %(program)s AND s2.status IN ('held', 'missed')
     AND s2.starts_at >= %(lo)s AND s2.starts_at < %(hi)s AND a.status = 'attended'),
  2 * COUNT(*) FILTER (WHERE s.status IN ('held', 'missed'))
FROM {session} s JOIN {match} mt ON mt.id = s.match_id
WHERE mt.program_id = %(program)s AND s.starts_at >= %(lo)s AND s.starts_at < %(hi)s
"""

CONTACT_SQL = """
SELECT COALESCE(SUM(GREATEST(0, EXTRACT(EPOCH FROM
         LEAST(ia.ended_at, ib.ended_at) - GREATEST(ia.started_at, ib.started_at)))), 0)
FROM {session} s JOIN {match} mt ON mt.id = s.match_id
JOIN {attendance} aa ON aa.session_id = s.id AND aa.participant_id = mt.participant_a_id
JOIN {attendance} ab ON ab.session_id = s.id AND ab.participant_id = mt.participant_b_id
JOIN {interval} ia ON ia.attendance_id = aa.id
JOIN {interval} ib ON ib.attendance_id = ab.id
WHERE mt.program_id = %(program)s AND s.status = 'held'
  AND s.starts_at >= %(lo)s AND s.starts_at < %(hi)s
"""

ACTIVE_SQL = """
SELECT COUNT(DISTINCT a.participant_id)
FROM {attendance} a JOIN {session} s ON s.id = a.session_id JOIN {match} mt ON mt.id = s.match_id
WHERE mt.program_id = %(program)s AND a.status = 'attended'
  AND s.starts_at >= %(lo)s AND s.starts_at < %(hi)s
"""

PAIRS_SQL = """
SELECT
  COUNT(*) FILTER (WHERE created_at >= %(lo)s AND created_at < %(hi)s
                   AND (activated_at IS NOT NULL OR status = 'declined')),
  COUNT(*) FILTER (WHERE created_at >= %(lo)s AND created_at < %(hi)s
                   AND activated_at IS NOT NULL),
  COUNT(*) FILTER (WHERE activated_at < %(hi)s AND (ended_at IS NULL OR ended_at >= %(lo)s)),
  (SELECT COUNT(*) FROM {message} msg JOIN {room} r ON r.id = msg.room_id
   JOIN {match} m2 ON m2.id = r.match_id
   WHERE m2.program_id = %(program)s
     AND msg.created_at >= %(lo)s AND msg.created_at < %(hi)s)
FROM {match} WHERE program_id = %(program)s
"""


def baseline_totals(*, program, period) -> dict:
    """The program's totals for the period (its first day must be given)."""
    tables = {
        "participant": _t(m.Participant), "user": _t(m.User),
        "links": _t(m.Participant.programs.through), "match": _t(m.Match),
        "attendance": _t(m.Attendance), "session": _t(m.Session),
        "interval": _t(m.PresenceInterval), "message": _t(m.Message), "room": _t(m.Room),
    }
    params = {
        "program": program.pk, "lo": period.lo, "hi": period.hi,
        "settled_by": period.hi - dt.timedelta(weeks=4),
        "threshold": program.completion_sessions,
    }
    with connection.cursor() as cursor:
        cursor.execute(PEOPLE_SQL.format(**tables), params)
        people, matched, median, completion, base, retained = cursor.fetchone()
        cursor.execute(SESSIONS_SQL.format(**tables), params)
        scheduled, held, missed, cancelled, attended, person_sessions = cursor.fetchone()
        cursor.execute(CONTACT_SQL.format(**tables), params)
        (seconds,) = cursor.fetchone()
        cursor.execute(ACTIVE_SQL.format(**tables), params)
        (active,) = cursor.fetchone()
        cursor.execute(PAIRS_SQL.format(**tables), params)
        answered, accepted, live, messages = cursor.fetchone()
    return {
        "participants": people,
        "matched": matched,
        "match_rate": _ratio(matched, people),
        "acceptance_rate": _ratio(accepted, answered),
        "median_days_to_match": float(median) if median is not None else None,
        "sessions_scheduled": scheduled,
        "sessions_held": held,
        "sessions_missed": missed,
        "sessions_cancelled": cancelled,
        "attendance_rate": _ratio(attended, person_sessions),
        "contact_hours": round(float(seconds) / 3600, 2),
        "active_participants": active,
        "retention": _ratio(retained, base),
        "completion": completion,
        "messages_per_active_match": round(messages / live, 2) if live else None,
    }
