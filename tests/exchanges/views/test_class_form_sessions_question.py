"""The class form asks before a save cancels scheduled class sessions: the same form
again, everything typed kept, the question (how many, with which partner class) and a
way to confirm; the confirmed save cancels them; a stale answer is asked again."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from exchanges.models import Classroom, Session
from exchanges.services.class_sessions import class_session_confirm, class_session_propose
from tests.exchanges.class_exchange_fixtures import active_exchange
from tests.exchanges.views.test_classrooms import class_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(client):
    """Coventry's teacher signed in, their class's Tuesday sessions with Dresden's 7c
    planned; (exchange, sessions, the edit page's url)."""
    exchange, _, _ = active_exchange(1, 1)
    a, b = exchange.classroom_a, exchange.classroom_b
    proposal = class_session_propose(exchange=exchange, by=a.teacher, weekday=1,
                                     local_start=dt.time(14, 0), minutes=45)
    sessions = class_session_confirm(proposal=proposal, by=b.teacher)
    client.force_login(a.teacher)
    return exchange, sessions, reverse("classroom_edit", args=[a.pk])


def _as_typed(room: Classroom, **overrides) -> dict:
    """The edit form's post for ``room`` as stored (its Tuesday and Thursday hours)."""
    data = class_form(
        room.city, name=room.name, school=room.school, term_start=room.term_start.isoformat(),
        term_end=room.term_end.isoformat(), **{
            "win-TOTAL_FORMS": 2, "win-0-weekday": 1, "win-0-start": "13:00",
            "win-0-end": "15:15", "win-1-weekday": 3, "win-1-start": "13:00",
            "win-1-end": "15:15",
        })
    data.update(overrides)
    return data


def _no_hours(room: Classroom) -> dict:
    return _as_typed(room, name="7B renamed", **{"win-0-DELETE": "on", "win-1-DELETE": "on"})


def _token(html: str) -> str:
    return re.search(r'name="sessions_confirmed" value="([^"]+)"', html).group(1)


def _scheduled(exchange) -> int:
    return Session.objects.filter(exchange=exchange, status=Session.Status.SCHEDULED).count()


def test_deleting_the_hours_asks_first_with_the_form_kept(client, planned):
    exchange, sessions, url = planned
    a, b = exchange.classroom_a, exchange.classroom_b
    asked = client.post(url, _no_hours(a))
    assert asked.status_code == 200
    html = asked.content.decode()
    question = html.split('id="sessions-question"', 1)[1].split("</div>", 1)[0]
    assert f"cancels {len(sessions)} class sessions planned outside them" in question
    assert f"{len(sessions)} with {b.name} ({b.city.name})" in question
    assert 'value="7B renamed"' in html  # what was typed stays
    assert "Yes, cancel these class sessions and save" in html
    assert _token(html)
    a.refresh_from_db()
    assert a.name == "7B" and a.hours.count() == 2
    assert _scheduled(exchange) == len(sessions)


def test_the_confirmed_save_cancels_the_sessions(client, planned):
    exchange, sessions, url = planned
    a = exchange.classroom_a
    token = _token(client.post(url, _no_hours(a)).content.decode())
    saved = client.post(url, {**_no_hours(a), "sessions_confirmed": token})
    assert saved.status_code == 302
    a.refresh_from_db()
    assert a.name == "7B renamed" and a.hours.count() == 0
    assert _scheduled(exchange) == 0


def test_a_stale_answer_is_asked_again(client, planned):
    exchange, sessions, url = planned
    a = exchange.classroom_a
    token = _token(client.post(url, _no_hours(a)).content.decode())
    Session.objects.filter(pk=sessions[-1].pk).update(status=Session.Status.CANCELLED)
    again = client.post(url, {**_no_hours(a), "sessions_confirmed": token})
    assert again.status_code == 200
    html = again.content.decode()
    assert f"cancels {len(sessions) - 1} class sessions planned" in html
    assert _token(html) != token
    a.refresh_from_db()
    assert a.name == "7B" and _scheduled(exchange) == len(sessions) - 1


def test_a_save_that_cancels_nothing_goes_through_at_once(client, planned):
    exchange, sessions, url = planned
    a = exchange.classroom_a
    saved = client.post(url, _as_typed(a, size=30))
    assert saved.status_code == 302
    a.refresh_from_db()
    assert a.size == 30 and _scheduled(exchange) == len(sessions)
