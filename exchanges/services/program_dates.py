"""A program's dates change (a shorter program, or a moved start): the sessions still to
come that no longer fall inside it on both sides' calendars are cancelled and their
people told, as a series and a move never plan one outside it
(pure/program_end.py). The officer is asked first, like the twinnings' removal question
(services/program_questions.py): nothing is saved until they confirm."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats
from django.utils.translation import ngettext

from exchanges.models import Program, Session
from exchanges.selectors.notification_text import Message, date_param
from exchanges.selectors.program_dates import program_dates_token, program_sessions_outside
from exchanges.services.notifications import notification_create
from exchanges.services.pupil_notices import pupils_tell
from exchanges.services.session_series import scheduled_sessions_cancel

DATES_UNCONFIRMED = "dates_unconfirmed"


def program_dates_check(
    *, program: Program, was: tuple[dt.date, int], confirmed: str, now: dt.datetime
) -> list[Session]:
    """The sessions ``program``'s dates as typed cancel (``was`` is its stored start date
    and weeks), once the officer confirmed exactly this change (``confirmed`` is the
    question's token); asked as the dates' error otherwise, with the answer in the
    error's ``token`` param and the new dates in ``start_date`` and ``last_day``.
    Unchanged or longer dates cancel nothing."""
    start_date, weeks = program.start_date, program.weeks
    if (start_date, weeks) == was:
        return []
    outside = program_sessions_outside(program=program, start_date=start_date, weeks=weeks,
                                       now=now)
    token = program_dates_token(start_date=start_date, weeks=weeks, count=len(outside))
    if not outside or confirmed == token:
        return outside
    last_day = start_date + dt.timedelta(weeks=weeks, days=-1)
    field = "weeks" if weeks != was[1] else "start_date"
    raise ValidationError({field: ValidationError(
        ngettext(
            "This change cancels %(count)s session planned before %(start)s or after "
            "%(last)s, the program's new first and last days on either side's calendar. "
            "Its people are told; sessions already held stay as they are. Nothing is saved "
            "until you confirm: save again to cancel it.",
            "This change cancels %(count)s sessions planned before %(start)s or after "
            "%(last)s, the program's new first and last days on either side's calendar. "
            "Their people are told; sessions already held stay as they are. Nothing is "
            "saved until you confirm: save again to cancel them.",
            len(outside),
        ),
        code=DATES_UNCONFIRMED,
        params={"count": len(outside), "token": token,
                "start": formats.date_format(start_date, "DATE_FORMAT"),
                "last": formats.date_format(last_day, "DATE_FORMAT"),
                "start_date": start_date, "last_day": last_day},
    )})


def program_sessions_refit(*, program: Program, sessions: list[Session],
                           now: dt.datetime) -> int:
    """Cancel ``sessions`` (``program_dates_check``'s, under the program's lock) with
    their reminders and a SEQUENCE bump for calendar feeds, and tell each pair's partners
    and each class exchange's teachers and pupils; how many were cancelled. The caller
    has saved the program's new dates."""
    ids = [s.pk for s in sessions]
    # Only those still scheduled and ahead: a session held or started meanwhile stays.
    cancelled = set(Session.objects.select_for_update().filter(
        pk__in=ids, status=Session.Status.SCHEDULED, starts_at__gt=now
    ).order_by("pk").values_list("pk", flat=True))
    scheduled_sessions_cancel(Session.objects.filter(pk__in=cancelled), now=now)
    by_match, by_exchange = defaultdict(list), defaultdict(list)
    for session in sessions:
        if session.pk in cancelled:
            if session.match_id is not None:
                by_match[session.match_id].append(session)
            else:
                by_exchange[session.exchange_id].append(session)
    dates = {"program": program.name, "start": date_param(program.start_date),
             "last": date_param(program.last_day)}
    for group in by_match.values():
        _tell_partners(group, dates)
    for group in by_exchange.values():
        _tell_classes(group, dates)
    return len(cancelled)


def _tell_partners(sessions: list[Session], dates: dict) -> None:
    match = sessions[0].match
    for person, partner in ((match.participant_a, match.participant_b),
                            (match.participant_b, match.participant_a)):
        notification_create(
            user=person.user, kind="session.cancelled",
            message=Message.ngettext(
                "The dates of %(program)s changed: it now runs from %(start)s to %(last)s. "
                "%(n)d session with %(name)s planned outside them is cancelled.",
                "The dates of %(program)s changed: it now runs from %(start)s to %(last)s. "
                "%(n)d sessions with %(name)s planned outside them are cancelled.", "n",
            ),
            params={**dates, "n": len(sessions), "name": partner.user.public_name},
            url=reverse("match_schedule", args=[match.pk]),
        )


def _tell_classes(sessions: list[Session], dates: dict) -> None:
    """Both teachers, then each pupil in simple words (in-app only: pupils have no
    e-mail), as a teacher's cancel tells them (services/class_session_changes.py)."""
    exchange = sessions[0].exchange
    for teacher in (exchange.classroom_a.teacher, exchange.classroom_b.teacher):
        notification_create(
            user=teacher, kind="class_session.cancelled",
            message=Message.ngettext(
                "The dates of %(program)s changed: it now runs from %(start)s to %(last)s. "
                "%(n)d class session of %(exchange)s planned outside them is cancelled.",
                "The dates of %(program)s changed: it now runs from %(start)s to %(last)s. "
                "%(n)d class sessions of %(exchange)s planned outside them are cancelled.",
                "n",
            ),
            params={**dates, "n": len(sessions), "exchange": str(exchange)},
            url=reverse("class_sessions", args=[exchange.pk]),
        )
    pupils_tell(
        exchange=exchange, kind="class_session.cancelled",
        message=Message.npgettext(
            "to a pupil",
            "Your exchange with %(class)s (%(city)s) now runs from %(start)s to "
            "%(last)s: %(n)d class session is cancelled. It does not take place.",
            "Your exchange with %(class)s (%(city)s) now runs from %(start)s to "
            "%(last)s: %(n)d class sessions are cancelled. They do not take place.", "n",
        ),
        params={"start": dates["start"], "last": dates["last"], "n": len(sessions)},
    )
