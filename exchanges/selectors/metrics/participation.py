"""Participation per twinning and calendar year (UTC), for the public transparency
register: the officers' definitions (definitions.py), read from the same daily roll-ups.

``participants`` is the dashboard's: people who completed their profile in a program over
the twinning during the year, living in one of its two cities; ``sessions_held`` and the
seconds together are its ``sessions_held`` and ``contact_hours``. So the register and a
dashboard scoped to one twinning and one year give the same numbers
(tests/exchanges/selectors/test_metrics_participation.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.db.models.functions import ExtractYear

from exchanges.models import RegisterPeopleDay, SessionDay


@dataclass
class Participation:
    """Keyed by (twinning id, year); people also by twinning, by year and in all, each
    person counted once in every group (people are not additive across twinnings)."""

    sessions_held: dict[tuple[int, int], int] = field(default_factory=dict)
    seconds: dict[tuple[int, int], int] = field(default_factory=dict)
    people: dict[tuple[int, int], int] = field(default_factory=dict)
    people_by_twinning: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    people_by_year: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    people_all: int = 0


def participation_by_twinning_year(*, twinning_ids: list[int]) -> Participation:
    """Two grouped queries over the roll-ups, all programs together."""
    result = Participation()
    for twinning_id, year, held, seconds in (
        SessionDay.objects.filter(twinning_id__in=twinning_ids)
        .annotate(year=ExtractYear("day"))
        .values("twinning_id", "year")
        .annotate(held=Sum("held"), seconds=Sum("together_seconds"))
        .values_list("twinning_id", "year", "held", "seconds")
        .order_by()
    ):
        if held:
            result.sessions_held[twinning_id, year] = held
            result.seconds[twinning_id, year] = seconds or 0
    wanted = set(twinning_ids)
    for twinning_id, year, count in (
        RegisterPeopleDay.objects.annotate(year=ExtractYear("day"))
        .values("twinning_id", "year")
        .annotate(n=Sum("count"))
        .values_list("twinning_id", "year", "n")
        .order_by()
    ):
        # A person has one city and one joining day: sums over days are exact.
        if twinning_id is None:
            result.people_by_year[year] += count
            result.people_all += count
        elif twinning_id in wanted:
            result.people[twinning_id, year] = count
            result.people_by_twinning[twinning_id] += count
    return result
