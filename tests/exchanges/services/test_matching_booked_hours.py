"""A run does not match someone into the weekly hours their existing series already use."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exchanges.models import Match, MatchRun, Session
from exchanges.selectors.matching import matching_instance, participants_with_free_capacity
from exchanges.services.matching import matching_run_execute
from tests.exchanges.matching_fixtures import (
    coventry_dresden,
    english_speaker,
    german_speaker,
    program_next_monday,
)
from tests.factories import MatchFactory

pytestmark = pytest.mark.django_db

MONDAY_EVENING_LONDON = [(0, "18:00", "19:00")]
# The same hour in Dresden (both zones change clocks on the same dates).
MONDAY_EVENING_BERLIN = [(0, "19:00", "20:00")]
WEDNESDAY_EVENING_LONDON = [(2, "18:00", "20:00")]
WEDNESDAY_EVENING_BERLIN = [(2, "19:00", "21:00")]


@pytest.fixture
def world():
    coventry, dresden, twinning = coventry_dresden()
    program = program_next_monday([twinning])
    return coventry, dresden, twinning, program


def booked_on_monday_evenings(person, world) -> Match:
    """An active match of ``person`` with a first partner in Dresden, with a session every
    Monday 18:00 London time of the program."""
    _, dresden, twinning, program = world
    first_partner = german_speaker(dresden, program, windows=MONDAY_EVENING_BERLIN)
    match = MatchFactory(program=program, twinning=twinning, participant_a=person,
                         participant_b=first_partner, status=Match.Status.ACTIVE,
                         activated_at=timezone.now())
    london = ZoneInfo("Europe/London")
    for week in range(program.weeks):
        day = program.start_date + dt.timedelta(weeks=week)
        Session.objects.create(match=match, minutes=60,
                               starts_at=dt.datetime.combine(day, dt.time(18), tzinfo=london))
    return match


def booked_alice(world, windows=MONDAY_EVENING_LONDON + WEDNESDAY_EVENING_LONDON):
    """Alice in Coventry, free for a second partner in ``windows``, her Monday evenings
    booked by her first partner's series: ``(alice, that match)``."""
    coventry, _, _, program = world
    alice = english_speaker(coventry, program, capacity=2, windows=windows)
    return alice, booked_on_monday_evenings(alice, world)


def bruno(world):
    """Bruno in Dresden, free on Monday and Wednesday evenings."""
    _, dresden, _, program = world
    return german_speaker(dresden, program,
                          windows=MONDAY_EVENING_BERLIN + WEDNESDAY_EVENING_BERLIN)


def run(program) -> MatchRun:
    result = matching_run_execute(run_id=MatchRun.objects.create(program=program).pk)
    assert result.status == "done", result.error
    return result


def new_match_of(person) -> Match | None:
    return Match.objects.filter(Q(participant_a=person) | Q(participant_b=person),
                                status=Match.Status.PROPOSED).first()


def test_a_second_partner_is_matched_only_on_the_hours_the_first_series_leaves(world):
    *_, program = world
    alice, _ = booked_alice(world)
    second = bruno(world)

    run(program)

    match = new_match_of(alice)
    assert match is not None and match.partner_of(alice) == second
    # Only Wednesday's two hours are common: Monday's hour is the first partner's.
    assert match.explanation["overlap_hours_per_week"] == 2


def test_someone_whose_only_free_hour_is_booked_gets_no_second_partner(world):
    _, dresden, _, program = world
    alice, _ = booked_alice(world, windows=MONDAY_EVENING_LONDON)
    german_speaker(dresden, program, windows=MONDAY_EVENING_BERLIN)

    result = run(program)

    assert new_match_of(alice) is None
    assert result.pairs_count == 0


def test_only_scheduled_sessions_within_the_program_take_hours(world):
    *_, program = world
    alice, match = booked_alice(world)
    # Wednesdays 18:00: one session cancelled in the program, one after its end.
    london = ZoneInfo("Europe/London")
    wednesday = program.start_date + dt.timedelta(days=2)
    Session.objects.create(match=match, minutes=60, status=Session.Status.CANCELLED,
                           starts_at=dt.datetime.combine(wednesday, dt.time(18), tzinfo=london))
    Session.objects.create(match=match, minutes=60, starts_at=dt.datetime.combine(
        program.end_date + dt.timedelta(weeks=1, days=2), dt.time(18), tzinfo=london))
    second = bruno(world)

    run(program)

    match = new_match_of(alice)
    assert match is not None and match.partner_of(alice) == second
    assert match.explanation["overlap_hours_per_week"] == 2


def _instance_queries(program) -> tuple[dict, int]:
    free = participants_with_free_capacity(program=program)
    with CaptureQueriesContext(connection) as queries:
        instance = matching_instance(program=program, free=free)
    return instance, len(queries)


def test_booked_hours_are_read_in_one_query_for_everyone(world):
    coventry, _, _, program = world
    alice, _ = booked_alice(world)
    _, one_booked = _instance_queries(program)

    for _ in range(3):
        booked_on_monday_evenings(english_speaker(coventry, program, capacity=3), world)
    instance, four_booked = _instance_queries(program)

    assert four_booked == one_booked
    weekly = {p["id"]: p["availability"]["weekly"] for p in instance["participants"]}
    assert weekly[str(alice.pk)] == [{"day": "wed", "start": "18:00", "end": "20:00"}]
    assert len(weekly) == 4
    assert all({"day": "mon", "start": "18:00", "end": "19:00"} not in w for w in weekly.values())
