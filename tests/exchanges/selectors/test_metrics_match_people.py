"""The people behind the rates over matches and sessions (acceptance rate, messages per
active match, attendance rate): a rate over matches rests on the fewest people its matches
can be among, not two per match (a citizen with three partners is four people in three
matches; 4 people make at most 6 pairs), so it shows from seven matches on; the attendance
rate rests on the people who attended, not their person-sessions."""

import datetime as dt

import pytest
from django.urls import reverse

from exchanges.models import Match, Room
from exchanges.selectors.metrics import Period, Scope, metrics
from exchanges.selectors.metrics.small_rows import figures_hidden
from exchanges.services.metrics import metrics_refresh
from tests.exchanges.metrics_fixtures import _present, _session, _settle, at
from tests.factories import (
    CityFactory,
    MatchFactory,
    ParticipantFactory,
    ProgramFactory,
    TwinningFactory,
    officer_of,
)

pytestmark = pytest.mark.django_db

SPRING = Period(dt.date(2026, 3, 1), dt.date(2026, 5, 31))
RATES = ("acceptance_rate", "messages_per_active_match")


def _program_with(pairs: list[tuple[str, str]], sessions: int = 0, at_once: bool = False):
    """A program over one twinning whose active matches (accepted in March) are ``pairs``
    of names ("a…" in the first city, "b…" in the second), with five more people in each
    city who are never matched, so that the counts of people of the program and of its
    cities are not small; each match holds ``sessions`` sessions in April (a day each, or
    all matches' on the same days ``at_once``) that both partners attend."""
    london = CityFactory(name="London", country="GB", tz="Europe/London")
    bonn = CityFactory(name="Bonn", country="DE", tz="Europe/Berlin")
    twinning = TwinningFactory(city_a=london, city_b=bonn)
    program = ProgramFactory(start_date=dt.date(2026, 3, 1), twinnings=[twinning])
    people = {}
    names = {name for pair in pairs for name in pair}
    names |= {f"{side}-alone-{n}" for side in "ab" for n in range(5)}
    for name in sorted(names):
        people[name] = ParticipantFactory(
            city=london if name.startswith("a") else bonn, capacity=3, onboarded_at=at(3, 2))
        people[name].programs.add(program)
    for n, (a, b) in enumerate(pairs):
        made = MatchFactory(program=program, twinning=twinning, participant_a=people[a],
                            participant_b=people[b], status=Match.Status.ACTIVE,
                            activated_at=at(3, 10), a_accepted_at=at(3, 9),
                            b_accepted_at=at(3, 10))
        Match.objects.filter(pk=made.pk).update(created_at=at(3, 8))
        room = Room.objects.create(match=made)
        first = 1 if at_once else 1 + n * sessions
        for day in range(first, first + sessions):
            session = _session(made, at(4, day, 18))
            for person in (people[a], people[b]):
                _present(room, person, (at(4, day, 18), at(4, day, 19)))
            _settle(session)
    metrics_refresh(full=True, now=at(6, 1))
    return program


def _hidden(program):
    figures = metrics(scope=Scope(program_ids=(program.pk,)), period=SPRING)
    assert figures["totals"]["acceptance_rate"] == 1.0
    return figures_hidden(figures)


def test_three_matches_of_one_citizen_with_three_partners_hide_the_rates():
    # Four people in three matches: 6 "people" counted two per match would show them.
    hidden = _hidden(_program_with([("a1", "b1"), ("a1", "b2"), ("a1", "b3")]))
    for part in (hidden["totals"], hidden["by_twinning"][0], *hidden["by_city"]):
        # Hidden with the count of people they would give back ("—" on the page).
        assert set(RATES) <= set(part), part


def test_three_matches_of_two_citizens_with_one_partner_in_common_hide_the_rates():
    # a1–b1, a2–b1, a2–b2 ... as pupils paired more than once: 4 people, 3 matches.
    hidden = _hidden(_program_with([("a1", "b1"), ("a2", "b1"), ("a2", "b2")]))
    assert set(RATES) <= set(hidden["totals"])


def test_up_to_six_matches_hide_the_rates_whoever_is_in_them():
    # Five people here, but the counts kept of past matches do not say so: three matches
    # may be four people.
    hidden = _hidden(_program_with([("a1", "b1"), ("a1", "b2"), ("a2", "b3")]))
    assert set(RATES) <= set(hidden["totals"])


def test_seven_matches_show_the_rates_even_with_a_citizen_of_three_partners():
    hidden = _hidden(_program_with([("a1", "b1"), ("a1", "b2"), ("a1", "b3"), ("a2", "b4"),
                                    ("a3", "b5"), ("a4", "b6"), ("a5", "b7")]))
    for part in (hidden["totals"], hidden["by_twinning"][0], *hidden["by_city"]):
        assert not set(RATES) & set(part), part


def test_sessions_of_four_people_hide_the_attendance_rate_however_many_they_attended():
    # 3 matches of one citizen, 2 sessions each: 12 attendances, 4 people.
    program = _program_with([("a1", "b1"), ("a1", "b2"), ("a1", "b3")], sessions=2)
    figures = metrics(scope=Scope(program_ids=(program.pk,)), period=SPRING)
    assert figures["totals"]["attendance_rate"] == 1.0
    assert figures["totals"]["active_participants"] == 4
    assert "attendance_rate" in figures_hidden(figures)["totals"]


def test_sessions_of_five_people_show_the_attendance_rate():
    program = _program_with([("a1", "b1"), ("a1", "b2"), ("a2", "b3")], sessions=1)
    figures = metrics(scope=Scope(program_ids=(program.pk,)), period=SPRING)
    assert figures["totals"]["active_participants"] == 5
    assert figures["totals"]["attendance_rate"] == 1.0
    assert "attendance_rate" not in figures_hidden(figures)["totals"]


def test_the_json_export_withholds_the_rates_of_four_people_in_three_matches(client):
    program = _program_with([("a1", "b1"), ("a1", "b2"), ("a1", "b3")])
    client.force_login(officer_of(program))
    body = client.get(reverse("program_metrics_json", args=[program.slug]),
                      {"from": "2026-03-01", "to": "2026-05-31"}).json()
    for rate in RATES:
        assert body[rate] is None and rate in body["hidden"], rate
        assert body["by_twinning"][0][rate] is None, rate


def test_sessions_at_the_same_time_count_their_person_active_once():
    # a1's two partners' sessions start at the same instant (a clash made in the admin,
    # say): a1 is one active person, whichever of the two comes first.
    program = _program_with([("a1", "b1"), ("a1", "b2")], sessions=1, at_once=True)
    figures = metrics(scope=Scope(program_ids=(program.pk,)), period=SPRING)
    assert figures["totals"]["sessions_held"] == 2
    assert figures["totals"]["active_participants"] == 3
