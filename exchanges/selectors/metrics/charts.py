"""The dashboard's charts and breakdowns: sessions held and contact hours per week,
retention by week of joining, participants by role, age band and language learned, and
open reports (counts only)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek

from exchanges.models import (
    ClassroomExchange,
    LanguageDay,
    ParticipantLanguage,
    PeopleDay,
    ProfileDay,
    Report,
)
from exchanges.pure.figures_math import every_week
from exchanges.selectors.metrics.batch import run_batch, run_batch_for
from exchanges.selectors.metrics.definitions import Period
from exchanges.selectors.metrics.figures import (
    RETENTION_AFTER,
    Scope,
    active_people,
    active_read,
    as_date,
    kept_late_read,
    late_read,
    metric_reads,
    metrics_from,
    one_program,
    people_in,
    scope_twinnings,
    session_days_in,
    sessions_in,
    twinnings_key,
    week_people,
    week_row,
)
from exchanges.selectors.moderation import in_exchange_rooms

AGE_BANDS = (
    ("under 18", 0, 17),
    ("18–25", 18, 25),
    ("26–35", 26, 35),
    ("36–50", 36, 50),
    ("51–65", 51, 65),
    ("66 and over", 66, 200),
)
NOT_GIVEN = "not given"


def weekly_sessions(*, scope: Scope, period: Period) -> list[dict]:
    """Sessions held and contact hours per UTC week (Monday), weeks without any shown,
    with the people each week rests on for the small-count rule (also in
    ``metrics()["weekly"]``, from the same grouped rows)."""
    rows = {
        as_date(row["week"]): row
        for row in session_days_in(scope, period)
        .annotate(week=TruncWeek("day"))
        .values("week")
        .annotate(held=Sum("held"), seconds=Sum("together_seconds"))
        .order_by()
    }
    people = (week_people(list(active_read(scope, period)), scope) if one_program(scope)
              else active_people(sessions_in(scope, period))[3])
    return [
        week_row(week, held=rows[week]["held"] if week in rows else 0,
                 seconds=(rows[week]["seconds"] or 0) if week in rows else 0,
                 people=people.get(week, 0))
        for week in every_week(sorted(rows), first=period.first, last=period.last)
    ]


def profile_reads(*, scope: Scope, period: Period, twinnings) -> dict[str, QuerySet]:
    """The cohort chart's and the breakdown's grouped reads (batch.run_batch)."""
    hi, settled_by = period.hi, period.hi - RETENTION_AFTER
    people = people_in(scope, period, twinnings)
    # One summary per person in one program: no DISTINCT (it sorts) unless several.
    distinct = scope.program_ids is None or len(scope.program_ids) > 1
    if not distinct and scope.city_id is None and scope.twinning_id is None:
        return _profile_day_reads(scope, period, people)
    reads = {
        "profile": people.annotate(week=TruncWeek("joined_at", tzinfo=dt.UTC))
        .values("week", "role", "birth_year", "classroom_id")
        .annotate(
            joined=Count("participant_id", distinct=distinct),
            base=Count(
                "participant_id", filter=Q(first_held_at__lt=settled_by), distinct=distinct
            ),
            retained=Count(
                "participant_id",
                filter=Q(first_held_at__lt=settled_by, retained_at__lt=hi),
                distinct=distinct,
            ),
        )
        .order_by()
    }
    reads["languages"] = (
        ParticipantLanguage.objects.filter(
            learning=True, participant_id__in=people.values("participant_id")
        )
        .values("code")
        .annotate(n=Count("participant_id", distinct=True))
        .order_by()
    )
    return reads


def _profile_day_reads(scope: Scope, period: Period, people: QuerySet) -> dict[str, QuerySet]:
    """One program's profile from the daily roll-ups: milestones ever reached, less
    (``late``) those reached after the range's last day (figures.late_read)."""
    reads = {}
    for name, model in (("profile", ProfileDay), ("languages", LanguageDay)):
        days = model.objects.filter(program_id__in=scope.program_ids, day__lte=period.last)
        if period.first is not None:
            days = days.filter(day__gte=period.first)
        reads[name] = days
    return {
        "profile_days": reads["profile"]
        .annotate(week=TruncWeek("day"))
        .values("week", "role", "birth_year", "classroom_id")
        .annotate(joined=Sum("count"), base=Sum("held"), retained=Sum("retained"))
        .order_by(),
        "late": late_read(people, period),
        "kept_late": kept_late_read(
            PeopleDay.objects.filter(program_id__in=scope.program_ids, day__lte=period.last,
                                     **({"day__gte": period.first} if period.first else {})),
            period,
        ),
        "languages": reads["languages"].values("code").annotate(n=Sum("count")).order_by(),
    }


