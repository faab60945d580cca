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

from django.db.models import IntegerField, Q, Sum, Value
from django.db.models.functions import ExtractYear, TruncYear

from exchanges.models import ActiveDay, RegisterPeopleDay, SessionDay


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
    # The people who attended a session that took place (the dashboards' active
    # participants), whom the sessions held and their hours rest on: by twinning and year,
    # by twinning, by year and in all, each counted once in every group.
    attended: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))
    attended_by_twinning: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    attended_by_year: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    attended_all: int = 0


# The sessions' rows and the attended people's rows come in one query (a union), each
# side's columns zero in the other's.
_ZERO = Value(0, output_field=IntegerField())


def _attended_read(twinning_ids: list[int]):
    """Attended person-sessions by twinning and year, counted where they are the person's
    first in the twinning and year (``attended``), in the twinning ever (``ever_tw``), in
    the program and year (``in_year``) and in the program ever (``ever``): summed over
    years, twinnings or both, each gives distinct people (of each program)."""
    year_start = TruncYear("day")
    first_tw, first = Q(previous_in_twinning_day__isnull=True), Q(previous_day__isnull=True)
    return (
        ActiveDay.objects.filter(twinning_id__in=twinning_ids)
        .annotate(year=ExtractYear("day"))
        .values("twinning_id", "year")
        .annotate(
            held=_ZERO, seconds=_ZERO,
            attended=Sum("count", filter=first_tw | Q(previous_in_twinning_day__lt=year_start)),
            ever_tw=Sum("count", filter=first_tw),
            in_year=Sum("count", filter=first | Q(previous_day__lt=year_start)),
            ever=Sum("count", filter=first),
        )
        .values_list("twinning_id", "year", "held", "seconds", "attended", "ever_tw",
                     "in_year", "ever")
        .order_by()
    )


def participation_by_twinning_year(*, twinning_ids: list[int]) -> Participation:
    """Two grouped queries over the roll-ups, all programs together."""
    result = Participation()
    sessions = (
        SessionDay.objects.filter(twinning_id__in=twinning_ids)
        .annotate(year=ExtractYear("day"))
        .values("twinning_id", "year")
        .annotate(held=Sum("held"), seconds=Sum("together_seconds"), attended=_ZERO,
                  ever_tw=_ZERO, in_year=_ZERO, ever=_ZERO)
        .values_list("twinning_id", "year", "held", "seconds", "attended", "ever_tw",
                     "in_year", "ever")
        .order_by()
    )
    for twinning_id, year, held, seconds, attended, ever_tw, in_year, ever in sessions.union(
            _attended_read(twinning_ids), all=True):
        if held:
            result.sessions_held[twinning_id, year] = held
            result.seconds[twinning_id, year] = seconds or 0
        if attended or ever_tw or in_year or ever:
            result.attended[twinning_id, year] += attended or 0
            result.attended_by_twinning[twinning_id] += ever_tw or 0
            result.attended_by_year[year] += in_year or 0
            result.attended_all += ever or 0
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
