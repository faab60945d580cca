"""Class sessions: one teacher proposes a weekly time inside both schools' shared hours,
the other confirms, which creates the sessions of the common term (none on a holiday or
a day out of term at either school). Confirming a new time replaces the future sessions
of the old one, like a tandem's series move.

One session changes like a tandem's: either teacher cancels it (the other teacher and
both classes' pupils are told), or proposes to move it to another time inside the shared
school time, which moves when the other teacher confirms (as a weekly time does)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exchanges.models import ClassroomExchange, ClassSessionProposal, Session, TeacherCalendar
from exchanges.models.class_sessions import new_feed_token
from exchanges.pure.class_slots import SESSION_MINUTES, fits_regular, slot_starts
from exchanges.pure.session_plans import language_plan, plan_languages
from exchanges.selectors.class_sessions import (
    class_language_rows,
    exchange_overlap,
    exchange_pupils,
)
from exchanges.selectors.classrooms import LIVE_EXCHANGE
from exchanges.selectors.notification_text import Message, datetime_param
from exchanges.services.notifications import notification_create


def _lock(exchange: ClassroomExchange, by) -> tuple[ClassroomExchange, str]:
    exchange = ClassroomExchange.objects.select_for_update(of=("self",)).select_related(
        "classroom_a__city", "classroom_a__teacher", "classroom_b__city", "classroom_b__teacher"
    ).get(pk=exchange.pk)
    if by is not None and exchange.classroom_a.teacher_id == by.pk:
        side = "a"
    elif by is not None and exchange.classroom_b.teacher_id == by.pk:
        side = "b"
    else:
        raise PermissionDenied(_("Only the two teachers of this exchange schedule its sessions."))
    if exchange.status != ClassroomExchange.Status.ACTIVE:
        raise ValidationError(_("Class sessions are scheduled while the exchange is active."))
    return exchange, side


def _schools_today(exchange: ClassroomExchange, now: dt.datetime) -> dt.date:
    """The earlier of the two schools' dates: not the viewer's, which may be tomorrow
    already, and would drop a session later on the schools' today."""
    return min(timezone.localdate(now, timezone=ZoneInfo(c.city.tz))
               for c in (exchange.classroom_a, exchange.classroom_b))


def _starts(exchange, *, weekday, local_start, minutes, now) -> list[dt.datetime]:
    if minutes not in SESSION_MINUTES:
        raise ValidationError({"minutes": _("A class session lasts 30, 45 or 60 minutes.")})
    overlap = exchange_overlap(exchange=exchange, today=_schools_today(exchange, now))
    if overlap is None or not overlap.is_live:
        raise ValidationError(_("The two schools share no school hour: use the wall instead."))
    if not fits_regular(overlap, weekday=weekday, local_start=local_start, minutes=minutes):
        raise ValidationError(_("This time is not inside both schools' hours."))
    starts = [s for s in slot_starts(
        overlap, weekday=weekday, local_start=local_start,
        anchor_tz=exchange.classroom_a.city.tz, minutes=minutes,
    ) if s > now]
    if not starts:
        raise ValidationError(_("No school week is left at that time."))
    return starts


def _other_teacher(exchange: ClassroomExchange, side: str):
    return exchange.classroom_b.teacher if side == "a" else exchange.classroom_a.teacher


@transaction.atomic
def class_session_propose(
    *, exchange: ClassroomExchange, by, weekday: int, local_start: dt.time, minutes: int,
    now: dt.datetime | None = None,
) -> ClassSessionProposal:
    """Propose a weekly time, given in class A's school time (the page shows both)."""
    now = now or timezone.now()
    exchange, side = _lock(exchange, by)
    starts = _starts(exchange, weekday=weekday, local_start=local_start, minutes=minutes,
                     now=now)
    ClassSessionProposal.objects.filter(
        exchange=exchange, status=ClassSessionProposal.Status.PROPOSED
    ).update(status=ClassSessionProposal.Status.WITHDRAWN)
    proposal = ClassSessionProposal.objects.create(
        exchange=exchange, proposed_by=by, first_start=starts[0],
        anchor_tz=exchange.classroom_a.city.tz, minutes=minutes,
    )
    recipient = _other_teacher(exchange, side)
    notification_create(
        user=recipient, kind="class_session.proposed",
        message=Message.ngettext(
            "A weekly time for %(exchange)s's class sessions is proposed: %(n)d session. "
            "Confirm it on the sessions page.",
            "A weekly time for %(exchange)s's class sessions is proposed: %(n)d sessions. "
            "Confirm it on the sessions page.", "n",
        ),
        params={"exchange": str(exchange), "n": len(starts)},
        url=reverse("class_sessions", args=[exchange.pk]),
    )
    return proposal


