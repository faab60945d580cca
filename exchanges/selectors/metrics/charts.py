"""The dashboard's charts and breakdowns: sessions held and contact hours per week,
retention by week of joining, participants by role, age band and language learned, and
open reports (counts only)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncWeek

from exchanges.models import ParticipantLanguage, Report
from exchanges.selectors.metrics.definitions import Period
from exchanges.selectors.metrics.figures import (
    RETENTION_AFTER,
    Scope,
    people_in,
    sessions_in,
)

AGE_BANDS = (
    ("under 18", 0, 17),
    ("18–25", 18, 25),
    ("26–35", 26, 35),
    ("36–50", 36, 50),
    ("51–65", 51, 65),
    ("66 and over", 66, 200),
)
NOT_GIVEN = "not given"


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weeks(found: list[dt.date], period: Period) -> list[dt.date]:
    """Every Monday from the first week with data (or the range's first) to the last."""
    if not found and period.first is None:
        return []
    first = _monday(period.first) if period.first else min(found)
    last = _monday(period.last)
    weeks, week = [], first
    while week <= last:
        weeks.append(week)
        week += dt.timedelta(weeks=1)
    return weeks


def weekly_sessions(*, scope: Scope, period: Period) -> list[dict]:
    """Sessions held and contact hours per UTC week (Monday), weeks without any shown."""
    rows = {
        row["week"].date(): row
        for row in sessions_in(scope, period)
        .annotate(week=TruncWeek("starts_at", tzinfo=dt.UTC))
        .values("week")
        .annotate(
            held=Count("pk", filter=Q(status="held")),
            seconds=Sum("together_seconds", filter=Q(status="held")),
        )
    }
    return [
        {
            "week": week.isoformat(),
            "sessions_held": rows[week]["held"] if week in rows else 0,
            "contact_hours": round((rows[week]["seconds"] or 0) / 3600, 2) if week in rows else 0,
        }
        for week in _weeks(sorted(rows), period)
    ]


def retention_cohorts(*, scope: Scope, period: Period, twinnings) -> list[dict]:
    """Retention (as defined) of the participants who joined in each UTC week."""
    hi, settled_by = period.hi, period.hi - RETENTION_AFTER
    rows = (
        people_in(scope, period, twinnings)
        .annotate(week=TruncWeek("joined_at", tzinfo=dt.UTC))
        .values("week")
        .annotate(
            joined=Count("participant_id", distinct=True),
            base=Count("participant_id", filter=Q(first_held_at__lt=settled_by), distinct=True),
            retained=Count(
                "participant_id",
                filter=Q(first_held_at__lt=settled_by, retained_at__lt=hi),
                distinct=True,
            ),
        )
        .order_by("week")
    )
    return [
        {
            "week": row["week"].date().isoformat(),
            "joined": row["joined"],
            "eligible": row["base"],
            "retained": row["retained"],
            "retention": round(row["retained"] / row["base"], 4) if row["base"] else None,
        }
        for row in rows
    ]


def participant_breakdown(*, scope: Scope, period: Period, twinnings) -> dict:
    """Participants by role (pupils with their number of classes), age band on the
    range's last day, and language learned (someone learning two counts in both)."""
    people = people_in(scope, period, twinnings)
    roles, ages, classes = Counter(), Counter(), set()
    for row in people.values("role", "birth_year", "classroom_id").annotate(
        n=Count("participant_id", distinct=True)
    ):
        roles[row["role"]] += row["n"]
        if row["classroom_id"] is not None:
            classes.add(row["classroom_id"])
        ages[_age_band(row, period.last.year)] += row["n"]
    languages = (
        ParticipantLanguage.objects.filter(
            learning=True, participant_id__in=people.values("participant_id")
        )
        .values("code")
        .annotate(n=Count("participant_id", distinct=True))
        .order_by("-n", "code")
    )
    return {
        "roles": {role: roles.get(role, 0) for role in ("citizen", "student", "pupil")},
        "classes": len(classes),
        "age_bands": {
            label: ages.get(label, 0) for label in [b[0] for b in AGE_BANDS] + [NOT_GIVEN]
        },
        "languages": {row["code"]: row["n"] for row in languages},
    }


def _age_band(row: dict, year: int) -> str:
    if row["birth_year"] is None:
        return AGE_BANDS[0][0] if row["role"] == "pupil" else NOT_GIVEN
    age = year - row["birth_year"]
    return next((label for label, lo, hi in AGE_BANDS if lo <= age <= hi), NOT_GIVEN)


def open_reports(*, scope: Scope) -> int:
    """Reports on messages in the scope's rooms still open (a count; never their text)."""
    reports = Report.objects.filter(status=Report.Status.OPEN)
    if scope.program_ids is not None:
        reports = reports.filter(
            Q(message__room__match__program_id__in=scope.program_ids)
            | Q(message__room__exchange__program_id__in=scope.program_ids)
        )
    if scope.twinning_id is not None:
        reports = reports.filter(
            Q(message__room__match__twinning_id=scope.twinning_id)
            | Q(message__room__exchange__twinning_id=scope.twinning_id)
        )
    return reports.count()
