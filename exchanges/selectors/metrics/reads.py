"""The grouped reads behind the officers' figures (figures.py puts them together): the
scope's querysets over the summaries and the daily roll-ups (exchanges/models/metrics.py),
each a ``.values()`` queryset that batch.run_batch sends with the others."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncWeek

from exchanges.models import (
    ActiveDay,
    Attendance,
    Match,
    MatchDay,
    MessageDay,
    ParticipantSummary,
    PeopleDay,
    SessionDay,
    SessionSummary,
    SummaryMark,
    Twinning,
)
from exchanges.selectors.metrics.definitions import Period

RETENTION_AFTER = dt.timedelta(weeks=4)


def as_date(value: dt.date | dt.datetime) -> dt.date:
    """A truncated week as a date (databases give a date or a midnight)."""
    return value.date() if isinstance(value, dt.datetime) else value


@dataclass(frozen=True)
class Scope:
    """Which part of the platform: programs (None: all of them), optionally narrowed to one
    twinning or one city."""

    program_ids: tuple[int, ...] | None = None
    twinning_id: int | None = None
    city_id: int | None = None


def as_of_read() -> QuerySet:
    """When the summaries were last refreshed (no row before the first refresh)."""
    return SummaryMark.objects.filter(name=SummaryMark.METRICS).values("refreshed_until")


def as_of_from(rows: list[dict]) -> dt.datetime | None:
    """The refresh time from ``as_of_read``'s rows (PostgreSQL's batch gives it as text)."""
    if not rows:
        return None
    value = rows[0]["refreshed_until"]
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


# --- Scoped querysets ---------------------------------------------------------------------


def scope_twinnings(scope: Scope) -> list[Twinning]:
    twinnings = Twinning.objects.select_related("city_a", "city_b")
    if scope.program_ids is not None:
        twinnings = twinnings.filter(programs__in=scope.program_ids).distinct()
    if scope.twinning_id is not None:
        twinnings = twinnings.filter(pk=scope.twinning_id)
    if scope.city_id is not None:
        twinnings = twinnings.filter(Q(city_a_id=scope.city_id) | Q(city_b_id=scope.city_id))
    return list(twinnings.order_by("city_a__name", "city_b__name"))


def people_in(scope: Scope, period: Period, twinnings: list[Twinning]) -> QuerySet:
    people = ParticipantSummary.objects.filter(joined_at__lt=period.hi)
    if period.lo is not None:
        people = people.filter(joined_at__gte=period.lo)
    return _people_scoped(people, scope, twinnings)


def _people_scoped(rows: QuerySet, scope: Scope, twinnings: list[Twinning]) -> QuerySet:
    """Rows of people (summaries, or kept roll-up rows) by ``program`` and ``city``, as the
    scope counts people: in its programs, its city, or each twinning of their program that
    their city belongs to."""
    if scope.program_ids is not None:
        rows = rows.filter(program_id__in=scope.program_ids)
    if scope.city_id is not None:
        rows = rows.filter(city_id=scope.city_id)
    elif scope.twinning_id is not None:
        cities = {c for t in twinnings for c in (t.city_a_id, t.city_b_id)}
        rows = rows.filter(city_id__in=cities, program__twinnings=scope.twinning_id)
    return rows


def sessions_in(scope: Scope, period: Period) -> QuerySet:
    sessions = SessionSummary.objects.filter(starts_at__lt=period.hi)
    if period.lo is not None:
        sessions = sessions.filter(starts_at__gte=period.lo)
    return _pair_rows_in(sessions, scope)


def _pair_rows_in(rows: QuerySet, scope: Scope) -> QuerySet:
    """Rows of a pair's sessions (their program, twinning and the partners' two cities)
    within the scope."""
    if scope.program_ids is not None:
        rows = rows.filter(program_id__in=scope.program_ids)
    if scope.twinning_id is not None:
        rows = rows.filter(twinning_id=scope.twinning_id)
    if scope.city_id is not None:
        rows = rows.filter(Q(city_a_id=scope.city_id) | Q(city_b_id=scope.city_id))
    return rows


def pairs_filter(scope: Scope, twinnings: list[Twinning]) -> dict:
    where = {}
    if scope.program_ids is not None:
        where["program_id__in"] = scope.program_ids
    if scope.twinning_id is not None or scope.city_id is not None:
        where["twinning_id__in"] = [t.pk for t in twinnings]
    return where


# --- The grouped reads ----------------------------------------------------------------------


def people_read(people: QuerySet, period: Period, *, distinct: bool = True) -> QuerySet:
    """People by city and days to match. Within one program each person has one summary,
    so the counts need no DISTINCT (which sorts); across programs they do."""
    hi, settled_by = period.hi, period.hi - RETENTION_AFTER
    distinct = {"distinct": distinct}
    return people.values("city_id", "days_to_match").annotate(
        n=Count("participant_id", **distinct),
        matched=Count("participant_id", filter=Q(first_active_at__lt=hi), **distinct),
        completion=Count("participant_id", filter=Q(completed_at__lt=hi), **distinct),
        base=Count("participant_id", filter=Q(first_held_at__lt=settled_by), **distinct),
        retained=Count(
            "participant_id",
            filter=Q(first_held_at__lt=settled_by, retained_at__lt=hi),
            **distinct,
        ),
    ).order_by()


def kept_people_read(scope: Scope, period: Period, twinnings: list[Twinning]) -> QuerySet:
    """``people_read`` for the people whose data was since deleted: their kept roll-up rows
    (services/metrics_kept.py), each milestone as of the range's last day. Kept rows are
    per program, so a deleted person of two programs counts in each."""
    days = PeopleDay.objects.filter(kept=True, day__lte=period.last)
    if period.first is not None:
        days = days.filter(day__gte=period.first)
    days = _people_scoped(days, scope, twinnings)
    last, settled = period.last, period.last - RETENTION_AFTER

    def total(column: str, q: Q) -> Coalesce:
        return Coalesce(Sum(column, filter=q), 0)

    return days.values("city_id", "days_to_match").annotate(
        n=Coalesce(Sum("count"), 0),
        matched=total("matched", Q(matched_on__lte=last)),
        completion=total("completed", Q(completed_on__lte=last)),
        base=total("held", Q(held_on__lte=settled)),
        retained=total("retained", Q(held_on__lte=settled, retained_on__lte=last)),
    ).order_by()


def people_day_reads(scope: Scope, period: Period, people: QuerySet) -> dict[str, QuerySet]:
    """People of one program by city and days to match from the daily roll-up: each
    milestone ever reached, and (``late``, ``waits_late``: from the summaries' indexed
    milestone dates) those reached only after the range's last day, to take away."""
    days = PeopleDay.objects.filter(program_id__in=scope.program_ids, day__lte=period.last)
    if period.first is not None:
        days = days.filter(day__gte=period.first)
    if scope.city_id is not None:
        days = days.filter(city_id=scope.city_id)
    return {
        "people_days": days.values("city_id", "days_to_match").annotate(
            n=Sum("count"), matched=Sum("matched"), completion=Sum("completed"),
            base=Sum("held"), retained=Sum("retained"),
        ).order_by(),
        "late": late_read(people, period),
        "waits_late": people.filter(first_active_at__gte=period.hi)
        .values("city_id", "days_to_match")
        .annotate(n=Count("pk"))
        .order_by(),
        "kept_late": kept_late_read(days, period),
        "kept_waits_late": days.filter(kept=True, matched_on__gt=period.last)
        .values("city_id", "days_to_match")
        .annotate(n=Sum("matched"))
        .order_by(),
    }


