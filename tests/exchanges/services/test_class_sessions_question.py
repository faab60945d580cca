"""A teacher's class edit that would cancel scheduled class sessions (other hours, a
shorter term, a holiday) asks first, naming how many and with which partner class:
nothing is saved until the teacher confirms exactly those sessions; an edit that cancels
nothing saves at once."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from exchanges.models import Notification, SchoolHours, Session
from exchanges.services.class_sessions import class_session_confirm, class_session_propose
from exchanges.services.classrooms import classroom_update
from tests.exchanges.class_exchange_fixtures import active_exchange
from tests.exchanges.services.test_class_sessions import _as_input

pytestmark = pytest.mark.django_db
TUESDAY = 1


@pytest.fixture
def planned():
    """An active exchange (Coventry 7B, Dresden 7c) with its Tuesday sessions planned;
    (exchange, the sessions)."""
    exchange, _, _ = active_exchange(1, 1)
    a, b = exchange.classroom_a, exchange.classroom_b
    proposal = class_session_propose(exchange=exchange, by=a.teacher, weekday=TUESDAY,
                                     local_start=dt.time(14, 0), minutes=45)
    return exchange, class_session_confirm(proposal=proposal, by=b.teacher)


def _asked(room, data) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        classroom_update(classroom=room, by=room.teacher, data=data)
    return refused.value


def _scheduled(exchange) -> int:
    return Session.objects.filter(exchange=exchange, status=Session.Status.SCHEDULED).count()


def test_deleting_the_school_hours_asks_first_and_saves_nothing(planned):
    exchange, sessions = planned
    a, b = exchange.classroom_a, exchange.classroom_b
    question = _asked(a, _as_input(a, name="7B renamed", hours=[]))
    assert question.code == "class_sessions_unconfirmed"
    assert question.params["count"] == len(sessions)
    assert question.params["partners"] == [(b, len(sessions))]
    text = question.message % question.params
    assert f"cancels {len(sessions)} class sessions planned outside them" in text
    assert f"{len(sessions)} with {b.name} ({b.city.name})" in text
    assert "Nothing is saved until you confirm" in text
    a.refresh_from_db()
    assert a.name == "7B" and SchoolHours.objects.filter(classroom=a).count() == 2
    assert _scheduled(exchange) == len(sessions)
    assert not Notification.objects.filter(kind="class_session.cancelled").exists()


def test_the_confirmed_save_cancels_the_sessions_and_tells_both_teachers(planned):
    exchange, sessions = planned
    a, b = exchange.classroom_a, exchange.classroom_b
    data = _as_input(a, name="7B renamed", hours=[])
    token = _asked(a, data).params["token"]
    classroom_update(classroom=a, by=a.teacher, data=data, sessions_confirmed=token)
    a.refresh_from_db()
    assert a.name == "7B renamed" and not SchoolHours.objects.filter(classroom=a).exists()
    assert _scheduled(exchange) == 0
    for who in (a.teacher, b.teacher):
        told = Notification.objects.get(user=who, kind="class_session.cancelled")
        assert told.params["n"] == len(sessions)


def test_an_edit_that_cancels_nothing_saves_at_once(planned):
    exchange, sessions = planned
    a = exchange.classroom_a
    saved = classroom_update(classroom=a, by=a.teacher, data=_as_input(a, size=30))
    assert saved.size == 30
    assert _scheduled(exchange) == len(sessions)


def test_an_answer_to_other_sessions_is_asked_again(planned):
    exchange, sessions = planned
    a = exchange.classroom_a
    data = _as_input(a, hours=[])
    token = _asked(a, data).params["token"]
    # One of them is cancelled meanwhile: the yes was to another question.
    Session.objects.filter(pk=sessions[-1].pk).update(status=Session.Status.CANCELLED)
    again = _asked(a, data)
    assert again.params["count"] == len(sessions) - 1
    assert again.params["token"] != token
    with pytest.raises(ValidationError):
        classroom_update(classroom=a, by=a.teacher, data=data, sessions_confirmed=token)
    assert _scheduled(exchange) == len(sessions) - 1
    classroom_update(classroom=a, by=a.teacher, data=data,
                     sessions_confirmed=again.params["token"])
    assert _scheduled(exchange) == 0


def test_a_session_moved_meanwhile_is_asked_about_again(planned):
    exchange, sessions = planned
    a = exchange.classroom_a
    data = _as_input(a, hours=[])
    token = _asked(a, data).params["token"]
    moved = sessions[0].starts_at + dt.timedelta(minutes=15)
    Session.objects.filter(pk=sessions[0].pk).update(starts_at=moved)
    again = _asked(a, data)
    assert again.params["count"] == len(sessions)
    assert again.params["token"] != token
