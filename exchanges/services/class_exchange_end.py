"""Ending a classroom exchange: either of its two teachers ends it, its twinning's
termination ends it (twinning_cascade.py), or it ends by itself once both classes'
terms are over (the daily retention task). Its rooms close for new messages, its future
sessions are cancelled, no new session can be proposed, and the retention clock starts
from ``ended_at``: the pupils' data is deleted that many days later (retention.py).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exchanges.models import (
    ClassroomExchange,
    ClassSessionProposal,
    Room,
    Session,
    User,
)
from exchanges.selectors.notification_text import date_param
from exchanges.selectors.retention import in_class_zone, retention_deletion_date
from exchanges.selectors.twinning_rooms import CLOSES_WITH_ITS_REASON
from exchanges.services.notifications import notification_create
from exchanges.services.rooms import room_close
from exchanges.services.session_series import scheduled_sessions_cancel

Status = ClassroomExchange.Status
EndedReason = ClassroomExchange.EndedReason
ENDABLE = (Status.PROPOSED, Status.ACTIVE, Status.PAUSED)
# What an ended exchange's rooms store (English; room_closed_reason says it in the
# reader's language).
ROOM_CLOSED_REASON = "class exchange ended"


def exchange_sessions_cancel(*, exchange_ids: list[int], now: dt.datetime) -> int:
    """Cancel the exchanges' future sessions and their unsent reminders; how many."""
    return scheduled_sessions_cancel(Session.objects.filter(exchange_id__in=exchange_ids),
                                     now=now)


def exchange_mark_ended(
    *, exchange: ClassroomExchange, now: dt.datetime, reason: str, by: User | None = None
) -> None:
    """The status change alone (the caller holds the exchange's lock and closes its rooms
    and cancels its sessions): a time still waiting for confirmation is withdrawn."""
    exchange.status = Status.ENDED
    exchange.ended_at = now
    exchange.ended_reason = reason
    exchange.ended_by = by
    exchange.save(update_fields=["status", "ended_at", "ended_reason", "ended_by"])
    ClassSessionProposal.objects.filter(
        exchange=exchange, status=ClassSessionProposal.Status.PROPOSED
    ).update(status=ClassSessionProposal.Status.WITHDRAWN)


def _rooms_close(exchange: ClassroomExchange) -> int:
    # A room its twinning's suspension closed (the exchange paused) takes the end's reason
    # too: the suspension's words would no longer say why, and reactivation leaves it closed.
    rooms = list(
        Room.objects.filter(
            Q(exchange=exchange) | Q(pupil_group__pairing__exchange=exchange),
            CLOSES_WITH_ITS_REASON,
        ).distinct()
    )
    for room in rooms:
        room_close(room=room, reason=ROOM_CLOSED_REASON)
    return len(rooms)


def _end(exchange: ClassroomExchange, *, now: dt.datetime, reason: str, by=None) -> None:
    exchange_mark_ended(exchange=exchange, now=now, reason=reason, by=by)
    exchange_sessions_cancel(exchange_ids=[exchange.pk], now=now)
    _rooms_close(exchange)
    exchange_pupils_tell(exchange=exchange, ended=True)


def _lock(exchange_id: int) -> ClassroomExchange:
    return (
        ClassroomExchange.objects.select_for_update(of=("self",))
        .select_related("classroom_a__teacher", "classroom_b__teacher",
                        "classroom_a__city", "classroom_b__city")
        .get(pk=exchange_id)
    )


def _deletion_day(exchange: ClassroomExchange, teacher: User) -> dict:
    """The day the pupils' data goes, as a notification param: the day on the teacher's
    calendar (their own class's zone), not UTC's."""
    return date_param(in_class_zone(retention_deletion_date(exchange), exchange, teacher.pk))


