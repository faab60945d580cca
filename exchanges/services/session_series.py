"""A match's series of weekly sessions: created when a slot is confirmed, stopped when
the match ends or a new series replaces it.

Creating a series writes the session rows only, plus the reminder rows that fall due
within ``REMINDER_HORIZON``; later reminders are created as they enter the horizon by
``exchanges.services.reminders.reminders_materialize`` (run before every claim by the
per-minute reminder task), and attendance rows on a member's first join or when the
session is settled (``exchanges.services.attendance``).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import F, QuerySet
from django.utils import timezone

from exchanges.models import (
    Match,
    Participant,
    ParticipantLanguage,
    Program,
    Reminder,
    Session,
    SlotProposal,
)
from exchanges.models.sessions import reminder_rows
from exchanges.pure.session_plans import LanguageRow, language_plan, plan_languages
from exchanges.pure.weekly_instants import weekly_starts

# Reminder rows exist from this long before they are due (see reminders_materialize).
REMINDER_HORIZON = dt.timedelta(hours=48)


def series_starts(
    *, proposal: SlotProposal, match: Match, now: dt.datetime
) -> list[dt.datetime]:
    """Weekly UTC starts at the proposal's anchored wall-clock time, inside the program
    on both partners' calendars."""
    return weekly_starts(
        first_start=proposal.first_start,
        anchor_tz=proposal.anchor_tz,
        end_date=match.program.end_date,
        now=now,
        start_date=match.program.start_date,
        calendars=member_zones(match),
    )


def member_zones(match: Match) -> tuple[str, str]:
    return (match.participant_a.zone, match.participant_b.zone)


def program_lock(program_id: int | None) -> None:
    """Lock the program's row before a series is planned inside its dates. A change of
    dates (services/programs.py ``program_update``) saves them and cancels the sessions
    outside them under this lock: a series confirmed meanwhile waits, then reads the new
    dates, instead of committing sessions past the new last day that the change did not
    see. Taken first, before the match's or the exchange's row, in ``program_update``'s
    order (the program, then what hangs off it). On PostgreSQL the lock is shared: the
    program's confirmations wait only for a change of its dates, not for each other."""
    if program_id is None:
        return
    if connection.vendor != "postgresql":
        Program.objects.select_for_update().filter(pk=program_id).first()
        return
    with connection.cursor() as cursor:  # Django's ORM has no FOR SHARE
        cursor.execute('SELECT 1 FROM "exchanges_program" WHERE "id" = %s FOR SHARE',
                       [program_id])


def members_lock(match: Match) -> None:
    """Lock both partners' rows (in id order): whoever schedules a time for one of their
    matches waits for another of their matches doing the same, so the two cannot both
    take one hour."""
    list(Participant.objects.select_for_update()
         .filter(pk__in=(match.participant_a_id, match.participant_b_id))
         .order_by("pk").values_list("pk", flat=True))


def series_build(
    *, match: Match, proposal: SlotProposal, parts: list, now: dt.datetime
) -> tuple[list[Session], list[dt.datetime]]:
    starts = series_starts(proposal=proposal, match=match, now=now)
    sessions = [
        Session(
            match=match,
            slot=proposal,
            starts_at=start,
            minutes=proposal.minutes,
            language_plan=language_plan(parts, proposal.minutes, week),
        )
        for week, start in enumerate(starts)
    ]
    return sessions, starts


def languages_by_match(items: list[tuple[Match, SlotProposal]]) -> dict[int, list]:
    """The language parts of each match's sessions (one query for all the matches)."""
    return language_parts(
        {
            match.pk: (match.participant_a_id, match.participant_b_id, match.program.kind)
            for match, _ in items
        }
    )


