"""Class sessions: one teacher proposes a weekly time inside both schools' shared hours,
the other confirms, which creates the sessions of the common term (none on a holiday or
a day out of term at either school). Confirming a new time replaces the future sessions
of the old one, like a tandem's series move. One session's changes (cancel, move) are
services/class_session_changes.py."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exchanges.models import (
    Classroom,
    ClassroomExchange,
    ClassSessionProposal,
    Session,
    TeacherCalendar,
)
from exchanges.models.class_sessions import new_feed_token
from exchanges.pure.class_slots import SESSION_MINUTES, fits_regular, is_offered
from exchanges.pure.session_plans import language_plan, plan_languages
from exchanges.pure.weekly_instants import overlaps_any
from exchanges.selectors.class_sessions import (
    class_language_rows,
    class_sessions_token,
    classes_busy,
    classroom_sessions_outside,
    exchange_overlap,
    slot_starts_ahead,
)
from exchanges.selectors.notification_text import Message
from exchanges.services.notifications import notification_create
from exchanges.services.pupil_notices import pupils_tell
from exchanges.services.session_series import program_lock, scheduled_sessions_cancel


def exchange_locked(exchange: ClassroomExchange, by) -> tuple[ClassroomExchange, str]:
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
    classes_lock(exchange)
    return exchange, side


def classes_lock(exchange: ClassroomExchange) -> None:
    """Lock both classes' rows (in id order, as members_lock does for partners): whoever
    schedules a time for one of a class's exchanges waits for another of its exchanges
    doing the same, so the two cannot both take one hour."""
    list(Classroom.objects.select_for_update()
         .filter(pk__in=exchange.classroom_ids).order_by("pk").values_list("pk", flat=True))


def _starts(exchange, *, weekday, local_start, minutes, now,
            offered_only: bool = False) -> list[dt.datetime]:
    """The sessions a weekly time plans, or why it cannot be; ``offered_only``: the time
    must be one the page offers (a proposal), not only fit the shared hours."""
    if minutes not in SESSION_MINUTES:
        raise ValidationError({"minutes": _("A class session lasts 30, 45 or 60 minutes.")})
    overlap = exchange_overlap(exchange=exchange, now=now)
    if overlap is None or not overlap.is_live:
        raise ValidationError(_("The two schools share no school hour: use the wall instead."))
    if not fits_regular(overlap, weekday=weekday, local_start=local_start, minutes=minutes):
        raise ValidationError(_("This time is not inside both schools' hours."))
    if offered_only and not is_offered(overlap, weekday=weekday, local_start=local_start,
                                       minutes=minutes):
        # A forged 14:07 would plan sessions at a time nobody was offered.
        raise ValidationError(_("Pick one of the times offered."))
    starts = slot_starts_ahead(overlap, exchange=exchange, weekday=weekday,
                               local_start=local_start, anchor_tz=exchange.classroom_a.city.tz,
                               minutes=minutes, now=now)
    if not starts:
        raise ValidationError(_("No school week is left at that time."))
    if overlaps_any(starts, minutes, classes_busy(exchange=exchange, after=now)):
        raise ValidationError(
            _("One of the two classes meets another partner class at that time in some "
              "weeks: pick another time.")
        )
    return starts


def other_teacher(exchange: ClassroomExchange, side: str):
    return exchange.classroom_b.teacher if side == "a" else exchange.classroom_a.teacher


@transaction.atomic
def class_session_propose(
    *, exchange: ClassroomExchange, by, weekday: int, local_start: dt.time, minutes: int,
    now: dt.datetime | None = None,
) -> ClassSessionProposal:
    """Propose a weekly time, given in class A's school time (the page shows both)."""
    now = now or timezone.now()
    exchange, side = exchange_locked(exchange, by)
    starts = _starts(exchange, weekday=weekday, local_start=local_start, minutes=minutes,
                     now=now, offered_only=True)
    pending = ClassSessionProposal.objects.filter(
        exchange=exchange, status=ClassSessionProposal.Status.PROPOSED
    )
    same = pending.filter(proposed_by=by, first_start=starts[0], minutes=minutes).first()
    if same is not None:
        return same  # sent again (a double click, a second tab): the other teacher was told
    pending.update(status=ClassSessionProposal.Status.WITHDRAWN)
    proposal = ClassSessionProposal.objects.create(
        exchange=exchange, proposed_by=by, first_start=starts[0],
        anchor_tz=exchange.classroom_a.city.tz, minutes=minutes,
    )
    recipient = other_teacher(exchange, side)
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
    """Cancel the exchange's sessions still to come (a new weekly time replaces them),
    with their unsent reminders and the moves proposed for them."""
    return scheduled_sessions_cancel(Session.objects.filter(exchange=exchange), now=now)


SESSIONS_UNCONFIRMED = "class_sessions_unconfirmed"


