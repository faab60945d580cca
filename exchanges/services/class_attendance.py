"""Attendance at class sessions, by pupil: a pupil's socket in the exchange's class room
or in their pair's room counts for the session; teachers (moderators, no Participant)
are not counted. Settling marks each pupil of both classes who was in their class when
the session began attended or missed (one who joined later only when they came), and the
session held when pupils of both classes came: an exchange meets when both sides do, as a
tandem session is held when both partners come.

The tandem rules apply (``attendance``): a socket opened up to an hour early counts from
the start, several tabs count once, and the time present is the union of connections.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Case, DateTimeField, F, Value, When
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from exchanges.models import Attendance, Participant, PresenceInterval, Session
from exchanges.pure.presence import clip

# Shared with the tandem sessions (``attendance``), which import them from here.
GRACE = dt.timedelta(minutes=15)  # a session is settled this long after its end
ATTENDED_SECONDS = 600  # 10 minutes, or a third of a shorter session


def session_end(session: Session) -> dt.datetime:
    return session.starts_at + dt.timedelta(minutes=session.minutes)


def seconds_inside(begin: dt.datetime, end: dt.datetime, session: Session) -> int:
    """Seconds of [begin, end] inside the session itself."""
    lo, hi = max(begin, session.starts_at), min(end, session_end(session))
    return max(0, int((hi - lo).total_seconds()))


def stretch_close(attendance: Attendance, end: dt.datetime, session: Session) -> None:
    """Keep the stretch the person was present (inside the session), so the time both
    sides were there together can be worked out (exchanges/pure/presence.py)."""
    stretch = clip(attendance.open_since, end, session.starts_at, session_end(session))
    if stretch is not None:
        PresenceInterval.objects.create(
            attendance=attendance, started_at=stretch[0], ended_at=stretch[1]
        )


def settle_finished(*, now: dt.datetime, batch_size: int, settle, related=(), first=None,
                    **kind) -> int:
    """Settle the scheduled sessions of one ``kind`` (``match__isnull=False``,
    ``exchange__isnull=False``) that ended more than ``GRACE`` ago, with
    ``settle(session=, now=)``, a batch per transaction. Each session is claimed with SKIP
    LOCKED, so two runs never settle one twice. ``first()``, when given, is called in each
    batch's transaction before the claim, when there is something to claim (attendance:
    the metrics lock, taken before the sessions' rows as a deletion takes it). Returns
    how many were settled."""
    settled = 0
    due = Session.objects.filter(status=Session.Status.SCHEDULED, settled_at__isnull=True,
                                 starts_at__lte=now - GRACE, **kind)
    while True:
        with transaction.atomic():
            if first is not None:
                if not due.exists():  # nothing to settle: no wait on a running refresh
                    return settled
                first()
            batch = [
                s for s in due.select_for_update(skip_locked=True, of=("self",))
                .select_related(*related)
                .order_by("starts_at")[:batch_size]
                if session_end(s) + GRACE <= now
            ]
            for session in batch:
                settle(session=session, now=now)
        settled += len(batch)
        if len(batch) < batch_size:
            return settled


def class_attendance_join(*, session: Session, user_id: int, at: dt.datetime) -> bool:
    """A socket opened at ``at`` in a room of the session's exchange, the session on:
    counted if it is a pupil of the exchange. True when it was counted."""
    pupil_id = (
        Participant.objects.filter(
            user_id=user_id, user__is_pupil=True,
            classroom_id__in=session.exchange.classroom_ids,
        ).values_list("id", flat=True).first()
    )
    if pupil_id is None:
        return False
    # A pupil who joined the class after the start is not expected, but still counts.
    socket_opened(session=session, members=lambda: {*_pupil_ids(session), pupil_id}, at=at,
                  participant_id=pupil_id)
    return True


def _pupil_ids(session: Session) -> list[int]:
    """The pupils of both classes of the session's exchange who were in their class when
    it began: the ones expected at it, as the officers' figures count them
    (``class_pupil_counts``)."""
    return list(
        Participant.objects.filter(
            classroom_id__in=session.exchange.classroom_ids, user__is_pupil=True
        ).annotate(joined=Coalesce("onboarded_at", "user__date_joined"))
        .filter(joined__lte=session.starts_at)
        .values_list("id", flat=True)
    )


def rows_ensure(session: Session, member_ids) -> None:
    """Create the members' missing (pending) rows of the session; existing ones stay
    (``ON CONFLICT DO NOTHING``, so concurrent first joins are fine)."""
    Attendance.objects.bulk_create(
        [Attendance(session=session, participant_id=pid) for pid in member_ids],
        ignore_conflicts=True,
    )


def socket_opened(*, session: Session, members, at: dt.datetime, **who) -> None:
    """Count a socket opened at ``at`` on the row of the member ``who`` names
    (``participant_id=`` or ``participant__user_id=``). One UPDATE reading the row's old
    values: its row lock serialises concurrent tabs and server processes, so each socket
    counts once. Only the session's first join finds no row: then the rows of every
    member (``members()``: the partners, or the pupils of both classes) are made, pending,
    and the UPDATE runs again."""
    at_value = Value(at, output_field=DateTimeField())
    rows = Attendance.objects.filter(session=session, **who)
    changes = {
        "open_since": Case(When(open_connections=0, then=at_value), default=F("open_since")),
        "open_connections": F("open_connections") + 1,
        # Coalesce: SQLite's MIN() of a NULL is NULL (PostgreSQL's LEAST skips it).
        "first_join": Least(Coalesce("first_join", at_value), at_value),
    }
    if not rows.update(**changes):
        rows_ensure(session, members())
        rows.update(**changes)


def class_sessions_settle_finished(*, now: dt.datetime | None = None,
                                   batch_size: int = 100) -> int:
    """Settle class sessions ended more than ``GRACE`` ago (``settle_finished``)."""
    return settle_finished(now=now or timezone.now(), batch_size=batch_size,
                           settle=class_session_settle, related=("exchange",),
                           exchange__isnull=False)


def class_session_settle(*, session: Session, now: dt.datetime) -> Session:
    """Each pupil of both classes attended or missed; held when at least one pupil of
    each class attended. A pupil who joined the class after the session began was not
    in it: attended if they came all the same, else no row (never "missed")."""
    expected = set(_pupil_ids(session))
    rows_ensure(session, expected)
    enough = min(ATTENDED_SECONDS, session.minutes * 60 // 3)
    classes_came = set()
    rows = (
        Attendance.objects.select_for_update(of=("self",))
        .filter(session=session)
        .annotate(classroom_id=F("participant__classroom_id"))
        .order_by("pk")
    )
    for attendance in rows:
        if attendance.open_connections:  # still connected (or a crashed process)
            attendance.seconds_present += seconds_inside(attendance.open_since, now, session)
            stretch_close(attendance, now, session)
            attendance.open_connections, attendance.open_since = 0, None
        ok = attendance.seconds_present >= enough
        if not ok and attendance.participant_id not in expected:
            attendance.delete()  # joined the class after the start, and did not come
            continue
        if ok:
            classes_came.add(attendance.classroom_id)
        attendance.status = Attendance.Status.ATTENDED if ok else Attendance.Status.MISSED
        attendance.save()
    both = set(session.exchange.classroom_ids) <= classes_came
    session.status = Session.Status.HELD if both else Session.Status.MISSED
    session.settled_at = now
    session.save(update_fields=["status", "settled_at", "updated_at"])
    return session
