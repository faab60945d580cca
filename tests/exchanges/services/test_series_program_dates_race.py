"""A weekly series (a pair's, or a class exchange's) confirmed while an officer shortens
the program: the confirmation waits for the new dates, so it plans no session after the
program's new last day, which the date change, blind to sessions not yet committed,
would leave in people's calendars (PostgreSQL, two connections)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from exchanges.models import Program, Session
from exchanges.selectors.program_dates import program_dates_token, program_sessions_outside
from exchanges.services import programs
from exchanges.services.class_session_changes import (
    class_session_move_answer,
    class_session_move_propose,
)
from exchanges.services.class_sessions import class_session_confirm, class_session_propose
from exchanges.services.session_series import program_lock
from exchanges.services.sessions import session_move
from exchanges.services.slots import slot_confirm, slot_options, slot_propose
from exchanges.services.slots_bulk import slots_confirm_many
from tests.exchanges.class_exchange_fixtures import exchange_in_program
from tests.exchanges.classroom_fixtures import auckland_los_angeles_exchange
from tests.exchanges.lifecycle_fixtures import make_officer
from tests.exchanges.scheduling_fixtures import NOW, active_match, scheduled_match
from tests.exchanges.threads import Pause, race

pytestmark = pytest.mark.django_db(transaction=True)


def _shorten_paused(monkeypatch, program: Program, weeks: int, confirmed: str = ""):
    """The officer's change to ``weeks``, pausing once the new dates are saved under the
    program's lock (uncommitted) and the sessions outside them are chosen."""
    officer, refit, pause = make_officer(program), programs.program_sessions_refit, Pause()

    def pause_then_refit(**kwargs):
        pause.here()
        return refit(**kwargs)

    monkeypatch.setattr(programs, "program_sessions_refit", pause_then_refit)
    return pause, lambda: programs.program_update(
        program=program, by=officer, twinnings=list(program.twinnings.all()),
        completion_sessions=2, weeks=weeks, dates_confirmed=confirmed)


def _scheduled_after_last_day(program: Program) -> list[dt.datetime]:
    program.refresh_from_db()
    scheduled = Session.objects.filter(Q(match__program=program) | Q(exchange__program=program),
                                       status=Session.Status.SCHEDULED)
    return [s.starts_at for s in scheduled if s.starts_at.date() > program.last_day]


def test_a_pair_s_series_confirmed_during_a_shortening_stays_inside_the_new_dates(
    postgres, monkeypatch
):
    match = active_match()  # six weeks from Monday 1 March 2027
    program = match.program
    program.twinnings.add(match.twinning)
    option = slot_options(match=match, now=NOW)[0]
    proposal = slot_propose(match=match, by=match.participant_a, option=option, now=NOW)
    pause, shorten = _shorten_paused(monkeypatch, program, weeks=3)
    outcomes = race(
        ("shorten", shorten),
        ("confirm", lambda: slot_confirm(proposal=proposal, by=match.participant_b, now=NOW)),
        pause=pause,
    )
    assert isinstance(outcomes["shorten"], Program)
    assert len(outcomes["confirm"]) == 3  # the new three weeks, not the old six
    assert _scheduled_after_last_day(program) == []
    assert program.weeks == 3


def test_a_bulk_confirm_during_a_shortening_stays_inside_the_new_dates(postgres, monkeypatch):
    """The bulk confirmation (seeding, benchmarks) waits for every program it plans in:
    here the second of two, which an officer shortens from six weeks to three."""
    matches = [active_match(), active_match()]  # two programs, six weeks from 1 March 2027
    proposals = []
    for match in matches:
        match.program.twinnings.add(match.twinning)
        option = slot_options(match=match, now=NOW)[0]
        proposals.append(slot_propose(match=match, by=match.participant_a, option=option,
                                      now=NOW))
    shortened = matches[1].program
    pause, shorten = _shorten_paused(monkeypatch, shortened, weeks=3)
    outcomes = race(
        ("shorten", shorten),
        ("confirm", lambda: slots_confirm_many(proposals=proposals, now=NOW)),
        pause=pause,
    )
    assert isinstance(outcomes["shorten"], Program)
    assert outcomes["confirm"] == 6 + 3  # the kept program's six weeks, the new three
    assert _scheduled_after_last_day(shortened) == []
    assert shortened.weeks == 3
    assert Session.objects.filter(match=matches[0], status=Session.Status.SCHEDULED).count() == 6


