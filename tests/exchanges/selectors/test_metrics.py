"""Every figure on the hand-built program of tests/exchanges/metrics_fixtures.py, whose
answers are worked out by hand there."""

import datetime as dt

import pytest

from exchanges.selectors.metrics import (
    KEYS,
    Period,
    Scope,
    metrics,
    open_reports,
    participant_breakdown,
    retention_cohorts,
    weekly_sessions,
)
from exchanges.services.metrics import metrics_refresh
from tests.exchanges.metrics_fixtures import at, build_dataset

pytestmark = pytest.mark.django_db

SPRING = Period(dt.date(2026, 3, 1), dt.date(2026, 5, 31))
MARCH_APRIL = Period(dt.date(2026, 3, 1), dt.date(2026, 4, 30))


@pytest.fixture
def data():
    return build_dataset()


def _program(data, period=SPRING, **narrow):
    return metrics(scope=Scope(program_ids=(data.program.pk,), **narrow), period=period)


def test_every_figure_of_the_program_over_the_spring(data):
    assert _program(data)["totals"] == {
        "participants": 6,
        "matched": 4,
        "match_rate": 0.6667,
        "acceptance_rate": 0.6667,  # M1, M2 accepted; M3 declined; M4 unanswered
        "median_days_to_match": 12.0,  # 8, 10, 14, 15
        "sessions_scheduled": 7,
        "sessions_held": 3,
        "sessions_missed": 3,
        "sessions_cancelled": 1,
        "attendance_rate": 0.6667,  # 8 of 12 person-sessions
        "contact_hours": 2.5,  # 60 + 40 (across the DST change) + 50 minutes
        "active_participants": 3,  # Dieter never came, Emma never had a session
        "retention": 1.0,
        "completion": 2,  # Alice (3rd on 26 April), Bruno (3rd on 10 May)
        "messages_per_active_match": 4.5,  # 9 messages, M1 and M2 active
    }


def test_a_shorter_range_counts_only_what_happened_by_its_last_day(data):
    totals = _program(data, MARCH_APRIL)["totals"]
    assert totals["sessions_scheduled"] == 5
    assert (totals["sessions_held"], totals["sessions_missed"], totals["sessions_cancelled"]) == (
        2, 3, 0,
    )
    assert totals["attendance_rate"] == 0.6  # 6 of 10
    assert totals["contact_hours"] == round(100 / 60, 2)
    assert totals["retention"] == 0.5  # Bruno's next session after 4 weeks is in May
    assert totals["completion"] == 1
    assert totals["messages_per_active_match"] == 4.0


def test_participants_count_by_when_they_completed_their_profile(data):
    totals = _program(data, Period(dt.date(2026, 3, 4), dt.date(2026, 3, 31)))["totals"]
    assert totals["participants"] == 4  # Carla, Dieter, Emma, Pia
    assert totals["matched"] == 2
    assert totals["median_days_to_match"] == 14.5


def test_the_session_across_the_clock_change_lasts_sixty_minutes(data):
    week = metrics(
        scope=Scope(program_ids=(data.program.pk,)),
        period=Period(dt.date(2026, 3, 29), dt.date(2026, 3, 29)),
    )["totals"]
    assert week["sessions_held"] == 1
    assert week["contact_hours"] == round(40 / 60, 2)
    assert data.sessions["S2"].summary.together_seconds == 40 * 60


def test_the_partner_who_never_came_counts_as_missed_person_sessions(data):
    by_city = {row["name"]: row for row in _program(data)["by_city"]}
    assert by_city["Düsseldorf"]["attendance_rate"] == 0.5  # Bruno 3 of 4, Dieter 0 of 2
    assert by_city["London"]["attendance_rate"] == 0.8333  # Alice 4 of 4, Carla 1 of 2
    assert by_city["Düsseldorf"]["active_participants"] == 1


def test_rows_by_city(data):
    by_city = {row["name"]: row for row in _program(data)["by_city"]}
    assert set(by_city) == {"London", "Düsseldorf", "名古屋"}
    london, dus = by_city["London"], by_city["Düsseldorf"]
    key = ("participants", "matched", "median_days_to_match")
    assert [london[k] for k in key] == [3, 2, 12.5]
    assert [dus[k] for k in key] == [3, 2, 11.0]
    for row in (london, dus):
        assert row["sessions_scheduled"] == 7 and row["contact_hours"] == 2.5
        assert row["acceptance_rate"] == 0.6667 and row["messages_per_active_match"] == 4.5
    assert (london["completion"], dus["completion"]) == (1, 1)
    assert by_city["名古屋"]["participants"] == 0
    assert set(by_city["名古屋"]) == {"id", "name", *KEYS}


