"""Participation per twinning and calendar year (UTC), for the public transparency
register: the officers' definitions (definitions.py), read from the same daily roll-ups.

``participants`` is the dashboard's: people who completed their profile in a program over
the twinning during the year, living in one of its two cities; ``sessions_held`` and the
seconds together are its ``sessions_held`` and ``contact_hours``. So the register and a
dashboard scoped to one twinning and one year give the same numbers
(tests/exchanges/selectors/test_metrics_participation.py).

Beside them, each program's own figures as its officers see them (``ProgramFigures``):
the register withholds a figure that one of them would give the others' small count
away from.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, IntegerField, Q, Sum, Value
from django.db.models.functions import ExtractYear, TruncYear

from exchanges.models import ActiveDay, PeopleDay, Program, RegisterPeopleDay, SessionDay


def _counts() -> defaultdict:
    return defaultdict(int)


@dataclass
class ProgramFigures:
    """Each program's figures that its officers see (dashboard and exports, by twinning
    and in the program's totals, over a calendar year or from the start): its people in
    each of its twinnings' two cities (``people``) and its people who attended there
    (``attended``), keyed (program, twinning, year); by (program, twinning) over all
    years, by (program, year) over its twinnings, and by program, each person of the
    program counted once in every group, as the register counts people."""

    people: dict[tuple[int, int, int], int] = field(default_factory=_counts)
    people_by_twinning: dict[tuple[int, int], int] = field(default_factory=_counts)
    people_by_year: dict[tuple[int, int], int] = field(default_factory=_counts)
    people_all: dict[int, int] = field(default_factory=_counts)
    attended: dict[tuple[int, int, int], int] = field(default_factory=_counts)
    attended_by_twinning: dict[tuple[int, int], int] = field(default_factory=_counts)
    attended_by_year: dict[tuple[int, int], int] = field(default_factory=_counts)
    attended_all: dict[int, int] = field(default_factory=_counts)
    # The programs that one officer sees, for each officer of two programs or more: they
    # can subtract the programs' figures together.
    seen_together: list[frozenset[int]] = field(default_factory=list)


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
    programs: ProgramFigures = field(default_factory=ProgramFigures)


# The sessions' rows, the attended people's rows and the register's people come in one
# query (a union), each part's columns zero in the others'.
_ZERO = Value(0, output_field=IntegerField())
_NONE = Value(None, output_field=IntegerField())
_COLUMNS = ("program_id", "twinning_id", "year", "held", "seconds", "attended", "ever_tw",
            "in_year", "ever", "people")


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
        .values("program_id", "twinning_id", "year")
        .annotate(
            held=_ZERO, seconds=_ZERO,
            attended=Sum("count", filter=first_tw | Q(previous_in_twinning_day__lt=year_start)),
            ever_tw=Sum("count", filter=first_tw),
            in_year=Sum("count", filter=first | Q(previous_day__lt=year_start)),
            ever=Sum("count", filter=first),
        )
        .annotate(people=_ZERO)
        .values_list(*_COLUMNS)
        .order_by()
    )


def _register_people_read():
    """The register's people by twinning and year (a null twinning: each person once in
    their year, over all twinnings), in the union's columns (``people``)."""
    return (
        RegisterPeopleDay.objects.annotate(year=ExtractYear("day"))
        .values("twinning_id", "year")
        .annotate(people=Sum("count"))
        .annotate(program_id=_NONE, held=_ZERO, seconds=_ZERO, attended=_ZERO,
                  ever_tw=_ZERO, in_year=_ZERO, ever=_ZERO)
        .values_list(*_COLUMNS)
        .order_by()
    )


def participation_by_twinning_year(*, twinning_ids: list[int]) -> Participation:
    """Two grouped queries over the roll-ups: sessions and attended people by program
    (the register's are their sums) with the register's people, and each program's
    people."""
    result = Participation()
    sessions = (
        SessionDay.objects.filter(twinning_id__in=twinning_ids)
        .annotate(year=ExtractYear("day"))
        .values("program_id", "twinning_id", "year")
        .annotate(held=Sum("held"), seconds=Sum("together_seconds"), attended=_ZERO,
                  ever_tw=_ZERO, in_year=_ZERO, ever=_ZERO, people=_ZERO)
        .values_list(*_COLUMNS)
        .order_by()
    )
    own = result.programs
    wanted = set(twinning_ids)
    for (program_id, twinning_id, year, held, seconds, attended, ever_tw, in_year, ever,
         people) in sessions.union(_attended_read(twinning_ids), _register_people_read(),
                                   all=True):
        key = twinning_id, year
        if people:
            # A person has one city and one joining day: sums over days are exact.
            if twinning_id is None:
                result.people_by_year[year] += people
                result.people_all += people
            elif twinning_id in wanted:
                result.people[key] = people
                result.people_by_twinning[twinning_id] += people
            continue
        if held:
            result.sessions_held[key] = result.sessions_held.get(key, 0) + held
            result.seconds[key] = result.seconds.get(key, 0) + (seconds or 0)
        if attended or ever_tw or in_year or ever:
            # Each program counts its people once: the register adds the programs up.
            result.attended[key] += attended or 0
            result.attended_by_twinning[twinning_id] += ever_tw or 0
            result.attended_by_year[year] += in_year or 0
            result.attended_all += ever or 0
            own.attended[program_id, twinning_id, year] += attended or 0
            own.attended_by_twinning[program_id, twinning_id] += ever_tw or 0
            own.attended_by_year[program_id, year] += in_year or 0
            own.attended_all[program_id] += ever or 0
    _programs_people(own, twinning_ids)
    return result


def _officers_read():
    """Which officer sees which program, in the people read's columns (``officer_id``)."""
    return (
        Program.officers.through.objects
        .annotate(twinning_id=_NONE, city_id=_NONE, year=_NONE, n=_ZERO)
        .values_list("program_id", "twinning_id", "city_id", "year", "n", "user_id")
        .order_by()
    )


def _programs_people(own: ProgramFigures, twinning_ids: list[int]) -> None:
    """Each program's people by twinning of its own and year, from its daily roll-up (the
    dashboard's): those living in one of the twinning's two cities. A person has one city
    and one joining day, and one row a program: the sums are exact, and over the
    program's twinnings a city shared by two counts once. The programs' officers come in
    the same query (a union)."""
    counted: set[tuple[int, int, int]] = set()
    by_officer: dict[int, set[int]] = defaultdict(set)
    people = (
        PeopleDay.objects.filter(
            Q(city_id=F("program__twinnings__city_a_id"))
            | Q(city_id=F("program__twinnings__city_b_id")),
            program__twinnings__in=twinning_ids,
        )
        .annotate(year=ExtractYear("day"))
        .values("program_id", "program__twinnings", "city_id", "year")
        .annotate(n=Sum("count"), officer_id=_NONE)
        .values_list("program_id", "program__twinnings", "city_id", "year", "n", "officer_id")
        .order_by()
    )
    for program_id, twinning_id, city_id, year, count, officer_id in people.union(
        _officers_read(), all=True
    ):
        if officer_id is not None:
            by_officer[officer_id].add(program_id)
            continue
        own.people[program_id, twinning_id, year] += count
        own.people_by_twinning[program_id, twinning_id] += count
        if (program_id, city_id, year) not in counted:
            counted.add((program_id, city_id, year))
            own.people_by_year[program_id, year] += count
            own.people_all[program_id] += count
    own.seen_together = sorted({frozenset(programs) for programs in by_officer.values()
                                if len(programs) > 1}, key=sorted)