def class_sessions_check(*, classroom: Classroom, confirmed: str,
                         now: dt.datetime) -> list[Session]:
    """The class sessions the class's hours, term and holidays as stored (saved in the
    caller's transaction, not yet committed) leave out, once its teacher confirmed
    exactly these (``confirmed`` is the question's token); asked otherwise, as the
    refusal with code SESSIONS_UNCONFIRMED: its ``token`` param is the answer, ``count``
    how many sessions go and ``partners`` [(partner class, how many)]. Nothing left out
    asks nothing. The officers' program form asks the same way (program_dates.py)."""
    outside = classroom_sessions_outside(classroom=classroom, now=now)
    token = class_sessions_token(outside)
    if not outside or confirmed == token:
        return outside
    counts: dict[int, int] = {}
    for session in outside:
        counts[session.exchange_id] = counts.get(session.exchange_id, 0) + 1
    exchanges = {s.exchange_id: s.exchange for s in outside}
    partners = [(exchanges[pk].partner_of(classroom), n) for pk, n in counts.items()]
    named = _(", ").join(
        _("%(count)s with %(class)s (%(city)s)") % {
            "count": n, "class": partner.name, "city": partner.city.name}
        for partner, n in partners
    )
    raise ValidationError(
        ngettext(
            "Saving these school hours, term and holidays cancels %(count)s class session "
            "planned outside them: %(named)s. Both teachers and the pupils of both classes "
            "are told. Nothing is saved until you confirm: save again to cancel it.",
            "Saving these school hours, term and holidays cancels %(count)s class sessions "
            "planned outside them: %(named)s. Both teachers and the pupils of both classes "
            "are told. Nothing is saved until you confirm: save again to cancel them.",
            len(outside),
        ),
        code=SESSIONS_UNCONFIRMED,
        params={"count": len(outside), "named": named, "token": token, "partners": partners},
    )


def class_sessions_question(exc: ValidationError) -> ValidationError | None:
    """The question ``exc`` asks (``class_sessions_check``'s), or None when it refuses
    anything else."""
    return exc if getattr(exc, "code", None) == SESSIONS_UNCONFIRMED else None


@transaction.atomic
def class_sessions_refit(*, classroom: Classroom, sessions: list[Session],
                         now: dt.datetime | None = None) -> int:
    """Cancel ``sessions`` (``class_sessions_check``'s, under the class's lock) with a
    SEQUENCE bump for calendar feeds, and tell both teachers of each exchange and its
    pupils; how many were cancelled. Sessions are only ever created inside both schools'
    shared time, and a class edited into a holiday must not keep one there."""
    now = now or timezone.now()
    # Only those still scheduled and ahead: a session held or cancelled meanwhile stays.
    cancelled = set(Session.objects.select_for_update().filter(
        pk__in=[s.pk for s in sessions], status=Session.Status.SCHEDULED, starts_at__gt=now
    ).order_by("pk").values_list("pk", flat=True))
    # With their unsent reminders and the moves proposed for them.
    scheduled_sessions_cancel(Session.objects.filter(pk__in=cancelled), now=now)
    by_exchange: dict[int, list[Session]] = {}
    for session in sessions:
        if session.pk in cancelled:
            session.status, session.sequence = Session.Status.CANCELLED, session.sequence + 1
            session.move_to, session.move_proposed_by_teacher = None, None
            by_exchange.setdefault(session.exchange_id, []).append(session)
    for group in by_exchange.values():
        _tell_refit(classroom, group[0].exchange, len(group))
    return len(cancelled)


def _tell_refit(classroom: Classroom, exchange: ClassroomExchange, count: int) -> None:
    # Both teachers: the partner class's, and the one who edited, who confirmed a count.
    for teacher in (exchange.classroom_a.teacher, exchange.classroom_b.teacher):
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
    # And each pupil of both classes: their next sessions are no longer the same.
    pupils_tell(
        exchange=exchange, kind="class_session.cancelled",
        message=Message.npgettext(
            "to a pupil",
            "The school times changed: %(n)d class session with %(class)s "
            "(%(city)s) is cancelled. It does not take place.",
            "The school times changed: %(n)d class sessions with %(class)s "
            "(%(city)s) are cancelled. They do not take place.", "n",
        ),
        params={"n": count},
    )


@transaction.atomic
def class_session_confirm(
    *, proposal: ClassSessionProposal, by, now: dt.datetime | None = None
) -> list[Session]:
    """The other teacher confirms: the sessions of the common term are created (checked
    again against both schools' current hours, terms and holidays)."""
    now = now or timezone.now()
    # The program's dates hold until the sessions are created; its lock comes before the
    # exchange's, as a program's change takes them.
    program_id = ClassroomExchange.objects.filter(pk=proposal.exchange_id).values_list(
        "program_id", flat=True).first()
    program_lock(program_id)
    exchange, side = exchange_locked(proposal.exchange, by)
    if exchange.program_id != program_id:  # moved to another program meanwhile
        raise ValidationError(_("This exchange's program has just changed: confirm again."))
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
    recipient = other_teacher(exchange, side)
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