def kept_late_read(days: QuerySet, period: Period) -> QuerySet:
    """``late_read`` for the people whose data was since deleted: their kept roll-up rows
    (services/metrics_kept.py) with milestones reached after the range's last day."""
    settled_by = period.last - RETENTION_AFTER
    late = {
        "matched": ("matched", Q(matched_on__gt=period.last)),
        "completion": ("completed", Q(completed_on__gt=period.last)),
        "base": ("held", Q(held_on__gt=settled_by)),
        "retained": ("retained", Q(retained_on__gt=period.last)),
    }
    return (
        days.filter(reduce(or_, (q for _, q in late.values())), kept=True)
        .annotate(week=TruncWeek("day"))
        .values("city_id", "week")
        .annotate(**{name: Coalesce(Sum(column, filter=q), 0)
                     for name, (column, q) in late.items()})
        .order_by()
    )


def late_read(people: QuerySet, period: Period) -> QuerySet:
    """The range's people who reached a milestone only after its last day, by city and
    UTC week of joining (the people figures and the cohort chart take them away from the
    daily roll-ups' counts of milestones ever reached)."""
    hi, settled_by = period.hi, period.hi - RETENTION_AFTER
    late = {
        "matched": Q(first_active_at__gte=hi),
        "completion": Q(completed_at__gte=hi),
        "base": Q(first_held_at__gte=settled_by),
        # A retained person's first held session is 4 weeks before: retained before the
        # end means counted in the base too.
        "retained": Q(retained_at__gte=hi),
    }
    return (
        people.filter(reduce(or_, late.values()))
        .annotate(week=TruncWeek("joined_at", tzinfo=dt.UTC))
        .values("city_id", "week")
        .annotate(**{name: Count("pk", filter=q) for name, q in late.items()})
        .order_by()
    )