def language_parts(pairs: dict[int, tuple[int, int, str]]) -> dict[int, list]:
    """``{match id: (member a, member b, program kind)}`` -> each match's language parts."""
    member_ids = {pid for a, b, _ in pairs.values() for pid in (a, b)}
    languages: dict[int, list[LanguageRow]] = {}
    rows = ParticipantLanguage.objects.filter(participant_id__in=member_ids).values_list(
        *LanguageRow._fields
    )
    for row in rows:
        languages.setdefault(row[0], []).append(LanguageRow._make(row))
    return {
        match_id: plan_languages(
            citizen=kind == Program.Kind.CITIZEN, a_id=a, b_id=b,
            languages=languages.get(a, []) + languages.get(b, []),
        )
        for match_id, (a, b, kind) in pairs.items()
    }


def sessions_create_many(
    *, items: list[tuple[Match, SlotProposal]], now: dt.datetime | None = None
) -> list[Session]:
    """Create the sessions of confirmed slots, and the reminders due within the horizon.

    Two bulk inserts whatever the number of matches; the caller holds the transaction.
    Later reminders are materialized as they enter ``REMINDER_HORIZON``; attendance rows
    are created on first join or at settling (see the module docstring).
    """
    now = now or timezone.now()
    plans = languages_by_match(items)
    sessions: list[Session] = []
    for match, proposal in items:
        built, _starts = series_build(
            match=match, proposal=proposal, parts=plans[match.pk], now=now
        )
        sessions.extend(built)
    Session.objects.bulk_create(sessions, batch_size=2000)
    reminders = []
    for session in sessions:
        members = (session.match.participant_a_id, session.match.participant_b_id)
        reminders += reminder_rows(session, members, now, REMINDER_HORIZON)
    Reminder.objects.bulk_create(reminders, batch_size=5000)
    return sessions


def session_start_move(session: Session, new_start: dt.datetime) -> None:
    """One session of a series moves to ``new_start``: calendar feeds see it changed (a
    new SEQUENCE) and its half-time language switch is due again."""
    session.starts_at = new_start.astimezone(dt.UTC)
    session.sequence += 1
    session.switch_sent_at = None
    session.save(update_fields=["starts_at", "sequence", "switch_sent_at", "updated_at"])


def scheduled_sessions_cancel(sessions: QuerySet[Session], *, now: dt.datetime) -> int:
    """Cancel those of ``sessions`` still scheduled after ``now``, with their unsent
    reminders and the moves proposed for them (as cancelling one session does: a move
    e-mail still queued then sends nothing); how many. The SEQUENCE bump tells calendar
    clients the event changed, and ``updated_at`` is the wall clock (the figures' refresh
    reads changes since its last run by it)."""
    future = sessions.filter(status=Session.Status.SCHEDULED, starts_at__gt=now)
    ids = list(future.values_list("id", flat=True))
    Reminder.objects.filter(session_id__in=ids, sent_at__isnull=True).update(cancelled=True)
    Session.objects.filter(id__in=ids).update(
        status=Session.Status.CANCELLED, sequence=F("sequence") + 1, updated_at=timezone.now(),
        move_to=None, move_proposed_by=None, move_proposed_by_teacher=None,
    )
    return len(ids)


def future_sessions_cancel(*, match: Match, now: dt.datetime) -> int:
    """Cancel the match's scheduled sessions still to come (a new series replaces them)."""
    return scheduled_sessions_cancel(Session.objects.filter(match=match), now=now)


def match_sessions_stop(*, match: Match, now: dt.datetime) -> int:
    """A match that ends (a block, or a partner ending it) stops scheduling: its future
    sessions are cancelled (calendars then show them CANCELLED), their reminders with
    them, and the pending slot proposal and moves go. Returns the sessions cancelled."""
    cancelled = future_sessions_cancel(match=match, now=now)
    SlotProposal.objects.filter(match=match, status=SlotProposal.Status.PROPOSED).update(
        status=SlotProposal.Status.WITHDRAWN
    )
    Session.objects.filter(match=match, move_to__isnull=False).update(
        move_to=None, move_proposed_by=None
    )
    return cancelled
