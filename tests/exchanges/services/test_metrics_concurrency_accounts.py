"""A person closing their account, and a profile edit, while the figures are being
settled or refreshed, on two real PostgreSQL connections: neither dies on a deadlock,
and the figures counted afterwards are what either order one after the other gives."""

import datetime as dt
import threading

import pytest
from django.db.models import Sum

from exchanges.models import (
    LanguageDay,
    Participant,
    ParticipantSummary,
    PeopleDay,
    ProfileDay,
    RegisterPeopleDay,
    Room,
    Session,
    SessionDay,
    SummaryMark,
)
from exchanges.services import attendance, metrics_kept, metrics_participants
from exchanges.services.accounts import account_delete
from exchanges.services.attendance import attendance_join, attendance_leave
from exchanges.services.metrics import metrics_refresh
from exchanges.services.metrics_rollups import EPOCH
from exchanges.services.participants import (
    LanguageInput,
    WindowInput,
    participant_update_profile,
)
from tests.exchanges.metrics_fixtures import at, build_dataset
from tests.exchanges.threads import Pause, race

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


def _pause(monkeypatch, module, name: str, thread: str) -> Pause:
    """Make ``module.name`` stop at the pause returned (its transaction open) when called
    on the thread ``thread``."""
    real, pause = getattr(module, name), Pause()

    def waiting(*args, **kwargs):
        if threading.current_thread().name == thread:
            pause.here()
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, waiting)
    return pause


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
    pause = _pause(monkeypatch, attendance, "session_settle", "settle")
    outcomes = race(("settle", lambda: _settle(session)),
                    ("delete", lambda: _delete(data)), pause=pause)
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
    pause = _pause(monkeypatch, metrics_kept, "_partners_keep", "delete")
    outcomes = race(("delete", lambda: _delete(data)),
                    ("settle", lambda: _settle(session)), pause=pause)
    assert outcomes == {"settle": 0, "delete": None}, outcomes
    unsettled = {"scheduled": 1, "held": 0, "missed": 0, "a_came": 0, "b_came": 0,
                 "together_seconds": 0}
    assert _counted(session) == unsettled
    metrics_refresh(full=True)
    assert _counted(session) == unsettled



# --- A profile edit during the nightly full refresh -----------------------------------------

ROLLUPS = (PeopleDay, ProfileDay, LanguageDay, RegisterPeopleDay)


def _rollups() -> dict:
    """The roll-ups the participant summaries make, row by row (ids aside)."""
    return {model.__name__: sorted(
        tuple(sorted((k, str(v)) for k, v in row.items() if k != "id"))
        for row in model.objects.values()) for model in ROLLUPS}


def _edit(data):
    alice = Participant.objects.get(pk=data.people["alice"].pk)
    return participant_update_profile(
        participant=alice, city=data.dusseldorf, birth_year=1991,
        languages=[LanguageInput("en", "native", False), LanguageInput("fr", "B1", True)],
        interests=["Cycling"], windows=[WindowInput(0, dt.time(18), dt.time(20))],
    )


def _edited_as_saved(data, outcomes) -> None:
    assert isinstance(outcomes["refresh"], dict), outcomes
    assert isinstance(outcomes["edit"], Participant), outcomes
    summary = ParticipantSummary.objects.get(participant=data.people["alice"],
                                             program=data.program)
    assert (summary.city_id, summary.birth_year) == (data.dusseldorf.pk, 1991)
    # What a refresh from the saved profiles now gives: nothing is left stale.
    rollups = _rollups()
    metrics_refresh(full=True)
    assert _rollups() == rollups


def test_a_profile_edit_committed_while_the_full_refresh_writes_is_not_overwritten(
    postgres, monkeypatch, data
):
    """The full refresh has read the profiles and stops before writing their summaries;
    Alice moves to Düsseldorf meanwhile (a new birth year, a new language learned)."""
    metrics_refresh(full=True)
    pause = _pause(monkeypatch, metrics_participants, "upsert_rows", "refresh")
    outcomes = race(("refresh", lambda: metrics_refresh(full=True)),
                    ("edit", lambda: _edit(data)), pause=pause)
    _edited_as_saved(data, outcomes)


def test_a_full_refresh_waiting_on_a_profile_edit_reads_the_edited_profile(
    postgres, monkeypatch, data
):
    """Alice's edit has written her summary and stops before its roll-ups; the full
    refresh comes meanwhile and waits for it."""
    metrics_refresh(full=True)
    pause = _pause(monkeypatch, metrics_participants, "people_days_refresh", "edit")
    outcomes = race(("edit", lambda: _edit(data)),
                    ("refresh", lambda: metrics_refresh(full=True)), pause=pause)
    _edited_as_saved(data, outcomes)


# --- A profile edit of a member who has no summary row yet ----------------------------------


def _without_summary(data) -> None:
    """Alice is in the program with no summary row yet (as after the admin's participant
    form enrols her: the nightly refresh writes it)."""
    metrics_refresh(full=True)
    ParticipantSummary.objects.filter(participant=data.people["alice"],
                                      program=data.program).delete()


def test_a_profile_edit_committed_while_the_full_refresh_writes_a_new_summary_is_kept(
    postgres, monkeypatch, data
):
    """The full refresh has read the profiles (Alice's among them, no row of hers to lock)
    and stops before writing; Alice's edit writes her summary and commits meanwhile."""
    _without_summary(data)
    pause = _pause(monkeypatch, metrics_participants, "upsert_rows", "refresh")
    outcomes = race(("refresh", lambda: metrics_refresh(full=True)),
                    ("edit", lambda: _edit(data)), pause=pause)
    _edited_as_saved(data, outcomes)


def test_a_full_refresh_during_the_edit_that_writes_a_new_summary_reads_the_edit(
    postgres, monkeypatch, data
):
    """Alice's edit has written her first summary and stops before its roll-ups; the full
    refresh comes meanwhile (her row not yet visible to it)."""
    _without_summary(data)
    pause = _pause(monkeypatch, metrics_participants, "people_days_refresh", "edit")
    outcomes = race(("edit", lambda: _edit(data)),
                    ("refresh", lambda: metrics_refresh(full=True)), pause=pause)
    _edited_as_saved(data, outcomes)
