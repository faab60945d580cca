"""One class session changes like a tandem's: either teacher cancels it (the other teacher
and both classes' pupils are told), or proposes to move it to another time inside the
shared school time, which moves when the other teacher confirms (as a weekly time does)."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exchanges.models import ClassroomExchange, Session
from exchanges.pure.weekly_instants import overlaps_any
from exchanges.selectors.class_sessions import (
    REFIT_HORIZON_WEEKS,
    classes_busy,
    exchange_overlap,
)
from exchanges.selectors.notification_text import Message, datetime_param
from exchanges.services.class_sessions import (
    exchange_locked,
    other_teacher,
)
from exchanges.services.notifications import notification_create
from exchanges.services.pupil_notices import pupils_tell
from exchanges.services.session_series import program_lock, session_start_move

REASON_MAX = 200  # the notice that carries it holds 300 characters


def _session_locked(session: Session, by, now: dt.datetime):
    """The session and its exchange, locked, once ``by`` may change it: a teacher of the
    exchange, which is active, and the session still scheduled and not yet started."""
    if session.exchange_id is None:
        raise PermissionDenied(_("Only the two teachers of this exchange schedule its sessions."))
    # The program's (shared) lock first, as a change of its dates takes it: a move checks
    # the dates that hold.
    program_id = ClassroomExchange.objects.filter(pk=session.exchange_id).values_list(
        "program_id", flat=True).first()
    program_lock(program_id)
    exchange, side = exchange_locked(session.exchange, by)
    if exchange.program_id != program_id:  # moved to another program meanwhile
        raise ValidationError(_("This exchange's program has just changed: try again."))
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status != Session.Status.SCHEDULED:
        raise ValidationError(_("This class session is no longer scheduled."))
    if session.starts_at <= now:
        raise ValidationError(_("This class session has already started."))
    return session, exchange, side


def _when(instant: dt.datetime, zone: str) -> dict:
    return datetime_param(instant, zone, "SHORT_DATETIME_FORMAT")


def _teacher_zone(exchange: ClassroomExchange, side: str) -> str:
    """The school time of the teacher on the other side of ``side``."""
    return (exchange.classroom_b if side == "a" else exchange.classroom_a).city.tz


def _check_move_to(session: Session, exchange: ClassroomExchange, new_start: dt.datetime,
                   now: dt.datetime) -> None:
    """Refusals name the ``new_start`` field: a page shows them beside the time typed."""
    if timezone.is_naive(new_start):
        raise _refused(_("The new start needs a time zone."))
    if new_start <= now:
        raise _refused(_("A class session can only move to the future."))
    if new_start == session.starts_at:
        # The field starts with the session's own time: sent unchanged, it is a slip.
        raise _refused(_("That is the session's time already: pick another time."))
    _check_program_days(exchange, new_start)
    end = new_start + dt.timedelta(minutes=session.minutes)
    overlap = exchange_overlap(exchange=exchange, now=now, horizon_weeks=REFIT_HORIZON_WEEKS)
    intervals = overlap.intervals if overlap is not None else ()
    if not any(lo <= new_start and end <= hi for lo, hi in intervals):
        raise _refused(
            _("That time is not inside both schools' shared school time: pick one the "
              "sessions page lists as shared.")
        )
    clash = Session.objects.filter(
        exchange=exchange, status=Session.Status.SCHEDULED,
        starts_at__lt=end, starts_at__gt=new_start - dt.timedelta(minutes=session.minutes),
    ).exclude(pk=session.pk)
    if clash.exists():
        raise _refused(_("Another class session of this exchange is at that time."))
    if overlaps_any([new_start], session.minutes, classes_busy(exchange=exchange,
                                                               after=new_start)):
        raise _refused(_("One of the two classes meets another partner class at that "
                         "time: pick another time."))


def _check_program_days(exchange: ClassroomExchange, new_start: dt.datetime) -> None:
    """A session stays inside the exchange's program, as a tandem's does: not before its
    first day nor after its last day (``last_day``, the day before ``end_date``) on
    either class's calendar. Terms alone may run past the program."""
    program = exchange.program
    if program is None:
        return
    days = [new_start.astimezone(ZoneInfo(room.city.tz)).date()
            for room in (exchange.classroom_a, exchange.classroom_b)]
    if any(day < program.start_date for day in days):
        raise _refused(_("The program starts on %(date)s: pick that day or later.")
                       % {"date": formats.date_format(program.start_date, "DATE_FORMAT")})
    if any(day > program.last_day for day in days):
        raise _refused(_("The program's last day is %(date)s: pick that day or earlier.")
                       % {"date": formats.date_format(program.last_day, "DATE_FORMAT")})


def _refused(message: str) -> ValidationError:
    return ValidationError({"new_start": message})


@transaction.atomic
def class_session_cancel(
    *, session: Session, by, reason: str = "", now: dt.datetime | None = None
) -> Session:
    """Either teacher cancels one future session; the other teacher (with the reason)
    and both classes' pupils are told. A second submit finds it cancelled and is refused,
    so nobody is told twice."""
    now = now or timezone.now()
    reason = " ".join(reason.split())
    if len(reason) > REASON_MAX:
        # Refused, never cut: the other teacher reads the whole reason or none of it.
        raise ValidationError({"reason": _(
            "Keep the reason to %(max)s characters (it has %(count)s)."
        ) % {"max": REASON_MAX, "count": len(reason)}})
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
    notification_create(user=other_teacher(exchange, side), kind="class_session.cancelled",
                        message=message, params=params,
                        url=reverse("class_sessions", args=[exchange.pk]))
    pupils_tell(exchange=exchange, kind="class_session.cancelled", message=Message.pgettext(
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
        user=other_teacher(exchange, side), kind="class_session.move_proposed",
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
        session_start_move(session, new_start)
        session.reminders.filter(sent_at__isnull=True).delete()
    zone = _teacher_zone(exchange, side)
    notification_create(
        user=other_teacher(exchange, side),
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
        pupils_tell(exchange=exchange, kind="class_session.moved", message=Message.pgettext(
            "to a pupil", "Your class session with %(class)s (%(city)s) moves from %(old)s "
            "to %(when)s."), old=old_start, when=new_start)
    return session
