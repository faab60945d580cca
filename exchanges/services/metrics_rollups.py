"""Daily roll-ups of the metrics summaries (exchanges/models/metrics.py): ``SessionDay`` and
``ActiveDay`` from the session summaries (a class session's pupils' ``ActiveDay`` rows from
their attendance, metrics_pupils.py), ``MessageDay`` from the rooms' message counts,
``PeopleDay``, ``ProfileDay``, ``LanguageDay`` and ``RegisterPeopleDay`` from the
participant summaries.

A roll-up day is rebuilt whole (its rows deleted and recomputed from the summaries) when
a summary on it changes, so rebuilding twice gives the same rows. Rows marked ``kept``
are never rebuilt: they hold what was counted for people whose data was since deleted
(services/metrics_kept.py), so past figures do not drop when the data goes. Rebuilds take a lock
on their ``SummaryMark`` row, so two never interleave their deletes and inserts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, IntegerField, Q, Sum
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce, TruncDate

from exchanges.models import (
    ActiveDay,
    LanguageDay,
    MessageDay,
    ParticipantLanguage,
    ParticipantSummary,
    PeopleDay,
    ProfileDay,
    Program,
    RegisterPeopleDay,
    RoomMessageDay,
    SessionDay,
    SessionSummary,
    SummaryMark,
)
from exchanges.pure.utc_days import utc_day, utc_midnight
from exchanges.services.metrics_pupils import pupil_active_days

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
INSERT_BATCH = 2000


def _lock(name: str) -> None:
    SummaryMark.objects.select_for_update().get_or_create(
        name=name, defaults={"refreshed_until": EPOCH}
    )


def _by_program(keys: Iterable[tuple[int, dt.date]]) -> dict[int, set[dt.date]]:
    days: dict[int, set[dt.date]] = defaultdict(set)
    for program_id, day in keys:
        if program_id is not None:
            days[program_id].add(day)
    return days


# --- Sessions -------------------------------------------------------------------------------


@transaction.atomic
def session_days_refresh(*, keys: Iterable[tuple[int, dt.date]] | None = None) -> int:
    """Rebuild the session and active-people roll-ups of these (program, UTC day)s, or of
    every day when ``keys`` is None. Returns the rows written."""
    _lock("session_days")
    if keys is None:
        SessionDay.objects.filter(kept=False).delete()
        ActiveDay.objects.filter(kept=False).delete()
        plan = {pid: None for pid in Program.objects.values_list("pk", flat=True)}
    else:
        plan = _by_program(keys)
    written = 0
    for program_id, days in plan.items():
        summaries = SessionSummary.objects.filter(program_id=program_id)
        if days is not None:
            SessionDay.objects.filter(program_id=program_id, day__in=days, kept=False).delete()
            ActiveDay.objects.filter(program_id=program_id, day__in=days, kept=False).delete()
            summaries = summaries.filter(
                starts_at__gte=utc_midnight(min(days)),
                starts_at__lt=utc_midnight(max(days) + dt.timedelta(days=1)),
            )
        summaries = summaries.annotate(day=TruncDate("starts_at", tzinfo=dt.UTC))
        if days is not None:
            summaries = summaries.filter(day__in=days)
        written += _insert(SessionDay, _session_day_rows(program_id, summaries))
        written += _insert(ActiveDay, _active_day_rows(program_id, summaries))
        written += _insert(ActiveDay, pupil_active_days(program_id, days))
    return written


def _session_day_rows(program_id: int, summaries) -> list[SessionDay]:
    settled = Q(status__in=("held", "missed"))
    held = Q(status="held")

    def people(partner: Q, pupils: str) -> CombinedExpression:
        """A side's person-sessions: its tandem partner, or its class's pupils."""
        return Count("pk", filter=settled & partner) + Coalesce(
            Sum(pupils, filter=settled), 0, output_field=IntegerField()
        )

    return [
        SessionDay(program_id=program_id, **row)
        for row in summaries.values("twinning_id", "city_a_id", "city_b_id", "day").annotate(
            scheduled=Count("pk"),
            held=Count("pk", filter=held),
            missed=Count("pk", filter=Q(status="missed")),
            cancelled=Count("pk", filter=Q(status="cancelled")),
            together_seconds=Coalesce(Sum("together_seconds", filter=held), 0),
            a_sessions=people(Q(participant_a__isnull=False), "a_pupils"),
            b_sessions=people(Q(participant_b__isnull=False), "b_pupils"),
            a_came=people(Q(a_attended=True), "a_pupils_came"),
            b_came=people(Q(b_attended=True), "b_pupils_came"),
        ).order_by()
    ]


def _active_day_rows(program_id: int, summaries) -> list[ActiveDay]:
    """Both partners' attended sessions, keyed by the UTC days of their previous ones."""
    counts: Counter = Counter()
    for side, other in (("a", "b"), ("b", "a")):
        for row in (
            summaries.filter(**{f"{side}_attended": True})
            .values(
                "twinning_id", "day",
                city=F(f"city_{side}_id"),
                partner=F(f"city_{other}_id"),
                previous=TruncDate(f"{side}_prev_attended_at", tzinfo=dt.UTC),
                previous_tw=TruncDate(f"{side}_prev_in_twinning_at", tzinfo=dt.UTC),
            )
            .annotate(n=Count("pk"))
            .order_by()
        ):
            key = (row["twinning_id"], row["city"], row["partner"], row["day"],
                   row["previous"], row["previous_tw"])
            counts[key] += row["n"]
    return [
        ActiveDay(program_id=program_id, twinning_id=twinning, city_id=city,
                  partner_city_id=partner, day=day, previous_day=previous,
                  previous_in_twinning_day=previous_tw, count=n)
        for (twinning, city, partner, day, previous, previous_tw), n in counts.items()
    ]