def _future_cancel(exchange: ClassroomExchange, now: dt.datetime) -> int:
    future = Session.objects.select_for_update().filter(
        exchange=exchange, status=Session.Status.SCHEDULED, starts_at__gt=now
    )
    count = 0
    for session in future:
        session.status = Session.Status.CANCELLED
        session.sequence += 1
        session.save(update_fields=["status", "sequence", "updated_at"])
        count += 1
    return count


# Longer than any term (a term lasts at most a year), unlike the suggestions' horizon.
REFIT_HORIZON_WEEKS = 60


@transaction.atomic
def class_sessions_refit(*, classroom, now: dt.datetime | None = None) -> int:
    """After a class's term, holidays or hours change, the future sessions of its live
    exchanges that no longer lie wholly inside both schools' shared time are cancelled
    (both teachers are told); how many. Sessions are only ever created
    inside that time, and a class edited into a holiday must not keep one there."""
    now = now or timezone.now()
    cancelled = 0
    exchanges = ClassroomExchange.objects.filter(
        Q(classroom_a=classroom) | Q(classroom_b=classroom), status__in=LIVE_EXCHANGE
    ).select_related("classroom_a__teacher", "classroom_a__city", "classroom_b__teacher",
                     "classroom_b__city")
    for exchange in exchanges:
        future = list(Session.objects.select_for_update().filter(
            exchange=exchange, status=Session.Status.SCHEDULED, starts_at__gt=now
        ))
        if not future:
            continue
        # Over more than a whole term: only what lies outside the shared time goes.
        overlap = exchange_overlap(exchange=exchange, today=_schools_today(exchange, now),
                                   horizon_weeks=REFIT_HORIZON_WEEKS)
        intervals = overlap.intervals if overlap is not None else ()
        count = 0
        for session in future:
            end = session.starts_at + dt.timedelta(minutes=session.minutes)
            if any(lo <= session.starts_at and end <= hi for lo, hi in intervals):
                continue
            session.status = Session.Status.CANCELLED
            session.sequence += 1
            session.save(update_fields=["status", "sequence", "updated_at"])
            count += 1
        # Both teachers: the partner class's, and the one who edited, whose form said
        # only that the class is saved.
        teachers = (exchange.classroom_a.teacher, exchange.classroom_b.teacher)
        for teacher in teachers if count else ():
            notification_create(
                user=teacher, kind="class_session.cancelled",
                message=Message.ngettext(
                    "%(class)s changed its term, holidays or school hours: %(n)d class "
                    "session of %(exchange)s is cancelled.",
                    "%(class)s changed its term, holidays or school hours: %(n)d class "
                    "sessions of %(exchange)s are cancelled.", "n",
                ),
                params={"class": str(classroom), "exchange": str(exchange), "n": count},
                url=reverse("class_sessions", args=[exchange.pk]),
            )
        cancelled += count
    return cancelled


@transaction.atomic
def class_session_confirm(
    *, proposal: ClassSessionProposal, by, now: dt.datetime | None = None
) -> list[Session]:
    """The other teacher confirms: the sessions of the common term are created (checked
    again against both schools' current hours, terms and holidays)."""
    now = now or timezone.now()
    exchange, side = _lock(proposal.exchange, by)
    proposal = ClassSessionProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ClassSessionProposal.Status.PROPOSED:
        raise ValidationError(_("This proposal is no longer open."))
    if proposal.proposed_by_id == by.pk:
        raise PermissionDenied(_("The other class's teacher confirms the time you proposed."))
    first = proposal.first_start.astimezone(ZoneInfo(proposal.anchor_tz))
    starts = _starts(exchange, weekday=first.weekday(), local_start=first.time(),
                     minutes=proposal.minutes, now=now)
    proposal.status = ClassSessionProposal.Status.CONFIRMED
    proposal.confirmed_by, proposal.confirmed_at = by, now
    proposal.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    _future_cancel(exchange, now)
    # Half in what class A learns from B, half the other way; "for" is the learning class.
    parts = plan_languages(
        citizen=False, a_id=exchange.classroom_a_id, b_id=exchange.classroom_b_id,
        languages=class_language_rows(exchange=exchange),
    )
    sessions = Session.objects.bulk_create([
        Session(exchange=exchange, starts_at=start, minutes=proposal.minutes,
                language_plan=language_plan(parts, proposal.minutes, week))
        for week, start in enumerate(starts)
    ])
    recipient = _other_teacher(exchange, side)
    notification_create(
        user=recipient, kind="class_session.confirmed",
        message=Message.ngettext(
            "Your class-session time for %(exchange)s is confirmed: %(n)d session.",
            "Your class-session time for %(exchange)s is confirmed: %(n)d sessions.",
            "n",
        ),
        params={"exchange": str(exchange), "n": len(sessions)},
        url=reverse("class_sessions", args=[exchange.pk]),
    )
    return sessions


