"""Past figures outlive the people they counted.

When people's data is deleted by the platform's rules (pupils, by the retention rule
after their exchange: services/retention.py; anyone closing their own account:
services/accounts.py), their attendance, matches and summaries go with it, and a later
refresh would recount the past without them. So, around the deletion, ``counts_kept``
rebuilds the daily roll-ups they count in, rebuilds them again once they are gone, and
stores the difference as roll-up rows marked ``kept``: anonymous counts (a city, a day,
a number; never who), which no refresh rebuilds. A past period's figures stay as they
were; a session re-settled later is still recounted (its kept share stays). The people's
matches are kept in the match roll-up (metrics_matches.match_days_keep), their rooms'
messages in ``MessageDay``; partners keep their milestones (``ParticipantSummary.kept_*``)
and ``ActiveDay`` keeps signed corrections where a partner's previous session went.

Only days that have begun keep counts: a deleted person's future sessions will not take
place. A pupil *removed* by their teacher (a mistake, services/pupils.py) is not kept:
the figures stop counting them at once (``metrics.pupil_counts_forget``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone

from exchanges.models import (
    ActiveDay,
    Attendance,
    ClassroomExchange,
    LanguageDay,
    Match,
    MessageDay,
    Participant,
    ParticipantSummary,
    PeopleDay,
    ProfileDay,
    RegisterPeopleDay,
    RoomMessageDay,
    Session,
    SessionDay,
    SessionSummary,
)
from exchanges.pure.utc_days import utc_day
from exchanges.services.metrics import metrics_lock, session_summaries_refresh
from exchanges.services.metrics_matches import match_days_keep
from exchanges.services.metrics_participants import participant_summaries_refresh
from exchanges.services.metrics_rollups import (
    message_days_refresh,
    people_days_refresh,
    register_people_refresh,
    session_days_refresh,
)

# Each roll-up's counted columns; its other columns (but id and kept) are its key.
COUNTS = {
    SessionDay: ("scheduled", "held", "missed", "cancelled", "together_seconds",
                 "a_sessions", "b_sessions", "a_came", "b_came"),
    ActiveDay: ("count",),
    ProfileDay: ("count", "held", "retained"),
    LanguageDay: ("count",),
    RegisterPeopleDay: ("count",),
    MessageDay: ("count",),
}
SESSION_DAYS = (SessionDay, ActiveDay)


def _keys(model) -> tuple[str, ...]:
    return tuple(
        f.attname for f in model._meta.concrete_fields
        if f.attname not in ("id", "kept", *COUNTS[model])
    )


@dataclass
class Counted:
    """Where the people count: their sessions (ids, and (program, UTC day)s) and their
    programs with the UTC days they joined on."""

    session_ids: list[int] = field(default_factory=list)
    session_days: set[tuple[int, dt.date]] = field(default_factory=set)
    joined: dict[int, set[dt.date]] = field(default_factory=lambda: defaultdict(set))
    partners: set[int] = field(default_factory=set)  # who keep their accounts
    message_days: set[tuple[int, dt.date]] = field(default_factory=set)  # their rooms'

    @property
    def register_days(self) -> set[dt.date]:
        return set().union(*self.joined.values())


@contextmanager
def counts_kept(*, participant_ids: Iterable[int] = (), exchange_ids: Iterable[int] = (),
                now: dt.datetime | None = None) -> Iterator:
    """Keep, as anonymous ``kept`` roll-up rows, what the figures count for these people
    and these class exchanges (their sessions and rooms: a class deleted after its
    exchanges' retention, services/classrooms.py) on days that have begun, across the
    deletion done inside the ``with`` block."""
    now = now or timezone.now()
    people = sorted(set(participant_ids))
    exchanges = sorted(set(exchange_ids))
    if not people and not exchanges:
        yield
        return
    # One at a time with the beat's refreshes and settling, which take the roll-ups' locks
    # in other orders (metrics.metrics_lock).
    metrics_lock()
    counted = _refreshed(people, now, exchanges)
    before = _snapshot(counted)
    milestones = _people_days(people)
    _partners_keep(counted.partners)
    match_days_keep(matches=Match.objects.filter(
        Q(participant_a_id__in=people) | Q(participant_b_id__in=people)
    ), today=utc_day(now))
    yield
    _recount(counted)
    _keep(before, _snapshot(counted))
    PeopleDay.objects.bulk_create(milestones)


def _refreshed(people: list[int], now: dt.datetime, exchanges: list[int]) -> Counted:
    """Bring the people's summaries and the roll-ups they count in up to date (what was
    counted is what a refresh now gives), and say where they count."""
    classes = set(Participant.objects.filter(
        pk__in=people, classroom_id__isnull=False
    ).values_list("classroom_id", flat=True))
    theirs = Q(participant_a_id__in=people) | Q(participant_b_id__in=people)
    partners = {pid for pair in Match.objects.filter(theirs).values_list(
        "participant_a_id", "participant_b_id") for pid in pair} - set(people)
    # Pupils who stay (their class went on in another exchange) keep their milestones
    # reached at the deleted exchanges' sessions, as a deleted adult's partners do.
    partners.update(set(Attendance.objects.filter(
        session__exchange_id__in=exchanges
    ).values_list("participant_id", flat=True)) - set(people))
    sessions = Session.objects.filter(
        # Partners' other sessions too: the ones after a deleted one lose their previous.
        Q(match__participant_a_id__in=[*people, *partners])
        | Q(match__participant_b_id__in=[*people, *partners])
        # A pupil was expected at every class session of their class, came or not.
        | Q(exchange__classroom_a_id__in=classes) | Q(exchange__classroom_b_id__in=classes)
        | Q(exchange_id__in=exchanges),
        starts_at__lt=now,
    )
    counted = Counted(session_ids=list(sessions.values_list("pk", flat=True)),
                      partners=partners)
    counted.message_days = set(RoomMessageDay.objects.filter(
        Q(room__match__in=Match.objects.filter(theirs)) | Q(room__exchange_id__in=exchanges),
        program__isnull=False,
    ).values_list("program_id", "day"))
    if counted.message_days:
        message_days_refresh(keys=counted.message_days)
    session_summaries_refresh(session_ids=counted.session_ids, now=now, people=False)
    counted.session_days = {
        (program_id, utc_day(at)) for program_id, at in SessionSummary.objects.filter(
            session_id__in=counted.session_ids
        ).values_list("program_id", "starts_at")
    }
    programs = set(ParticipantSummary.objects.filter(
        participant_id__in=[*people, *partners]).values_list("program_id", flat=True))
    programs.update(Participant.programs.through.objects.filter(
        participant_id__in=people).values_list("program_id", flat=True))
    programs.update(ClassroomExchange.objects.filter(
        Q(classroom_a_id__in=classes) | Q(classroom_b_id__in=classes), program__isnull=False,
    ).values_list("program_id", flat=True))
    for program_id in sorted(programs):  # the partners' too: their milestones are kept as they are
        participant_summaries_refresh(program_id=program_id, participant_ids=[*people, *partners],
                                      now=now)
    for program_id, joined_at in ParticipantSummary.objects.filter(
        participant_id__in=people
    ).values_list("program_id", "joined_at"):
        counted.joined[program_id].add(utc_day(joined_at))
    return counted


def _recount(counted: Counted) -> None:
    """Rebuild the same days without the people (their summaries went with them)."""
    remaining = Session.objects.filter(pk__in=counted.session_ids).values_list("pk", flat=True)
    session_summaries_refresh(session_ids=remaining, people=False, days=False)
    if counted.session_days:
        session_days_refresh(keys=counted.session_days)
    for program_id, days in counted.joined.items():
        people_days_refresh(program_id=program_id, days=days)
    register_people_refresh(days=counted.register_days)
    if counted.message_days:
        message_days_refresh(keys=counted.message_days)


def _where(model, counted: Counted) -> Q | None:
    if model is RegisterPeopleDay:
        days = counted.register_days
        return Q(day__in=days) if days else None
    if model in (*SESSION_DAYS, MessageDay):
        by_program: dict[int, set[dt.date]] = defaultdict(set)
        for program_id, day in (counted.message_days if model is MessageDay
                                else counted.session_days):
            by_program[program_id].add(day)
    else:
        by_program = counted.joined
    parts = [Q(program_id=p, day__in=days) for p, days in by_program.items() if days]
    return reduce(or_, parts) if parts else None


def _snapshot(counted: Counted) -> dict[type, dict[tuple, Counter]]:
    """The rebuilt (not kept) rows of the people's days, summed per key."""
    taken: dict[type, dict[tuple, Counter]] = {}
    for model, columns in COUNTS.items():
        where = _where(model, counted)
        rows: dict[tuple, Counter] = defaultdict(Counter)
        if where is not None:
            keys = _keys(model)
            for row in model.objects.filter(where, kept=False).values(*keys, *columns):
                rows[tuple(row[k] for k in keys)].update({c: row[c] for c in columns})
        taken[model] = rows
    return taken


