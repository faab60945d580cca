"""Settling sessions while the beat refreshes the figures, on two real PostgreSQL
connections: neither dies on a deadlock, and the summaries and roll-ups end up counting
what was settled (a refresh that read the sessions before the settling committed must not
write its older rows over the settled ones)."""

import datetime as dt
import threading

import pytest
from django.utils import timezone

from exchanges.models import Room, Session, SessionDay, SessionSummary, SummaryMark
from exchanges.services import attendance, metrics, summary_upsert
from exchanges.services.attendance import attendance_join, attendance_leave
from exchanges.services.metrics import metrics_refresh
from exchanges.services.metrics_rollups import EPOCH
from tests.exchanges.metrics_fixtures import at, build_dataset, proposed_today
from tests.exchanges.threads import Pause, race

pytestmark = pytest.mark.django_db(transaction=True)


def _race(monkeypatch, *, full: bool, pause_after: int = 1) -> dict:
    """Settle the ended sessions in one batch, pausing (its transaction open) after the
    ``pause_after``-th session's summaries are written; meanwhile run the beat's refresh
    (``full`` or since the last run) until it waits on a lock; then let both finish."""
    refresh = attendance.session_summaries_refresh
    written, pause = [], Pause()

    def refresh_then_pause(**kwargs):
        refresh(**kwargs)
        written.append(kwargs["session_ids"])
        if len(written) == pause_after:
            pause.here()

    monkeypatch.setattr(attendance, "session_summaries_refresh", refresh_then_pause)
    last = Session.objects.filter(status=Session.Status.SCHEDULED).latest("starts_at")
    return race(
        ("settle", lambda: attendance.sessions_settle_finished(
            now=last.starts_at + dt.timedelta(minutes=80))),
        ("refresh", lambda: metrics_refresh(full=full, now=timezone.now())),
        pause=pause,
    )


def _held_session(data, day):
    m1 = data.matches["M1"]
    session = Session.objects.create(match=m1, starts_at=at(6, day, 18), minutes=60)
    room = Room.objects.get(match=m1)
    for person in (data.people["alice"], data.people["bruno"]):
        attendance_join(room=room, user_id=person.user_id, at=at(6, day, 18, 5))
        attendance_leave(room=room, user_id=person.user_id, at=at(6, day, 18, 35))
    return session


def _day(session) -> SessionDay:
    return SessionDay.objects.get(day=session.starts_at.date(), kept=False)


@pytest.fixture
def data():
    data = build_dataset()
    # The incremental refresh takes every session as changed since its last run.
    SummaryMark.objects.filter(name=SummaryMark.METRICS).update(refreshed_until=EPOCH)
    return data


@pytest.mark.parametrize("full", [True, False], ids=["full", "since-last-run"])
def test_a_refresh_during_a_settle_does_not_write_the_session_back_unsettled(
    postgres, monkeypatch, data, full
):
    session = _held_session(data, 7)
    outcomes = _race(monkeypatch, full=full)
    assert outcomes["settle"] == 1, outcomes
    assert isinstance(outcomes["refresh"], dict), outcomes
    summary = SessionSummary.objects.get(session=session)
    assert (summary.status, summary.together_seconds) == ("held", 30 * 60)
    day = _day(session)
    assert (day.scheduled, day.held, day.a_came, day.b_came) == (1, 1, 1, 1)


@pytest.mark.parametrize("full", [True, False], ids=["full", "since-last-run"])
def test_a_refresh_and_a_settle_of_two_sessions_do_not_deadlock(
    postgres, monkeypatch, data, full
):
    """The batch settles the session starting first (created last, so with the higher
    id) first; the refresh takes its sessions a batch of ids at a time (2,000: one here,
    as with many sessions), so it reaches the other session first."""
    later = Session.objects.create(match=data.matches["M1"], starts_at=at(6, 14, 18), minutes=60)
    earlier = _held_session(data, 7)
    assert earlier.pk > later.pk
    chunks = summary_upsert.id_chunks
    monkeypatch.setattr(metrics, "id_chunks", lambda ids: chunks(ids, 1))
    outcomes = _race(monkeypatch, full=full)
    assert outcomes["settle"] == 2, outcomes
    assert isinstance(outcomes["refresh"], dict), outcomes
    statuses = dict(SessionSummary.objects.filter(session__in=(earlier, later))
                    .values_list("session_id", "status"))
    assert statuses == {earlier.pk: "held", later.pk: "missed"}
    assert (_day(earlier).held, _day(later).missed) == (1, 1)


def test_a_match_becoming_active_during_a_full_refresh_does_not_deadlock(
    postgres, monkeypatch, data
):
    """The activation holds the match (written) and waits for the partners' summaries,
    which the full refresh holds; the refresh then rebuilds the match roll-up, which waits
    for writes to matches to end."""
    from exchanges.models import Match, MatchDay, ParticipantSummary
    from exchanges.services.matches import match_accept

    emma, dieter = data.people["emma"], data.people["dieter"]
    m4 = proposed_today(data.matches["M4"])
    match_accept(match=m4, by=emma)
    refresh, pause = metrics.participant_summaries_refresh, Pause()

    def refresh_then_pause(**kwargs):
        written = refresh(**kwargs)
        if kwargs["program_id"] == data.program.pk:
            pause.here()
        return written

    monkeypatch.setattr(metrics, "participant_summaries_refresh", refresh_then_pause)
    outcomes = race(("refresh", lambda: metrics_refresh(full=True, now=timezone.now())),
                    ("accept", lambda: match_accept(match=m4, by=dieter)), pause=pause)
    assert isinstance(outcomes["refresh"], dict), outcomes
    assert isinstance(outcomes["accept"], Match), outcomes
    summary = ParticipantSummary.objects.get(participant=emma, program=data.program)
    assert summary.first_active_at is not None
    activated = MatchDay.objects.filter(program_id=data.program.pk, kind=MatchDay.Kind.ACTIVATED)
    assert sum(activated.values_list("count", flat=True)) == 3  # M1, M2 and now M4


def test_a_full_refresh_during_a_pupils_removal_stops_counting_them(postgres, monkeypatch):
    """The refresh reads the class sessions while the removal (which recounts them) has
    not committed: it must not write them back with the pupil counted."""
    from exchanges.services.pupils import pupil_remove
    from tests.exchanges.pupil_attendance_fixtures import classes_with_attendance

    classes = classes_with_attendance()
    metrics_refresh(full=True)
    counts = SessionSummary.objects.filter(session=classes.sessions["S1"])
    assert counts.values_list("a_pupils", "a_pupils_came").get() == (5, 2)
    refresh, pause = metrics.session_summaries_refresh, Pause()

    def refresh_then_pause(**kwargs):
        written = refresh(**kwargs)
        if threading.current_thread().name == "remove":
            pause.here()
        return written

    monkeypatch.setattr(metrics, "session_summaries_refresh", refresh_then_pause)
    teacher = classes.exchange.classroom_a.teacher
    outcomes = race(("remove", lambda: pupil_remove(pupil=classes.pupils["a1"], by=teacher)),
                    ("refresh", lambda: metrics_refresh(full=True)), pause=pause)
    assert outcomes["remove"] is None, outcomes
    assert isinstance(outcomes["refresh"], dict), outcomes
    assert counts.values_list("a_pupils", "a_pupils_came").get() == (4, 1)
    day = SessionDay.objects.get(day=classes.sessions["S1"].starts_at.date(), kept=False)
    assert (day.a_sessions, day.a_came) == (4, 1)
