"""Attendance recorded from room connections, and settled after each session.

The room consumer calls ``attendance_join`` on connect and ``attendance_leave`` on
disconnect (in ``room_sockets``' transaction). When no session is near, each is one
indexed query. Several tabs count once: the Attendance row keeps the number of open
sockets and since when at least one was open, so the time present is the union of the
connections, across server processes. A server process that dies without calling
``attendance_leave`` leaves the counter open; settling then counts that person present
until the session's end (an over-count only in a crash, never a double count).

Attendance rows are created lazily: both members' rows on the first join of either (a
class session's: every pupil's on the first pupil's join), with ``ON CONFLICT DO
NOTHING``, so concurrent first joins are fine, and any still missing when the session is
settled (then marked missed). A session nobody joined has no rows
until it is settled.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from exchanges.models import Attendance, Match, Participant, Room, Session
from exchanges.selectors.sessions import held_in
from exchanges.services.class_attendance import (
    ATTENDED_SECONDS,
    class_attendance_join,
    class_sessions_settle_finished,
    rows_ensure,
    seconds_inside,
    session_end,
    settle_finished,
    socket_opened,
    stretch_close,
)
from exchanges.services.metrics import metrics_lock, session_summaries_refresh
from exchanges.services.notifications import notification_create
from exchanges.services.participants import pool_words
from exchanges.services.rooms import room_close
from exchanges.services.session_series import future_sessions_cancel

# A socket opened this long before the start is counted for the session (from its start).
JOIN_EARLY = dt.timedelta(minutes=60)
MAX_SESSION = dt.timedelta(minutes=240)
MISSES_TO_FLAG = 3
ENDED_REASON = "partner missed 3 sessions"


def attendance_join(*, room: Room, user_id: int, at: dt.datetime) -> None:
    """A member's socket opened in the room at ``at`` (one query when no session is near:
    the sessions held in the room, a match room's only for its two participants)."""
    sessions = Session.objects.filter(
        held_in(room),
        status=Session.Status.SCHEDULED,
        starts_at__lte=at + JOIN_EARLY,
        starts_at__gt=at - MAX_SESSION,
    )
    if room.match_id is not None:  # a moderating teacher is no partner
        sessions = sessions.filter(
            Q(match__participant_a__user_id=user_id) | Q(match__participant_b__user_id=user_id)
        )
    session = sessions.select_related("match", "exchange").order_by("starts_at").first()
    if session is None or session_end(session) <= at:
        return
    if session.exchange_id is not None:
        class_attendance_join(session=session, user_id=user_id, at=at)
        return
    pair = (session.match.participant_a_id, session.match.participant_b_id)
    socket_opened(session=session, members=lambda: pair, at=at, participant__user_id=user_id)


def attendance_leave(*, room: Room, user_id: int, at: dt.datetime) -> None:
    """A member's socket closed in the room at ``at``. One locking read finds the open
    rows (none when no session is around, the common case); within the caller's
    transaction when there is one (``room_sockets``: with the presence row's delete)."""
    open_ids = Attendance.objects.filter(
        held_in(room, "session__"),
        participant__user_id=user_id,
        open_connections__gt=0,
        session__settled_at__isnull=True,
    ).values("id")
    with transaction.atomic(savepoint=False):
        # By id: a pupil group room reaches its sessions through a many-valued join,
        # which could list a row twice. The count again on the row itself: PostgreSQL
        # re-reads it after waiting on another close's lock (the subquery's read is older).
        rows = (
            Attendance.objects.select_for_update(of=("self",))
            .filter(pk__in=open_ids, open_connections__gt=0)
            .select_related("session")
            .order_by("pk")
        )
        for attendance in rows:
            attendance.open_connections -= 1
            attendance.last_leave = at
            if attendance.open_connections == 0:
                attendance.seconds_present += seconds_inside(
                    attendance.open_since, at, attendance.session
                )
                stretch_close(attendance, at, attendance.session)
                attendance.open_since = None
            attendance.save(
                update_fields=["open_connections", "last_leave", "seconds_present", "open_since"]
            )


