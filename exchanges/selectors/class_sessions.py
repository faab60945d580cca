"""Reads for class sessions: the two schools' shared time, the scheduling page, the
sessions of a teacher's exchanges (calendar feed) and a room's class session (timer)."""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges.models import (
    Classroom,
    ClassroomExchange,
    ClassroomLanguage,
    ClassSessionProposal,
    Participant,
    Session,
    TeacherCalendar,
    User,
)
from exchanges.pure.class_overlap import ClassOverlap, class_overlap, overlap_text
from exchanges.pure.class_slots import slot_options, slot_starts
from exchanges.pure.session_plans import LanguageRow
from exchanges.pure.weekly_instants import inside_days, overlaps_any
from exchanges.selectors.classrooms import LIVE_EXCHANGE, class_record
from exchanges.selectors.sessions import (
    LONGEST_SESSION,
    not_yet_ended,
    under_way_then_ahead,
    wall_clock,
)

EXCHANGE_SESSIONS = ("exchange__classroom_a__city", "exchange__classroom_b__city",
                     "exchange__room")


def schools_today(exchange: ClassroomExchange, now: dt.datetime) -> dt.date:
    """The earlier of the two schools' dates: not the viewer's, which may be tomorrow
    already (and drop a session later on the schools' today) or still yesterday (and
    offer a day the schools have left behind)."""
    return min(timezone.localdate(now, timezone=ZoneInfo(c.city.tz))
               for c in (exchange.classroom_a, exchange.classroom_b))


def exchange_overlap(
    *, exchange: ClassroomExchange, now: dt.datetime, horizon_weeks: int | None = None
) -> ClassOverlap | None:
    """The shared school time from the schools' date at ``now`` (None when a class has no
    hours or term), over the suggestions' horizon unless ``horizon_weeks`` says otherwise.
    The page that offers times and the services that check them all start here, so they
    cannot disagree on which day is today."""
    today = schools_today(exchange, now)
    classes = {
        c.pk: c for c in Classroom.objects.filter(pk__in=exchange.classroom_ids)
        .select_related("city").prefetch_related("languages", "hours", "holidays")
    }
    a = class_record(classes[exchange.classroom_a_id]).calendar
    b = class_record(classes[exchange.classroom_b_id]).calendar
    if a is None or b is None:
        return None
    if horizon_weeks is None:
        return class_overlap(a, b, today=today)
    return class_overlap(a, b, today=today, horizon_weeks=horizon_weeks)


# Longer than any term (a term lasts at most a year), unlike the suggestions' horizon.
REFIT_HORIZON_WEEKS = 60


def classroom_sessions_outside(*, classroom: Classroom, now: dt.datetime) -> list[Session]:
    """The scheduled sessions after ``now`` of the class's live exchanges that no longer
    lie wholly inside both schools' shared time as stored (hours, terms, holidays), by
    exchange and start; each with its exchange and both classes' cities and teachers."""
    exchanges = ClassroomExchange.objects.filter(
        Q(classroom_a=classroom) | Q(classroom_b=classroom), status__in=LIVE_EXCHANGE
    ).select_related("classroom_a__teacher", "classroom_a__city", "classroom_b__teacher",
                     "classroom_b__city").order_by("pk")
    outside = []
    for exchange in exchanges:
        future = list(Session.objects.filter(
            exchange=exchange, status=Session.Status.SCHEDULED, starts_at__gt=now
        ).order_by("starts_at", "pk"))
        if not future:
            continue
        # Over more than a whole term: only what lies outside the shared time goes.
        overlap = exchange_overlap(exchange=exchange, now=now,
                                   horizon_weeks=REFIT_HORIZON_WEEKS)
        intervals = overlap.intervals if overlap is not None else ()
        for session in future:
            end = session.starts_at + dt.timedelta(minutes=session.minutes)
            if not any(lo <= session.starts_at and end <= hi for lo, hi in intervals):
                session.exchange = exchange
                outside.append(session)
    return outside


