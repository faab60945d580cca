"""Participation per twinning and calendar year (UTC), for the public transparency
register: the officers' definitions, computed from the same session summaries.

``sessions_held`` and contact time are the dashboard's ``sessions_held`` and
``contact_hours``; the people are its ``active_participants`` (attended at least one
session in the year), so the register and a dashboard scoped to one twinning and one
year always give the same numbers (tests/exchanges/selectors/test_metrics_participation.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from exchanges.models import SessionSummary


def participation_by_twinning_year(
    *, twinning_ids: list[int]
) -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], int], dict[tuple[int, int], set]]:
    """``(sessions_held, together_seconds, people)``, each keyed by (twinning id, year):
    two queries over all programs."""
    summaries = SessionSummary.objects.filter(twinning_id__in=twinning_ids).annotate(
        year=ExtractYear("starts_at", tzinfo=dt.UTC)
    )
    held: dict[tuple[int, int], int] = defaultdict(int)
    seconds: dict[tuple[int, int], int] = defaultdict(int)
    for twinning_id, year, count, together in (
        summaries.filter(status="held")
        .values("twinning_id", "year")
        .annotate(count=Count("session_id"), together=Sum("together_seconds"))
        .values_list("twinning_id", "year", "count", "together")
    ):
        held[twinning_id, year] = count
        seconds[twinning_id, year] = together or 0
    people: dict[tuple[int, int], set] = defaultdict(set)
    for twinning_id, year, a, a_came, b, b_came in summaries.filter(
        Q(a_attended=True) | Q(b_attended=True)
    ).values_list(
        "twinning_id", "year", "participant_a_id", "a_attended", "participant_b_id", "b_attended"
    ):
        people[twinning_id, year].update(
            pid for pid, came in ((a, a_came), (b, b_came)) if came and pid is not None
        )
    return held, seconds, people