def attended(attendance: Attendance, session: Session) -> bool:
    return attendance.seconds_present >= min(ATTENDED_SECONDS, session.minutes * 60 // 3)


def sessions_settle_finished(*, now: dt.datetime | None = None, batch_size: int = 100) -> int:
    """Settle sessions ended more than ``GRACE`` ago: who attended, held or missed.

    Each session is claimed with SKIP LOCKED and settled in its own transaction, so two
    runs never settle one twice. Returns how many were settled, class sessions
    (settled by pupil, ``class_attendance``) included.
    """
    now = now or timezone.now()
    return class_sessions_settle_finished(now=now, batch_size=batch_size) + settle_finished(
        now=now, batch_size=batch_size, settle=session_settle, first=metrics_lock,
        match__isnull=False,
    )


def session_settle(*, session: Session, now: dt.datetime) -> Session:
    """Mark each member attended or missed, the session held or missed (caller locks it)."""
    # Before any attendance row (a leave needs them) and, in ``sessions_settle_finished``,
    # before the session's own row (an account's deletion, holding this lock, deletes it).
    metrics_lock()
    match = Match.objects.select_related("participant_a__user", "participant_b__user").get(
        pk=session.match_id
    )
    locked = Attendance.objects.select_for_update().filter(session=session).order_by("pk")
    rows = {a.participant_id: a for a in locked}
    if any(person.pk not in rows for person in match.members):
        # Nobody (or one member only) joined: create the missing rows, then lock them all.
        rows_ensure(session, [person.pk for person in match.members])
        rows = {a.participant_id: a for a in locked.all()}
    missed = []
    for person in match.members:
        attendance = rows[person.pk]
        if attendance.open_connections:  # still connected (or a crashed process): until the end
            attendance.seconds_present += seconds_inside(attendance.open_since, now, session)
            stretch_close(attendance, now, session)
            attendance.open_connections, attendance.open_since = 0, None
        ok = attended(attendance, session)
        attendance.status = Attendance.Status.ATTENDED if ok else Attendance.Status.MISSED
        attendance.save()
        if not ok:
            missed.append(person)
    session.status = Session.Status.MISSED if missed else Session.Status.HELD
    session.settled_at = now
    session.save(update_fields=["status", "settled_at", "updated_at"])
    session_summaries_refresh(session_ids=[session.pk], now=now)
    flagged = [p for p in missed if _missed_in_a_row(match, p) >= MISSES_TO_FLAG]
    if flagged and match.status == Match.Status.ACTIVE:
        match_end_for_misses(match=match, missers=flagged, now=now)
    return session


def _missed_in_a_row(match: Match, person: Participant) -> int:
    recent = (
        Attendance.objects.filter(session__match=match, participant=person)
        .exclude(status=Attendance.Status.PENDING)
        .order_by("-session__starts_at")
        .values_list("status", flat=True)[:MISSES_TO_FLAG]
    )
    count = 0
    for status in recent:
        if status != Attendance.Status.MISSED:
            break
        count += 1
    return count


def match_end_for_misses(*, match: Match, missers: list[Participant], now: dt.datetime) -> Match:
    """Flag and end the match; its future sessions are cancelled and the room closes.

    Ending it frees both partners' capacity, so the next matching run offers the one who
    kept coming a new partner.
    """
    match = Match.objects.select_for_update().get(pk=match.pk)
    match.flagged = True
    match.status = Match.Status.ENDED
    match.ended_reason = ENDED_REASON
    match.ended_at = now
    match.save(update_fields=["flagged", "status", "ended_reason", "ended_at"])
    future_sessions_cancel(match=match, now=now)
    room = Room.objects.filter(match=match).first()
    if room is not None:
        room_close(room=room, reason=ENDED_REASON)
    missing = {p.pk for p in missers}
    for person in (match.participant_a, match.participant_b):
        partner = match.partner_of(person)
        if person.pk in missing:
            message = pool_words(
                person,
                staying=gettext_noop("You missed 3 sessions in a row, so this match has "
                                     "ended. You stay in the pool for the next matching run."),
                paused=gettext_noop("You missed 3 sessions in a row, so this match has "
                                    "ended. New matches are paused for you: resume them on "
                                    "your dashboard when you are ready."),
                closed=gettext_noop("You missed 3 sessions in a row, so this match has "
                                    "ended. No matching run can propose you a new partner for "
                                    "now: none of your programs is open for matching in your "
                                    "city."))
            params = {}
        else:
            message = pool_words(
                person,
                staying=gettext_noop("%(name)s missed 3 sessions in a row. We ended the match "
                                     "and the next matching run will offer you a new "
                                     "partner."),
                paused=gettext_noop("%(name)s missed 3 sessions in a row, so we ended the "
                                    "match. New matches are paused for you: resume them on "
                                    "your dashboard when you are ready."),
                closed=gettext_noop("%(name)s missed 3 sessions in a row, so we ended the "
                                    "match. No matching run can propose you a new partner for "
                                    "now: none of your programs is open for matching in your "
                                    "city."))
            params = {"name": partner.user.public_name}
        notification_create(
            user=person.user, kind="match.flagged", message=message, params=params,
            url=reverse("dashboard"),
        )
    return match
