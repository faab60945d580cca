"""The run proposes only what can be accepted until it lapses: the nightly program filter,
a requested run, the stored pairs and the acceptance rule read a program's end on the
same calendars (each city's, each partner's), so no proposal meets "the program has
ended" before its answer-by."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from exchanges.models import Match, MatchRun
from exchanges.selectors.dashboard import next_matching_run
from exchanges.selectors.matches import program_over
from exchanges.selectors.matching import matching_run_refusal
from exchanges.services.matches import match_accept
from exchanges.services.matching import matching_programs_due, matching_run_execute
from tests.exchanges.matching_fixtures import english_speaker, german_speaker
from tests.factories import CityFactory, ProgramFactory, TwinningFactory

pytestmark = pytest.mark.django_db

END = dt.date(2030, 6, 10)  # the end date: the day after the program's last day
# Midnight that starts END in each city (June: NZST is UTC+12, PDT is UTC-7).
AUCKLAND_ENDS = dt.datetime(2030, 6, 9, 12, 0, tzinfo=dt.UTC)
LOS_ANGELES_ENDS = dt.datetime(2030, 6, 10, 7, 0, tzinfo=dt.UTC)
WINDOW = dt.timedelta(days=Match.ANSWER_DAYS)
SECOND = dt.timedelta(seconds=1)
ALL_WEEK = [(day, "00:00", "00:00") for day in range(7)]
LAST_DAY = date_format(END - dt.timedelta(days=1), "DATE_FORMAT")


def at(monkeypatch, now: dt.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: now)


def program_over_cities(*zones: str):
    cities = [CityFactory(name=f"City {n} in {zone}", tz=zone) for n, zone in enumerate(zones)]
    twinning = TwinningFactory(city_a=cities[0], city_b=cities[1])
    program = ProgramFactory(twinnings=[twinning], start_date=END - dt.timedelta(weeks=4),
                             weeks=4)
    return program, cities


@pytest.mark.parametrize(
    ("zones", "ends"),
    [
        (("Pacific/Auckland", "America/Los_Angeles"), AUCKLAND_ENDS),  # the earlier city
        (("America/Los_Angeles", "America/Los_Angeles"), LOS_ANGELES_ENDS),
        (("Pacific/Auckland", "Pacific/Auckland"), AUCKLAND_ENDS),
    ],
)
def test_a_program_takes_proposals_until_its_end_would_come_before_they_lapse(
    monkeypatch, zones, ends
):
    program, _cities = program_over_cities(*zones)
    at(monkeypatch, ends - WINDOW - SECOND)
    assert program.pk in matching_programs_due()
    assert matching_run_refusal(program=program) == ""
    at(monkeypatch, ends - WINDOW)
    assert program.pk not in matching_programs_due()
    refusal = matching_run_refusal(program=program)
    assert "could not be accepted for the 7 days it waits for answers" in refusal
    assert LAST_DAY in refusal  # its last day, as the card names it


@pytest.mark.parametrize(
    "now",
    [
        # 02:30 UTC, the nightly run's time, on the end date: it used to run then.
        dt.datetime(2030, 6, 10, 2, 30, tzinfo=dt.UTC),
        # The UTC day before: the last day in Los Angeles, the end date in Auckland.
        dt.datetime(2030, 6, 9, 14, 30, tzinfo=dt.UTC),
    ],
)
def test_no_run_on_a_day_the_program_has_ended_in_one_of_its_cities(monkeypatch, now):
    program, _cities = program_over_cities("Pacific/Auckland", "America/Los_Angeles")
    at(monkeypatch, now)
    assert program.pk not in matching_programs_due()
    assert matching_run_refusal(program=program).startswith(
        f"No matching run: the program has ended ({LAST_DAY})")


def test_the_last_proposal_a_run_makes_can_be_accepted_until_its_answer_by(monkeypatch):
    program, (auckland, los_angeles) = program_over_cities(
        "Pacific/Auckland", "America/Los_Angeles")
    # Free all week: evenings in Auckland and in Los Angeles never meet.
    english = english_speaker(auckland, program, windows=ALL_WEEK)
    german = german_speaker(los_angeles, program, windows=ALL_WEEK)
    at(monkeypatch, AUCKLAND_ENDS - WINDOW - SECOND)
    run = matching_run_execute(run_id=MatchRun.objects.create(program=program).pk)
    assert run.status == "done", run.error
    match = Match.objects.get(run=run)
    assert not program_over(match, now=match.answer_by - SECOND)
    at(monkeypatch, match.answer_by - SECOND)
    match_accept(match=match, by=english)
    assert match_accept(match=match, by=german).status == Match.Status.ACTIVE


def test_a_partner_whose_own_zone_reaches_the_end_first_is_not_proposed(monkeypatch):
    # The cities allow a proposal; the partner who keeps their calendar in Auckland time
    # would see the program end before the proposal lapses.
    program, (london, berlin) = program_over_cities("Europe/London", "Europe/Berlin")
    english_speaker(london, program, tz="Pacific/Auckland", windows=ALL_WEEK)
    german_speaker(berlin, program, windows=ALL_WEEK)
    at(monkeypatch, AUCKLAND_ENDS - WINDOW + dt.timedelta(hours=1))
    assert program.pk in matching_programs_due()
    run = matching_run_execute(run_id=MatchRun.objects.create(program=program).pk)
    assert run.status == "done", run.error
    assert not Match.objects.filter(program=program).exists()
    assert run.parameters["pairs_dropped"] == 1


def test_the_dashboard_promises_no_run_that_will_not_propose(monkeypatch):
    program, _cities = program_over_cities("Europe/London", "Europe/London")
    london_ends = dt.datetime(2030, 6, 9, 23, 0, tzinfo=dt.UTC)  # BST midnight
    # The next run (02:30 UTC) comes after the last moment a proposal fits its window.
    at(monkeypatch, dt.datetime(2030, 6, 2, 20, 0, tzinfo=dt.UTC))
    assert london_ends - WINDOW < dt.datetime(2030, 6, 3, 2, 30, tzinfo=dt.UTC)
    assert program.in_nightly_matching(timezone.now())
    assert next_matching_run(programs=[program]) is None
    at(monkeypatch, dt.datetime(2030, 6, 1, 20, 0, tzinfo=dt.UTC))
    assert next_matching_run(programs=[program]) == dt.datetime(
        2030, 6, 2, 2, 30, tzinfo=dt.UTC)