def session_days_in(scope: Scope, period: Period) -> QuerySet:
    """The daily session roll-up rows of the scope and range."""
    days = SessionDay.objects.filter(day__lte=period.last)
    if period.first is not None:
        days = days.filter(day__gte=period.first)
    return _pair_rows_in(days, scope)


def session_read(scope: Scope, period: Period) -> QuerySet:
    """Sessions by twinning, partners' cities and UTC week (the weekly chart comes from
    the same rows): sums over the daily roll-up."""
    return (
        session_days_in(scope, period)
        .annotate(week=TruncWeek("day"))
        .values("twinning_id", "city_a_id", "city_b_id", "week")
        .annotate(
            scheduled=Sum("scheduled"),
            held=Sum("held"),
            missed=Sum("missed"),
            cancelled=Sum("cancelled"),
            seconds=Sum("together_seconds"),
            a_came=Sum("a_came"),
            b_came=Sum("b_came"),
            a_sessions=Sum("a_sessions"),
            b_sessions=Sum("b_sessions"),
        )
        .order_by()
    )


def active_read(scope: Scope, period: Period) -> QuerySet:
    """Active people of one program by twinning, city and UTC week: the attended
    person-sessions of the range that are the person's first there (their previous
    attended one, in the program or in the twinning, is before the range or none), and
    (``week_first``, ``week_first_tw``) those that are the person's first in their week."""
    days = ActiveDay.objects.filter(day__lte=period.last)
    first_ever = Q(previous_day__isnull=True)
    first_ever_tw = Q(previous_in_twinning_day__isnull=True)
    if period.first is not None:
        days = days.filter(day__gte=period.first)
        first_ever |= Q(previous_day__lt=period.first)
        first_ever_tw |= Q(previous_in_twinning_day__lt=period.first)
    if scope.program_ids is not None:
        days = days.filter(program_id__in=scope.program_ids)
    if scope.twinning_id is not None:
        days = days.filter(twinning_id=scope.twinning_id)
    if scope.city_id is not None:  # its people, and their partners by twinning
        days = days.filter(Q(city_id=scope.city_id) | Q(partner_city_id=scope.city_id))
    # By week too, for the weekly chart's small-count rule: a person counts once in a
    # week, on the day whose previous attended day is before the week (or the range).
    week = TruncWeek("day")
    return days.annotate(week=week).values("twinning_id", "city_id", "week").annotate(
        first=Sum("count", filter=first_ever), first_tw=Sum("count", filter=first_ever_tw),
        week_first=Sum("count", filter=first_ever | Q(previous_day__lt=week)),
        week_first_tw=Sum("count", filter=first_ever_tw | Q(previous_in_twinning_day__lt=week)),
    ).order_by()