def _partners_keep(partners: set[int]) -> None:
    """The partners' milestones as they are now: their shared sessions go with the
    account, but a refresh keeps them no later (metrics_participants._not_later)."""
    for summary in ParticipantSummary.objects.filter(participant_id__in=partners):
        for kept, now in (("kept_active_at", "first_active_at"), ("kept_held_at", "first_held_at"),
                          ("kept_retained_at", "retained_at"),
                          ("kept_completed_at", "completed_at")):
            reached = [at for at in (getattr(summary, kept), getattr(summary, now)) if at]
            setattr(summary, kept, min(reached) if reached else None)
        summary.save(update_fields=["kept_active_at", "kept_held_at", "kept_retained_at",
                                    "kept_completed_at"])


def _people_days(people: list[int]) -> list[PeopleDay]:
    """The people's kept ``PeopleDay`` rows, with the days of their milestones (which the
    other roll-ups do not need: they count milestones ever reached)."""
    counts: dict[tuple, Counter] = defaultdict(Counter)
    for program_id, city_id, joined, waited, *reached in ParticipantSummary.objects.filter(
        participant_id__in=people
    ).values_list("program_id", "city_id", "joined_at", "days_to_match", "first_active_at",
                  "completed_at", "first_held_at", "retained_at"):
        on = [utc_day(at) if at else None for at in reached]
        counts[program_id, city_id, utc_day(joined), waited, *on].update(
            {"count": 1, **{name: int(at is not None)
                            for name, at in zip(MILESTONES, reached, strict=True)}}
        )
    return [
        PeopleDay(program_id=program_id, city_id=city_id, day=day, days_to_match=waited,
                  kept=True, **dict(zip(REACHED_ON, on, strict=True)),
                  **{name: c[name] for name in ("count", *MILESTONES)})
        for (program_id, city_id, day, waited, *on), c in counts.items()
    ]


MILESTONES = ("matched", "completed", "held", "retained")
REACHED_ON = ("matched_on", "completed_on", "held_on", "retained_on")


def _keep(before: dict, after: dict) -> int:
    """Store what the deletion took away as kept rows. Returns the rows written."""
    written = 0
    for model, columns in COUNTS.items():
        keys = _keys(model)
        rows = []
        for key in before[model].keys() | after[model].keys():
            counts = before[model].get(key, Counter())
            gone = {c: counts[c] - after[model].get(key, Counter())[c] for c in columns}
            if model is not ActiveDay:  # only a previous session moving takes some back
                gone = {c: max(0, n) for c, n in gone.items()}
            if any(gone.values()):
                rows.append(model(kept=True, **dict(zip(keys, key, strict=True)), **gone))
        model.objects.bulk_create(rows)
        written += len(rows)
    return written
