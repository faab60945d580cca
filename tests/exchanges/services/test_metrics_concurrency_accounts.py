"""A person closing their account, and a profile edit, while the figures are being
settled or refreshed, on two real PostgreSQL connections: neither dies on a deadlock,
and the figures counted afterwards are what either order one after the other gives."""

import datetime as dt
import threading

import pytest
from django.db.models import Sum

from exchanges.models import Room, Session, SessionDay, SummaryMark
from exchanges.services import attendance, metrics_kept
from exchanges.services.accounts import account_delete
from exchanges.services.attendance import attendance_join, attendance_leave
from exchanges.services.metrics import metrics_refresh
from exchanges.services.metrics_rollups import EPOCH
from tests.exchanges.metrics_fixtures import at, build_dataset
from tests.exchanges.threads import blocked_on_a_lock, start

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery"  # tests/factories.py
COUNTS = ("scheduled", "held", "missed", "a_came", "b_came", "together_seconds")


@pytest.fixture
def data():
    data = build_dataset()
    SummaryMark.objects.filter(name=SummaryMark.METRICS).update(refreshed_until=EPOCH)
    return data


def _ended_session(data) -> Session:
    """Alice and Bruno both came for half an hour; the session is not settled yet."""
    m1 = data.matches["M1"]
    session = Session.objects.create(match=m1, starts_at=at(6, 7, 18), minutes=60)
    room = Room.objects.get(match=m1)
    for person in (data.people["alice"], data.people["bruno"]):
        attendance_join(room=room, user_id=person.user_id, at=at(6, 7, 18, 5))
        attendance_leave(room=room, user_id=person.user_id, at=at(6, 7, 18, 35))
    return session


def _counted(session) -> dict:
    """The session's day as the figures read it: rebuilt and kept rows together."""
    return SessionDay.objects.filter(day=session.starts_at.date()).aggregate(
        **{c: Sum(c) for c in COUNTS})


def _pause(module, name: str, thread: str, paused, go) -> None:
    """Make ``module.name`` wait for ``go`` (its transaction open) when called on the
    thread ``thread``, after setting ``paused``."""
    real = getattr(module, name)

    def waiting(*args, **kwargs):
        if threading.current_thread().name == thread:
            paused.set()
            go.wait(30)
        return real(*args, **kwargs)

    return waiting


def _settle(session):
    return attendance.sessions_settle_finished(now=session.starts_at + dt.timedelta(minutes=80))


def _delete(data):
    return account_delete(user=data.people["alice"].user, password=PASSWORD)


def test_an_account_deleted_while_a_settle_holds_its_session_keeps_it_held(
    postgres, monkeypatch, data
):
    """The settle has claimed Alice's ended session and stops before settling it; her
    account's deletion comes meanwhile and waits; the settle goes on. The deletion keeps
    the session as settled: held once, with both who came."""
    session = _ended_session(data)
    paused, go, outcomes = threading.Event(), threading.Event(), {}
    monkeypatch.setattr(attendance, "session_settle",
                        _pause(attendance, "session_settle", "settle", paused, go))
    settler = start(outcomes, "settle", lambda: _settle(session), done=paused)
    paused.wait(30)
    deleter = start(outcomes, "delete", lambda: _delete(data), done=paused)
    blocked_on_a_lock(deleter)
    go.set()
    settler.join(60)
    deleter.join(60)
    assert outcomes == {"settle": 1, "delete": None}, outcomes
    assert not Session.objects.filter(pk=session.pk).exists()
    held = {"scheduled": 1, "held": 1, "missed": 0, "a_came": 1, "b_came": 1,
            "together_seconds": 30 * 60}
    assert _counted(session) == held
    metrics_refresh(full=True)  # the kept rows are counted once
    assert _counted(session) == held


def test_a_settle_during_an_account_deletion_leaves_the_session_to_it(
    postgres, monkeypatch, data
):
    """The deletion has begun keeping the figures (its lock taken) and stops; the settle
    comes meanwhile and waits. The session goes with the account unsettled: kept as
    scheduled, and the settle finds nothing left to settle."""
    session = _ended_session(data)
    paused, go, outcomes = threading.Event(), threading.Event(), {}
    monkeypatch.setattr(metrics_kept, "_partners_keep",
                        _pause(metrics_kept, "_partners_keep", "delete", paused, go))
    deleter = start(outcomes, "delete", lambda: _delete(data), done=paused)
    paused.wait(30)
    settler = start(outcomes, "settle", lambda: _settle(session), done=paused)
    blocked_on_a_lock(settler)
    go.set()
    settler.join(60)
    deleter.join(60)
    assert outcomes == {"settle": 0, "delete": None}, outcomes
    unsettled = {"scheduled": 1, "held": 0, "missed": 0, "a_came": 0, "b_came": 0,
                 "together_seconds": 0}
    assert _counted(session) == unsettled
    metrics_refresh(full=True)
    assert _counted(session) == unsettled