def class_sessions_token(sessions: list[Session]) -> str:
    """What the question's "yes" carries: how many sessions it named and a digest of
    which, at which times (another session left out, or one moved meanwhile, and it is
    asked again)."""
    named = ",".join(f"{s.pk}@{s.starts_at.isoformat()}"
                     for s in sorted(sessions, key=lambda s: s.pk))
    return f"{len(sessions)}/{hashlib.sha256(named.encode()).hexdigest()[:24]}"


def slot_starts_ahead(overlap: ClassOverlap, *, exchange: ClassroomExchange, weekday: int,
                      local_start: dt.time, anchor_tz: str, minutes: int,
                      now: dt.datetime) -> list[dt.datetime]:
    """The weekly time's sessions still to come at ``now``: what confirming it plans. The
    shared terms may run past the exchange's program: a week counts only from the
    program's start to before its end date on both classes' calendars (as a move must)."""
    program = exchange.program
    zones = [ZoneInfo(room.city.tz) for room in (exchange.classroom_a, exchange.classroom_b)]
    return [s for s in slot_starts(overlap, weekday=weekday, local_start=local_start,
                                   anchor_tz=anchor_tz, minutes=minutes)
            if s > now and (program is None or all(
                inside_days(s.astimezone(zone).date(), program.start_date, program.end_date)
                for zone in zones))]


def _plannable(starts: list[dt.datetime], minutes: int, busy) -> bool:
    return bool(starts) and not overlaps_any(starts, minutes, busy)