def profile_from(rows: dict[str, list[dict]], *, period: Period) -> dict:
    """The cohort chart (retention, as defined, of the participants who joined in each
    UTC week) and the breakdown of participants by role (pupils with their number of
    classes), age band on the range's last day and language learned (someone learning two
    counts in both)."""
    # Plain lists and dicts, one lookup a row: the roll-up gives about a thousand rows.
    weeks: dict[dt.date, list[int]] = {}  # joined, base, retained
    roles: dict[str, int] = {}
    by_birth: dict[tuple[int | None, str], int] = {}
    classes = set()
    from_days = "profile_days" in rows
    for row in [*rows["late"], *rows["kept_late"]] if from_days else ():
        week = weeks.get(row["week"]) or weeks.setdefault(as_date(row["week"]), [0, 0, 0])
        week[1] -= row["base"]
        week[2] -= row["retained"]
    for row in rows["profile_days" if from_days else "profile"]:
        week = weeks.get(row["week"]) or weeks.setdefault(as_date(row["week"]), [0, 0, 0])
        joined = row["joined"]
        week[0] += joined
        week[1] += row["base"]
        week[2] += row["retained"]
        role = row["role"]
        roles[role] = roles.get(role, 0) + joined
        birth = (row["birth_year"], role)
        by_birth[birth] = by_birth.get(birth, 0) + joined
        if row["classroom_id"] is not None:
            classes.add(row["classroom_id"])
    ages: Counter = Counter()
    for (birth_year, role), joined in by_birth.items():
        ages[_age_band({"birth_year": birth_year, "role": role}, period.last.year)] += joined
    languages = sorted(rows["languages"], key=lambda row: (-row["n"], row["code"]))
    return {
        "cohorts": [
            {
                "week": week.isoformat(),
                "joined": joined,
                "eligible": base,
                "retained": retained,
                "retention": round(retained / base, 4) if base else None,
            }
            for week, (joined, base, retained) in sorted(weeks.items())
        ],
        "breakdown": {
            "roles": {role: roles.get(role, 0) for role in ("citizen", "student", "pupil")},
            "classes": len(classes),
            "age_bands": {
                label: ages.get(label, 0) for label in [b[0] for b in AGE_BANDS] + [NOT_GIVEN]
            },
            "languages": {row["code"]: row["n"] for row in languages if row["n"]},
        },
    }


def people_profile(*, scope: Scope, period: Period, twinnings) -> dict:
    """``{"cohorts", "breakdown"}``: two grouped reads, one round trip on PostgreSQL."""
    rows = run_batch(profile_reads(scope=scope, period=period, twinnings=twinnings))
    return profile_from(rows, period=period)


def dashboard(*, scope: Scope, period: Period) -> dict:
    """Everything the officer's dashboard shows: ``metrics()`` with ``"profile"`` (the
    cohorts and breakdown) and ``"open_reports"``, read in one round trip after the
    scope's twinnings on PostgreSQL."""
    twinnings = scope_twinnings(scope)

    def build() -> dict[str, QuerySet]:
        reads = metric_reads(scope, period, twinnings)
        reads.update(profile_reads(scope=scope, period=period, twinnings=twinnings))
        reads["reports"] = _reports(scope).values("status").annotate(n=Count("pk")).order_by()
        return reads

    rows = run_batch_for(("dashboard", scope, period, twinnings_key(twinnings)), build)
    figures = metrics_from(rows, scope=scope, period=period, twinnings=twinnings)
    figures["profile"] = profile_from(rows, period=period)
    figures["open_reports"] = sum(row["n"] for row in rows["reports"])
    return figures


def retention_cohorts(*, scope: Scope, period: Period, twinnings) -> list[dict]:
    return people_profile(scope=scope, period=period, twinnings=twinnings)["cohorts"]


def participant_breakdown(*, scope: Scope, period: Period, twinnings) -> dict:
    return people_profile(scope=scope, period=period, twinnings=twinnings)["breakdown"]


def _age_band(row: dict, year: int) -> str:
    if row["birth_year"] is None:
        return AGE_BANDS[0][0] if row["role"] == "pupil" else NOT_GIVEN
    age = year - row["birth_year"]
    return next((label for label, lo, hi in AGE_BANDS if lo <= age <= hi), NOT_GIVEN)


def open_reports(*, scope: Scope) -> int:
    """Reports on messages in the scope's rooms still open (a count; never their text)."""
    return _reports(scope).count()


def _reports(scope: Scope) -> QuerySet:
    reports = Report.objects.filter(status=Report.Status.OPEN)
    if scope.program_ids is not None:
        reports = reports.filter(
            Q(message__room__match__program_id__in=scope.program_ids)
            | in_exchange_rooms(ClassroomExchange.objects.filter(
                program_id__in=scope.program_ids).values("pk"))
        )
    if scope.twinning_id is not None:
        reports = reports.filter(
            Q(message__room__match__twinning_id=scope.twinning_id)
            | in_exchange_rooms(ClassroomExchange.objects.filter(
                twinning_id=scope.twinning_id).values("pk"))
        )
    return reports