@transaction.atomic
def class_exchange_end(
    *, exchange: ClassroomExchange, by: User, now: dt.datetime | None = None
) -> ClassroomExchange:
    """Either teacher ends their classes' exchange; the other teacher and the pupils of
    both classes are told."""
    now = now or timezone.now()
    exchange = _lock(exchange.pk)
    teachers = (exchange.classroom_a.teacher, exchange.classroom_b.teacher)
    if by is None or by.pk not in {t.pk for t in teachers}:
        raise PermissionDenied(_("Only the two teachers of this exchange can end it."))
    if exchange.status not in ENDABLE:
        raise ValidationError(_("This exchange has ended already."))
    _end(exchange, now=now, reason=EndedReason.TEACHER, by=by)
    other = teachers[1] if teachers[0].pk == by.pk else teachers[0]
    notification_create(
        user=other, kind="classroom.exchange_ended",
        message=gettext_noop(
            "%(teacher)s ended the class exchange %(exchange)s: its rooms are closed and its "
            "future sessions cancelled. The pupils' data is deleted on %(date)s; export the "
            "wall before then to keep it."
        ),
        params={"teacher": by.public_name, "exchange": str(exchange),
                "date": _deletion_day(exchange, other)},
        url=reverse("classes"),
    )
    return exchange


def exchange_pupils_tell(*, exchange: ClassroomExchange, ended: bool) -> int:
    """Tell the pupils of both classes, in simple words, that their exchange is paused
    (its twinning is suspended) or has ended: pupils have no e-mail, so in-app only."""
    names = {exchange.classroom_a_id: exchange.classroom_b.name,
             exchange.classroom_b_id: exchange.classroom_a.name}
    pupils = User.objects.filter(
        is_pupil=True, participant__classroom_id__in=exchange.classroom_ids
    ).annotate(classroom_id=F("participant__classroom_id"))
    told = 0
    for pupil in pupils:
        message = (
            gettext_noop("The exchange with the class %(partner)s has ended. Its chats are "
                         "closed, but you can still read them for now.")
            if ended else
            gettext_noop("The exchange with the class %(partner)s is paused for now, so its "
                         "chats are closed. Your teacher will tell you when it goes on.")
        )
        notification_create(user=pupil, kind="classroom.exchange_ended" if ended
                            else "classroom.exchange_paused", message=message,
                            params={"partner": names[pupil.classroom_id]},
                            url=reverse("dashboard"))
        told += 1
    return told


def _term_over(classroom, now: dt.datetime) -> bool:
    if classroom.term_end is None:
        return False
    return timezone.localdate(now, timezone=ZoneInfo(classroom.city.tz)) > classroom.term_end


def class_exchanges_end_after_term(*, now: dt.datetime | None = None) -> int:
    """End every exchange whose two classes' terms are both over (each in its school's
    time zone); how many ended. A class without a term end keeps its exchange going:
    its teachers end it themselves."""
    now = now or timezone.now()
    # Coarse in SQL (no school's day is more than a day ahead of UTC), exact per class.
    tomorrow = (now + dt.timedelta(days=1)).date()
    due = ClassroomExchange.objects.filter(
        status__in=ENDABLE,
        classroom_a__term_end__lt=tomorrow,
        classroom_b__term_end__lt=tomorrow,
    ).select_related("classroom_a__city", "classroom_b__city")
    ended = 0
    for candidate in due:
        if _term_over(candidate.classroom_a, now) and _term_over(candidate.classroom_b, now):
            ended += class_exchange_end_after_term(exchange_id=candidate.pk, now=now)
    return ended


@transaction.atomic
def class_exchange_end_after_term(*, exchange_id: int, now: dt.datetime) -> bool:
    """End one exchange at its terms' end (idempotent: False when it ended already)."""
    exchange = _lock(exchange_id)
    if exchange.status not in ENDABLE:
        return False
    _end(exchange, now=now, reason=EndedReason.TERM)
    for teacher in {exchange.classroom_a.teacher, exchange.classroom_b.teacher}:
        notification_create(
            user=teacher, kind="classroom.exchange_ended",
            message=gettext_noop(
                "The class exchange %(exchange)s has ended: both classes' terms are over. "
                "Its rooms are closed. The pupils' data is deleted on %(date)s; export the "
                "wall before then to keep it."
            ),
            params={"exchange": str(exchange), "date": _deletion_day(exchange, teacher)},
            url=reverse("classes"),
        )
    return True