# --- Changing one class session ------------------------------------------------------

REASON_MAX = 200  # the notice that carries it holds 300 characters


def _session_locked(session: Session, by, now: dt.datetime):
    """The session and its exchange, locked, once ``by`` may change it: a teacher of the
    exchange, which is active, and the session still scheduled and not yet started."""
    if session.exchange_id is None:
        raise PermissionDenied(_("Only the two teachers of this exchange schedule its sessions."))
    exchange, side = _lock(session.exchange, by)
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != Session.Status.SCHEDULED:
        raise ValidationError(_("This class session is no longer scheduled."))
    if session.starts_at <= now:
        raise ValidationError(_("This class session has already started."))
    return session, exchange, side


def _when(instant: dt.datetime, zone: str) -> dict:
    return datetime_param(instant, zone, "SHORT_DATETIME_FORMAT")


def _tell_pupils(exchange: ClassroomExchange, kind: str, message: Message,
                 **instants: dt.datetime) -> None:
    """Each pupil, in simple words, with the times at their own school."""
    for pupil in exchange_pupils(exchange=exchange):
        mine_a = pupil.classroom_id == exchange.classroom_a_id
        own, other = ((exchange.classroom_a, exchange.classroom_b) if mine_a
                      else (exchange.classroom_b, exchange.classroom_a))
        params = {"class": other.name, "city": other.city.name}
        params.update({key: _when(at, own.city.tz) for key, at in instants.items()})
        notification_create(user=pupil.user, kind=kind, message=message, params=params,
                            url=reverse("dashboard"))


def _teacher_zone(exchange: ClassroomExchange, side: str) -> str:
    """The school time of the teacher on the other side of ``side``."""
    return (exchange.classroom_b if side == "a" else exchange.classroom_a).city.tz


def _check_move_to(session: Session, exchange: ClassroomExchange, new_start: dt.datetime,
                   now: dt.datetime) -> None:
    if timezone.is_naive(new_start):
        raise ValidationError(_("The new start needs a time zone."))
    if new_start <= now:
        raise ValidationError(_("A class session can only move to the future."))
    end = new_start + dt.timedelta(minutes=session.minutes)
    overlap = exchange_overlap(exchange=exchange, today=_schools_today(exchange, now),
                               horizon_weeks=REFIT_HORIZON_WEEKS)
    intervals = overlap.intervals if overlap is not None else ()
    if not any(lo <= new_start and end <= hi for lo, hi in intervals):
        raise ValidationError(
            _("That time is not inside both schools' shared school time: pick one the "
              "sessions page lists as shared.")
        )
    clash = Session.objects.filter(
        exchange=exchange, status=Session.Status.SCHEDULED,
        starts_at__lt=end, starts_at__gt=new_start - dt.timedelta(minutes=session.minutes),
    ).exclude(pk=session.pk)
    if clash.exists():
        raise ValidationError(_("Another class session of this exchange is at that time."))


@transaction.atomic
def class_session_cancel(
    *, session: Session, by, reason: str = "", now: dt.datetime | None = None
) -> Session:
    """Either teacher cancels one future session; the other teacher (with the reason)
    and both classes' pupils are told. A second submit finds it cancelled and is refused,
    so nobody is told twice."""
    now = now or timezone.now()
    reason = " ".join(reason.split())[:REASON_MAX]
    session, exchange, side = _session_locked(session, by, now)
    session.status = Session.Status.CANCELLED
    session.sequence += 1
    session.move_to, session.move_proposed_by_teacher = None, None
    session.save(update_fields=["status", "sequence", "move_to", "move_proposed_by_teacher",
                                "updated_at"])
    session.reminders.filter(sent_at__isnull=True).update(cancelled=True)
    params = {"name": by.public_name, "exchange": str(exchange),
              "when": _when(session.starts_at, _teacher_zone(exchange, side))}
    if reason:
        message = Message(msgid=gettext_noop(
            "%(name)s cancelled the class session of %(exchange)s on %(when)s: %(reason)s"))
        params["reason"] = reason
    else:
        message = Message(msgid=gettext_noop(
            "%(name)s cancelled the class session of %(exchange)s on %(when)s."))
    notification_create(user=_other_teacher(exchange, side), kind="class_session.cancelled",
                        message=message, params=params,
                        url=reverse("class_sessions", args=[exchange.pk]))
    _tell_pupils(exchange, "class_session.cancelled", Message.pgettext(
        "to a pupil", "Your class session with %(class)s (%(city)s) on %(when)s is "
        "cancelled. It does not take place."), when=session.starts_at)
    return session