def classes_busy(*, exchange: ClassroomExchange,
                 after: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """When either class meets another partner class: the (start, end) of the scheduled
    sessions of the two classes' other exchanges that end after ``after`` (a class may
    have several partner classes, and cannot be in two sessions at once)."""
    ids = exchange.classroom_ids
    rows = Session.objects.filter(
        Q(exchange__classroom_a_id__in=ids) | Q(exchange__classroom_b_id__in=ids),
        status=Session.Status.SCHEDULED, starts_at__gt=after - LONGEST_SESSION,
    ).exclude(exchange_id=exchange.pk).values_list("starts_at", "minutes")
    busy = [(start, start + dt.timedelta(minutes=minutes)) for start, minutes in rows]
    return [(start, end) for start, end in busy if end > after]


def class_language_rows(*, exchange: ClassroomExchange) -> list[LanguageRow]:
    """The two classes' languages, keyed by class (what a session's plan is built from)."""
    return [
        LanguageRow._make(row)
        for row in ClassroomLanguage.objects.filter(
            classroom_id__in=exchange.classroom_ids
        ).values_list("classroom_id", "code", "level", "learning")
    ]


def pending_proposal(*, exchange: ClassroomExchange) -> ClassSessionProposal | None:
    return (
        ClassSessionProposal.objects.filter(
            exchange=exchange, status=ClassSessionProposal.Status.PROPOSED
        )
        .select_related("proposed_by")
        .first()
    )


def schedule_page(*, exchange: ClassroomExchange, user, minutes: int, keep: str = "",
                  now: dt.datetime | None = None) -> dict:
    """The class-session page for one of the two teachers: shared time, options, the
    pending proposal and the sessions to come, in both schools' local times. The option
    whose key is ``keep`` (a refused choice, shown again picked) stays even when busy."""
    now = now or timezone.now()
    a, b = exchange.classroom_a, exchange.classroom_b
    overlap = exchange_overlap(exchange=exchange, now=now)
    options = slot_options(overlap, minutes=minutes, anchor_tz=a.city.tz) if overlap else []
    busy = classes_busy(exchange=exchange, after=now)
    # Only times the service would plan: a week still ahead, and not when either class
    # meets another partner class.
    options = [o for o in options if o.key == keep or _plannable(
        slot_starts_ahead(overlap, exchange=exchange, weekday=o.weekday,
                          local_start=o.local_start, anchor_tz=o.anchor_tz,
                          minutes=o.minutes, now=now),
        o.minutes, busy)]
    pending = pending_proposal(exchange=exchange)
    if pending is not None:
        pending.a_start = wall_clock(pending.first_start, a.city.tz)
        pending.b_start = wall_clock(pending.first_start, b.city.tz)
        pending.mine = pending.proposed_by_id == user.pk
    # Those begun stay listed until they end, and not after.
    upcoming = not_yet_ended(
        Session.objects.filter(exchange=exchange).exclude(status=Session.Status.CANCELLED),
        now=now)
    own_tz = a.city.tz if a.teacher_id == user.pk else b.city.tz
    for session in upcoming:
        session.a_start = wall_clock(session.starts_at, a.city.tz)
        session.b_start = wall_clock(session.starts_at, b.city.tz)
        session.changeable = (exchange.status == ClassroomExchange.Status.ACTIVE
                              and session.status == Session.Status.SCHEDULED
                              and session.starts_at > now)
        session.own_start = wall_clock(session.starts_at, own_tz)
        if session.move_to is not None:
            session.move_a = wall_clock(session.move_to, a.city.tz)
            session.move_b = wall_clock(session.move_to, b.city.tz)
            session.move_mine = session.move_proposed_by_teacher_id == user.pk
    return {
        "exchange": exchange,
        "overlap_text": overlap_text(overlap, a.city.name, b.city.name) if overlap else (
            _("a class has no school hours or term dates yet")
        ),
        "options": options,
        # None of the shared time is still ahead (the terms are over, or their last
        # shared hour has passed): no shorter session would fit either.
        "shared_time_left": overlap is not None and any(end > now for _b, end in overlap.intervals),
        "pending": pending,
        "upcoming": upcoming,
        "own_city": a.city.name if a.teacher_id == user.pk else b.city.name,
    }


def teacher_calendar_for_token(*, token: str) -> TeacherCalendar | None:
    if not token:
        return None
    return TeacherCalendar.objects.select_related("user").filter(token=token).first()


def class_sessions_for_teacher(*, user: User, days_back: int = 60) -> list[Session]:
    """The sessions of every exchange one of the teacher's classes takes part in."""
    since = timezone.now() - dt.timedelta(days=days_back)
    return list(
        Session.objects.filter(
            Q(exchange__classroom_a__teacher=user) | Q(exchange__classroom_b__teacher=user),
            starts_at__gte=since,
        )
        .select_related(*EXCHANGE_SESSIONS)
        .order_by("starts_at")
    )


def class_session_for_teacher(*, session_id: int, user) -> Session | None:
    return (
        Session.objects.filter(
            Q(exchange__classroom_a__teacher=user) | Q(exchange__classroom_b__teacher=user),
            pk=session_id,
        )
        .select_related(*EXCHANGE_SESSIONS)
        .first()
    )


def exchange_pupils(*, exchange: ClassroomExchange) -> list[Participant]:
    """Both classes' pupils, with their users (to tell them of a changed session)."""
    return list(
        Participant.objects.filter(classroom_id__in=exchange.classroom_ids, user__is_pupil=True)
        .select_related("user")
    )


def pupil_next_sessions(*, participant: Participant, limit: int = 3,
                        now: dt.datetime | None = None) -> list[dict]:
    """The pupil's class's scheduled sessions in active exchanges still to come, and
    first those under way (listed until they end, ``under_way``), at the class's
    wall-clock time, with the partner class's name (nothing else of it)."""
    classroom_id = participant.classroom_id
    if classroom_id is None:
        return []
    now = now or timezone.now()
    scheduled = Session.objects.filter(
        Q(exchange__classroom_a_id=classroom_id) | Q(exchange__classroom_b_id=classroom_id),
        exchange__status=ClassroomExchange.Status.ACTIVE,
        status=Session.Status.SCHEDULED,
    ).select_related("exchange__classroom_a__city", "exchange__classroom_b__city")
    rows = []
    for session in under_way_then_ahead(scheduled, now=now, limit=limit):
        exchange = session.exchange
        own, partner = exchange.classroom_a, exchange.classroom_b
        if own.pk != classroom_id:
            own, partner = partner, own
        rows.append({"start": wall_clock(session.starts_at, own.city.tz), "partner": partner.name,
                     "under_way": session.under_way})
    return rows