def active_people(sessions: QuerySet) -> tuple[dict, dict, int, dict]:
    """Distinct people who attended, by twinning, by city, in all and by UTC week (one
    query): both partners of the tandem sessions, and the pupils at the class sessions
    that took place (in their class's city)."""
    week = TruncWeek("starts_at", tzinfo=dt.UTC)
    side_a = sessions.filter(a_attended=True).annotate(week=week).values_list(
        "twinning_id", "city_a_id", "participant_a_id", "week"
    )
    side_b = sessions.filter(b_attended=True).annotate(week=week).values_list(
        "twinning_id", "city_b_id", "participant_b_id", "week"
    )
    pupils = Attendance.objects.filter(
        status=Attendance.Status.ATTENDED,
        participant__classroom_id__isnull=False,
        session_id__in=sessions.filter(
            participant_a__isnull=True, status__in=("held", "missed")
        ).values("session_id"),
    ).annotate(week=TruncWeek("session__starts_at", tzinfo=dt.UTC)).values_list(
        "session__summary__twinning_id", "participant__classroom__city_id", "participant_id",
        "week")
    sql_a, params_a = side_a.query.sql_with_params()
    sql_b, params_b = side_b.query.sql_with_params()
    sql_p, params_p = pupils.query.sql_with_params()
    # Django's own SQL for the sides (values are parameters, never interpolated).
    sql = (
        f"WITH att (t, c, p, w) AS ({sql_a} UNION ALL {sql_b} UNION ALL {sql_p}) "  # noqa: S608
        # The weeks first: PostgreSQL types a union's column from its first non-NULL.
        "SELECT 4, NULL, w, COUNT(DISTINCT p) FROM att GROUP BY w "
        "UNION ALL SELECT 1, t, NULL, COUNT(DISTINCT p) FROM att GROUP BY t "
        "UNION ALL SELECT 2, c, NULL, COUNT(DISTINCT p) FROM att GROUP BY c "
        "UNION ALL SELECT 3, NULL, NULL, COUNT(DISTINCT p) FROM att"
    )
    by_twinning, by_city, total, by_week = {}, {}, 0, {}
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params_a, *params_b, *params_p))
        for kind, key, week_of, count in cursor.fetchall():
            if kind == 1:
                by_twinning[key] = count
            elif kind == 2:
                by_city[key] = count
            elif kind == 3:
                total = count
            else:  # a raw cursor gives SQLite's week as text
                by_week[dt.date.fromisoformat(week_of[:10]) if isinstance(week_of, str)
                        else as_date(week_of)] = count
    return by_twinning, by_city, total, by_week


def matches_read(where: dict, period: Period) -> QuerySet:
    """Matches answered, accepted and live in the range by twinning, with every match's
    status counted (for the matching runs' summary line), from the match roll-up that
    the database's triggers keep (``MatchDay``): answered and accepted by day proposed;
    live is activated by the range's last day less those of them ended before its first.
    """
    kind = MatchDay.Kind
    proposed = Q(day__lte=period.last) & (Q(day__gte=period.first) if period.first else Q())

    def total(q: Q) -> Coalesce:
        return Coalesce(Sum("count", filter=q), 0)

    statuses = {
        status: total(Q(kind=kind.STATUS, status=status)) for status in Match.Status.values
    }
    return MatchDay.objects.filter(**where).values("twinning_id").annotate(
        answered=total(Q(kind=kind.ANSWERED) & proposed),
        accepted=total(Q(kind=kind.ACCEPTED) & proposed),
        live=total(Q(kind=kind.ACTIVATED, day__lte=period.last)) - (
            total(Q(kind=kind.ENDED, day__lt=period.first, activated_day__lte=period.last))
            if period.first else Value(0)
        ),
        **statuses,
    ).order_by()


def messages_read(where: dict, period: Period) -> QuerySet:
    """The messages of the range by twinning, from the daily roll-up."""
    days = MessageDay.objects.filter(**where, day__lte=period.last)
    if period.first is not None:
        days = days.filter(day__gte=period.first)
    return days.values("twinning_id").annotate(n=Sum("count")).order_by()