def _insert(model, rows: list) -> int:
    model.objects.bulk_create(rows, batch_size=INSERT_BATCH)
    return len(rows)


# --- The register's people ---------------------------------------------------------------


@transaction.atomic
def register_people_refresh(*, days: Iterable[dt.date] | None = None) -> int:
    """Rebuild the register's participants per twinning and joining day for these UTC days
    (every day when None), from the participant summaries and the programs' twinnings."""
    _lock("register_people")
    people = ParticipantSummary.objects.all()
    if days is None:
        RegisterPeopleDay.objects.filter(kept=False).delete()
    else:
        days = set(days)
        if not days:
            return 0
        RegisterPeopleDay.objects.filter(day__in=days, kept=False).delete()
        people = people.filter(
            joined_at__gte=utc_midnight(min(days)),
            joined_at__lt=utc_midnight(max(days) + dt.timedelta(days=1)),
        )
    over: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for program_id, twinning_id, city_a, city_b in Program.twinnings.through.objects.values_list(
        "program_id", "twinning_id", "twinning__city_a_id", "twinning__city_b_id"
    ):
        over[program_id].append((twinning_id, city_a, city_b))
    per_twinning: dict[tuple[int | None, dt.date], set[int]] = defaultdict(set)
    for pid, program_id, city_id, joined_at in people.values_list(
        "participant_id", "program_id", "city_id", "joined_at"
    ):
        day = utc_day(joined_at)
        if days is not None and day not in days:
            continue
        for twinning_id, city_a, city_b in over.get(program_id, ()):
            if city_id is not None and city_id in (city_a, city_b):
                per_twinning[twinning_id, day].add(pid)
                per_twinning[None, day].add(pid)
    return _insert(RegisterPeopleDay, [
        RegisterPeopleDay(twinning_id=twinning_id, day=day, count=len(pids))
        for (twinning_id, day), pids in per_twinning.items()
    ])


# --- Messages and languages ------------------------------------------------------------------


@transaction.atomic
def message_days_refresh(*, keys: Iterable[tuple[int, dt.date]] | None = None) -> int:
    """Rebuild the messages per program, twinning and day from the rooms' daily counts for
    these (program, UTC day)s, or every day when ``keys`` is None."""
    _lock("message_days")
    counts = RoomMessageDay.objects.filter(program__isnull=False)
    if keys is None:
        MessageDay.objects.filter(kept=False).delete()
        plan = {None: None}
    else:
        plan = _by_program(keys)
    written = 0
    for program_id, days in plan.items():
        rows = counts
        if program_id is not None:
            MessageDay.objects.filter(program_id=program_id, day__in=days, kept=False).delete()
            rows = rows.filter(program_id=program_id, day__in=days)
        written += _insert(MessageDay, [
            MessageDay(**row)
            for row in rows.values("program_id", "twinning_id", "day")
            .annotate(count=Sum("count"))
            .order_by()
        ])
    return written


@transaction.atomic
def people_days_refresh(*, program_id: int, days: Iterable[dt.date] | None = None) -> int:
    """Rebuild the program's people, profile and language roll-ups for these joining UTC
    days (every day when None), from its participant summaries."""
    _lock("people_days")
    people = ParticipantSummary.objects.filter(program_id=program_id)
    if days is not None:
        days = set(days)
        if not days:
            return 0
        people = people.filter(
            joined_at__gte=utc_midnight(min(days)),
            joined_at__lt=utc_midnight(max(days) + dt.timedelta(days=1)),
        )
    for model in (PeopleDay, ProfileDay, LanguageDay):
        stale = model.objects.filter(program_id=program_id, kept=False)
        (stale if days is None else stale.filter(day__in=days)).delete()
    by_city: dict[tuple, Counter] = defaultdict(Counter)
    by_profile: dict[tuple, Counter] = defaultdict(Counter)
    joined: dict[int, dt.date] = {}
    for (pid, city_id, joined_at, waited, active, completed, held, retained, role, born,
         classroom_id) in people.values_list(
        "participant_id", "city_id", "joined_at", "days_to_match", "first_active_at",
        "completed_at", "first_held_at", "retained_at", "role", "birth_year", "classroom_id",
    ):
        day = utc_day(joined_at)
        if days is not None and day not in days:
            continue
        joined[pid] = day
        milestones = {"count": 1, "held": held is not None, "retained": retained is not None}
        by_city[city_id, day, waited].update(
            milestones, matched=active is not None, completed=completed is not None
        )
        by_profile[day, role, born, classroom_id].update(milestones)
    languages: Counter = Counter()
    for pid, code in ParticipantLanguage.objects.filter(
        learning=True, participant_id__in=people.values("participant_id")
    ).values_list("participant_id", "code"):
        if pid in joined:
            languages[joined[pid], code] += 1
    written = _insert(PeopleDay, [
        PeopleDay(program_id=program_id, city_id=city_id, day=day, days_to_match=waited,
                  **{k: c[k] for k in ("count", "matched", "completed", "held", "retained")})
        for (city_id, day, waited), c in by_city.items()
    ])
    written += _insert(ProfileDay, [
        ProfileDay(program_id=program_id, day=day, role=role, birth_year=born,
                   classroom_id=classroom_id, count=c["count"], held=c["held"],
                   retained=c["retained"])
        for (day, role, born, classroom_id), c in by_profile.items()
    ])
    return written + _insert(LanguageDay, [
        LanguageDay(program_id=program_id, day=day, code=code, count=n)
        for (day, code), n in languages.items()
    ])