def test_rows_by_twinning(data):
    rows = {row["id"]: row for row in _program(data)["by_twinning"]}
    main, nagoya = rows[data.twinning.pk], rows[data.nagoya_twinning.pk]
    assert main["participants"] == 6 and main["sessions_held"] == 3
    assert main["active_participants"] == 3
    # London's people are in both of the program's twinnings; nothing happened with Nagoya.
    assert nagoya["participants"] == 3 and nagoya["sessions_scheduled"] == 0
    assert nagoya["match_rate"] == 0.6667 and nagoya["acceptance_rate"] is None


def test_a_twinning_taken_off_the_program_keeps_its_row_of_past_figures(data):
    # Its sessions, matches and people still count in the totals and in its cities' rows:
    # its own row stays too, so the rows by twinning still account for them.
    data.program.twinnings.remove(data.twinning)
    metrics_refresh(full=True, now=at(12, 2))
    figures = _program(data)
    rows = {row["id"]: row for row in figures["by_twinning"]}
    assert set(rows) == {data.twinning.pk, data.nagoya_twinning.pk}
    gone = rows[data.twinning.pk]
    assert gone["sessions_held"] == figures["totals"]["sessions_held"] == 3
    assert gone["participants"] == 6 and gone["active_participants"] == 3
    assert gone["messages_per_active_match"] == 4.5
    # The program's own twinnings stay what they are (the page lists them, runs read them).
    assert [t.pk for t in figures["twinnings"]] == [data.nagoya_twinning.pk]


def test_a_twinning_and_a_city_as_scopes(data):
    city = metrics(scope=Scope(program_ids=(data.program.pk,), city_id=data.london.pk),
                   period=SPRING)
    assert city["totals"]["participants"] == 3
    assert city["totals"]["active_participants"] == 2
    assert [row["name"] for row in city["by_city"]] == ["London"]
    twinning = metrics(scope=Scope(twinning_id=data.nagoya_twinning.pk), period=SPRING)
    assert twinning["totals"]["sessions_scheduled"] == 0


def test_the_whole_platform_adds_the_other_program(data):
    totals = metrics(scope=Scope(), period=SPRING)["totals"]
    mine = _program(data)["totals"]
    assert totals["participants"] == mine["participants"]  # the other has no profiles in it
    assert totals["messages_per_active_match"] == round(14 / 3, 2)


def test_weekly_chart_and_cohorts(data):
    scope = Scope(program_ids=(data.program.pk,))
    weeks = {w["week"]: w for w in weekly_sessions(scope=scope, period=SPRING)}
    # Each week with the people who attended its sessions that took place (never shown:
    # the small-count rule reads it), each once: Alice and Bruno; and Carla at S6.
    assert weeks["2026-03-16"] == {"week": "2026-03-16", "sessions_held": 1, "contact_hours": 1.0,
                                   "active_participants": 2}
    assert weeks["2026-03-23"]["contact_hours"] == round(40 / 60, 2)  # S2 is Sunday 29 March
    assert weeks["2026-03-23"]["active_participants"] == 3
    assert weeks["2026-04-20"]["sessions_held"] == 0  # S3, missed: Alice came alone
    assert weeks["2026-04-20"]["active_participants"] == 1
    assert len(weeks) == 14  # every Monday from 23 Feb to 25 May
    cohorts = retention_cohorts(scope=scope, period=SPRING, twinnings=[])
    assert [(c["week"], c["joined"], c["eligible"], c["retained"]) for c in cohorts] == [
        ("2026-02-23", 1, 1, 1), ("2026-03-02", 3, 1, 1), ("2026-03-09", 2, 0, 0),
    ]


def test_each_weekly_series_has_one_number_type(data):
    # A week without sessions gave 0 hours beside the others' 1.0: the chart's JSON
    # mixed 0 and 1.0 in one series.
    scope = Scope(program_ids=(data.program.pk,))
    chart = weekly_sessions(scope=scope, period=SPRING)
    assert any(w["contact_hours"] == 0 for w in chart) and any(w["contact_hours"] for w in chart)
    for weekly in (chart, metrics(scope=scope, period=SPRING)["weekly"]):
        for key, kind in (("sessions_held", int), ("contact_hours", float),
                          ("active_participants", int)):
            assert {type(week[key]) for week in weekly} == {kind}, key