@transaction.atomic
def class_session_move_propose(
    *, session: Session, by, new_start: dt.datetime, now: dt.datetime | None = None
) -> Session:
    """Propose to move one session inside the shared school time; the other teacher
    confirms (a new proposal replaces one still pending; the same one again is a double
    submit and tells nobody twice)."""
    now = now or timezone.now()
    session, exchange, side = _session_locked(session, by, now)
    _check_move_to(session, exchange, new_start, now)
    new_start = new_start.astimezone(dt.UTC)
    if session.move_to == new_start and session.move_proposed_by_teacher_id == by.pk:
        return session
    session.move_to, session.move_proposed_by_teacher = new_start, by
    session.save(update_fields=["move_to", "move_proposed_by_teacher", "updated_at"])
    zone = _teacher_zone(exchange, side)
    notification_create(
        user=_other_teacher(exchange, side), kind="class_session.move_proposed",
        message=gettext_noop(
            "%(name)s proposes to move the class session of %(exchange)s on %(when)s to "
            "%(proposed)s. Confirm or decline on the sessions page."),
        params={"name": by.public_name, "exchange": str(exchange),
                "when": _when(session.starts_at, zone), "proposed": _when(new_start, zone)},
        url=reverse("class_sessions", args=[exchange.pk]),
    )
    return session


@transaction.atomic
def class_session_move_answer(
    *, session: Session, by, accept: bool, move_to: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Session:
    """The other teacher confirms (the session moves; both classes' pupils are told) or
    declines. ``move_to`` is the time the answering page showed: a page left open while
    the proposal changed answers nothing."""
    now = now or timezone.now()
    session, exchange, side = _session_locked(session, by, now)
    if session.move_to is None:
        raise ValidationError(_("No move is proposed for this class session."))
    if move_to is not None and move_to != session.move_to:
        raise ValidationError(
            _("The proposed time has changed since you opened the page: look at it again.")
        )
    if session.move_proposed_by_teacher_id == by.pk:
        raise PermissionDenied(_("The other class's teacher confirms the move you proposed."))
    old_start, new_start = session.starts_at, session.move_to
    session.move_to, session.move_proposed_by_teacher = None, None
    session.save(update_fields=["move_to", "move_proposed_by_teacher", "updated_at"])
    if accept:
        _check_move_to(session, exchange, new_start, now)  # still shared, free, ahead
        session.starts_at = new_start
        session.sequence += 1
        session.switch_sent_at = None
        session.save(update_fields=["starts_at", "sequence", "switch_sent_at", "updated_at"])
        session.reminders.filter(sent_at__isnull=True).delete()
    zone = _teacher_zone(exchange, side)
    notification_create(
        user=_other_teacher(exchange, side),
        kind="class_session.move_confirmed" if accept else "class_session.move_declined",
        message=gettext_noop(
            "%(name)s confirmed: the class session of %(exchange)s is now on %(when)s."
        ) if accept else gettext_noop(
            "%(name)s declined to move the class session of %(exchange)s on %(when)s; "
            "it stays."),
        params={"name": by.public_name, "exchange": str(exchange),
                "when": _when(session.starts_at, zone)},
        url=reverse("class_sessions", args=[exchange.pk]),
    )
    if accept:
        _tell_pupils(exchange, "class_session.moved", Message.pgettext(
            "to a pupil", "Your class session with %(class)s (%(city)s) moves from %(old)s "
            "to %(when)s."), old=old_start, when=new_start)
    return session


@transaction.atomic
def teacher_calendar_ensure(*, user) -> TeacherCalendar:
    """The teacher's calendar feed token, created on first use."""
    calendar, _created = TeacherCalendar.objects.get_or_create(user=user)
    return calendar


@transaction.atomic
def teacher_calendar_rotate(*, user) -> TeacherCalendar:
    """A new secret feed URL; the old one stops working at once."""
    calendar, _created = TeacherCalendar.objects.get_or_create(user=user)
    calendar.token = new_feed_token()
    calendar.save(update_fields=["token"])
    return calendar