def test_a_class_time_confirmed_during_a_shortening_stays_inside_the_new_dates(
    postgres, monkeypatch
):
    today = timezone.localdate()
    program, exchange, _pupils_a, _pupils_b = exchange_in_program(
        1, 1, start_date=today - dt.timedelta(days=today.weekday()), weeks=12)
    proposal = class_session_propose(exchange=exchange, by=exchange.classroom_a.teacher,
                                     weekday=1, local_start=dt.time(14, 0), minutes=45)
    pause, shorten = _shorten_paused(monkeypatch, program, weeks=4)
    outcomes = race(
        ("shorten", shorten),
        ("confirm", lambda: class_session_confirm(proposal=proposal,
                                                  by=exchange.classroom_b.teacher)),
        pause=pause,
    )
    assert isinstance(outcomes["shorten"], Program)
    assert isinstance(outcomes["confirm"], list) and outcomes["confirm"]
    assert _scheduled_after_last_day(program) == []


def test_two_confirmations_in_one_program_do_not_wait_for_each_other(postgres):
    """The program's lock for a confirmation is shared: a pair confirming its time while
    another pair of the program confirms theirs does not wait for it."""
    program = active_match().program
    pause = Pause()

    def first():
        with transaction.atomic():
            program_lock(program.pk)
            pause.here()  # its transaction open, the program's lock held
        return "held"

    def second():
        with transaction.atomic():
            program_lock(program.pk)
            return not pause.go.is_set()  # True: done while the first still holds it

    assert race(("first", first), ("second", second), pause=pause) == {
        "first": "held", "second": True}


def test_a_session_moved_during_a_shortening_is_not_left_past_the_new_last_day(
    postgres, monkeypatch
):
    """A move reads the program's dates under its lock too: moved into the weeks the
    shortening takes away, it waits for the new dates and is refused."""
    match, sessions = scheduled_match()  # six Mondays from 1 March 2027
    program = match.program
    program.twinnings.add(match.twinning)
    second = sorted(sessions, key=lambda s: s.starts_at)[1]
    later = second.starts_at + dt.timedelta(weeks=3, days=1)  # a Tuesday in week five
    pause, shorten = _shorten_paused(monkeypatch, program, weeks=3,
                                     confirmed="2027-03-01/3/3")
    outcomes = race(
        ("shorten", shorten),
        ("move", lambda: session_move(session=second, by=match.participant_a,
                                      new_start=later, now=NOW)),
        pause=pause,
    )
    assert isinstance(outcomes["shorten"], Program)
    assert isinstance(outcomes["move"], ValidationError)
    assert _scheduled_after_last_day(program) == []


def test_a_class_move_confirmed_during_a_shortening_is_not_left_past_the_new_last_day(
    postgres, monkeypatch
):
    exchange = auckland_los_angeles_exchange()  # 20 weeks from a week ago
    program = exchange.program
    teacher_a, teacher_b = exchange.classroom_a.teacher, exchange.classroom_b.teacher
    proposal = class_session_propose(exchange=exchange, by=teacher_a, weekday=1,
                                     local_start=dt.time(9, 0), minutes=45)
    sessions = sorted(class_session_confirm(proposal=proposal, by=teacher_b),
                      key=lambda s: s.starts_at)
    session = sessions[0]
    later = session.starts_at + dt.timedelta(weeks=8, hours=1)  # ten weeks in, 10:00
    class_session_move_propose(session=session, by=teacher_a, new_start=later)
    outside = program_sessions_outside(program=program, start_date=program.start_date,
                                       weeks=4, now=timezone.now())
    token = program_dates_token(start_date=program.start_date, weeks=4, count=len(outside))
    pause, shorten = _shorten_paused(monkeypatch, program, weeks=4, confirmed=token)
    outcomes = race(
        ("shorten", shorten),
        ("answer", lambda: class_session_move_answer(session=session, by=teacher_b,
                                                     accept=True)),
        pause=pause,
    )
    assert isinstance(outcomes["shorten"], Program)
    assert isinstance(outcomes["answer"], ValidationError)
    assert _scheduled_after_last_day(program) == []