def test_breakdown_shows_pupils_only_as_counts(data):
    scope = Scope(program_ids=(data.program.pk,))
    breakdown = participant_breakdown(scope=scope, period=SPRING, twinnings=[])
    assert breakdown["roles"] == {"citizen": 0, "student": 5, "pupil": 1}
    assert breakdown["classes"] == 1
    assert breakdown["age_bands"]["under 18"] == 1  # Pia
    assert breakdown["age_bands"]["26–35"] == 1 and breakdown["age_bands"]["51–65"] == 1
    assert breakdown["languages"] == {"de": 3, "en": 3, "fr": 1}
    assert "Pia" not in repr(breakdown)


def test_open_reports_are_a_count(data):
    from exchanges.models import Message, Report

    message = Message.objects.filter(room__match=data.matches["M1"]).first()
    Report.objects.create(message=message, reporter=data.people["bruno"].user, reason="rude")
    assert open_reports(scope=Scope(program_ids=(data.program.pk,))) == 1
    assert open_reports(scope=Scope(program_ids=(data.other_program.pk,))) == 0


def test_the_weekly_rows_of_the_figures_match_the_chart(data):
    scope = Scope(program_ids=(data.program.pk,))
    assert metrics(scope=scope, period=SPRING)["weekly"] == weekly_sessions(
        scope=scope, period=SPRING
    )


def test_a_person_active_in_two_twinnings_counts_once_in_all_and_in_each(data):
    from exchanges.models import Match, Room, Session
    from tests.exchanges.metrics_fixtures import _present, _settle, at
    from tests.factories import MatchFactory, ParticipantFactory

    nagoya_city = data.nagoya_twinning.city_b
    kenji = ParticipantFactory(city=nagoya_city, onboarded_at=at(3, 2))
    kenji.programs.add(data.program)
    alice = data.people["alice"]
    m5 = MatchFactory(program=data.program, twinning=data.nagoya_twinning, participant_a=alice,
                      participant_b=kenji, status=Match.Status.ACTIVE, activated_at=at(3, 20))
    room = Room.objects.create(match=m5)
    session = Session.objects.create(match=m5, starts_at=at(4, 8, 9), minutes=60)
    _present(room, alice, (at(4, 8, 9), at(4, 8, 10)))
    _present(room, kenji, (at(4, 8, 9), at(4, 8, 10)))
    _settle(session)
    figures = _program(data)
    assert figures["totals"]["active_participants"] == 4  # Alice once, Bruno, Carla, Kenji
    rows = {row["id"]: row for row in figures["by_twinning"]}
    assert rows[data.twinning.pk]["active_participants"] == 3
    assert rows[data.nagoya_twinning.pk]["active_participants"] == 2  # Alice and Kenji
    cities = {row["name"]: row for row in figures["by_city"]}
    assert cities["London"]["active_participants"] == 2
    assert cities["名古屋"]["active_participants"] == 1


def test_a_compiled_batch_serves_only_its_own_scope_and_range(data):
    """The batch's SQL is compiled once per scope, range and twinnings (batch.run_batch_for):
    asking again, or for another range, gives each range its own figures."""
    from exchanges.selectors.metrics import batch

    spring, march_april = _program(data)["totals"], _program(data, MARCH_APRIL)["totals"]
    assert _program(data)["totals"] == spring
    assert _program(data, MARCH_APRIL)["totals"] == march_april
    assert spring["sessions_scheduled"] == 7 and march_april["sessions_scheduled"] == 5
    keys = [k for k in batch._COMPILED if k[1] == Scope(program_ids=(data.program.pk,))]
    from django.db import connection

    assert len(keys) == (2 if connection.vendor == "postgresql" else 0)


def test_the_weeks_people_are_the_same_read_from_the_summaries_across_programs(data):
    # Two programs are read from the per-session summaries, one from the roll-ups: each
    # week rests on the same people either way (the other program has no session).
    one = metrics(scope=Scope(program_ids=(data.program.pk,)), period=SPRING)["weekly"]
    both = metrics(scope=Scope(program_ids=(data.program.pk, data.other_program.pk)),
                   period=SPRING)["weekly"]
    assert both == one
    assert {w["week"]: w["active_participants"] for w in both if w["active_participants"]} == {
        "2026-03-16": 2, "2026-03-23": 3, "2026-04-20": 1, "2026-05-04": 2}
