"""Attendance at class sessions is by pupil: sockets in the class room or a pair's room
count, teachers' do not; settling marks every pupil of both classes who was in their
class when the session began."""

import datetime as dt

import pytest
from django.utils import timezone

from exchanges.models import Attendance, PresenceInterval, Session
from exchanges.services.attendance import (
    attendance_join,
    attendance_leave,
    sessions_settle_finished,
)
from tests.exchanges.class_exchange_fixtures import (
    active_exchange,
    confirmed_pairing,
    pupil_stayed,
    pupils_in_class_since,
    pupils_joined_class,
)

pytestmark = pytest.mark.django_db


def _session(exchange, start):
    """A class session at ``start``, its pupils in their classes a day before it."""
    pupils_in_class_since(exchange, start - dt.timedelta(days=1))
    return Session.objects.create(exchange=exchange, starts_at=start, minutes=45)


def _session_begun(exchange, ago: dt.timedelta):
    """(start, session): a class session that began ``ago`` (to the second)."""
    start = timezone.now().replace(microsecond=0) - ago
    return start, _session(exchange, start)


def test_pupils_in_the_class_room_are_counted_teachers_are_not():
    exchange, pupils_a, pupils_b = active_exchange(2, 2)
    start, session = _session_begun(exchange, dt.timedelta(hours=2))
    room = exchange.room
    came, stayed_away = pupils_a[0], pupils_b[0]
    attendance_join(room=room, user_id=came.user_id, at=start - dt.timedelta(minutes=5))
    attendance_join(room=room, user_id=exchange.classroom_a.teacher_id, at=start)
    attendance_leave(room=room, user_id=came.user_id, at=start + dt.timedelta(minutes=30))
    row = Attendance.objects.get(session=session, participant=came)
    assert row.seconds_present == 30 * 60 and row.open_connections == 0
    # The first pupil's join made every pupil's row (4, pending); only theirs is joined.
    assert Attendance.objects.filter(session=session).count() == 4
    assert list(Attendance.objects.filter(session=session, first_join__isnull=False)
                .values_list("participant_id", flat=True)) == [came.pk]
    assert sessions_settle_finished(now=start + dt.timedelta(hours=1, minutes=30)) == 1
    session.refresh_from_db()
    assert session.status == Session.Status.MISSED  # only one class came
    statuses = dict(Attendance.objects.filter(session=session).values_list(
        "participant_id", "status"))
    assert statuses[came.pk] == Attendance.Status.ATTENDED
    assert statuses[stayed_away.pk] == Attendance.Status.MISSED
    assert len(statuses) == 4


def test_a_pupils_join_after_the_first_is_one_update(django_assert_num_queries):
    exchange, pupils_a, pupils_b = active_exchange(2, 2)
    start, session = _session_begun(exchange, dt.timedelta(minutes=10))
    attendance_join(room=exchange.room, user_id=pupils_a[0].user_id, at=start)
    # The session, the pupil, one UPDATE: the rows were made by the first join.
    with django_assert_num_queries(3):
        attendance_join(room=exchange.room, user_id=pupils_b[1].user_id, at=start)
    row = Attendance.objects.get(session=session, participant=pupils_b[1])
    assert (row.open_connections, row.first_join, row.open_since) == (1, start, start)


def test_a_session_is_held_when_both_classes_came_and_a_pupil_still_there_is_kept():
    exchange, pupils_a, pupils_b = active_exchange(2, 2)
    start, session = _session_begun(exchange, dt.timedelta(hours=2))
    room = exchange.room
    pupil_stayed(room, pupils_a[0], start, minutes=20)
    # Class B's pupil never leaves (a closed laptop): counted to the session's end.
    attendance_join(room=room, user_id=pupils_b[1].user_id, at=start + dt.timedelta(minutes=5))
    sessions_settle_finished(now=start + dt.timedelta(hours=1, minutes=30))
    session.refresh_from_db()
    assert session.status == Session.Status.HELD
    stretches = PresenceInterval.objects.filter(attendance__session=session)
    assert sorted(stretches.values_list("started_at", "ended_at")) == [
        (start, start + dt.timedelta(minutes=20)),
        (start + dt.timedelta(minutes=5), start + dt.timedelta(minutes=45)),
    ]


def test_pupils_in_their_pairs_rooms_are_counted_and_nobody_means_missed():
    exchange, pupils_a, pupils_b, pairing = confirmed_pairing(2, 2)
    start, held = _session_begun(exchange, dt.timedelta(hours=3))
    empty = _session(exchange, start + dt.timedelta(hours=1))
    for pupil in (pupils_a[0], pupils_b[1]):
        pupil_stayed(pairing.groups.get(members=pupil).room, pupil, start, minutes=20)
    assert Attendance.objects.get(session=held, participant=pupils_a[0]).seconds_present == 1200
    sessions_settle_finished(now=start + dt.timedelta(hours=3))
    held.refresh_from_db()
    empty.refresh_from_db()
    assert (held.status, empty.status) == (Session.Status.HELD, Session.Status.MISSED)


def test_a_pupil_who_joined_the_class_after_the_start_is_not_marked_missed():
    exchange, pupils_a, pupils_b = active_exchange(2, 1)
    start, session = _session_begun(exchange, dt.timedelta(hours=2))
    room = exchange.room
    pupil_stayed(room, pupils_a[0], start, minutes=30)
    # Joined the class 10 minutes in: one stays away, one looks in for 3 minutes, one
    # comes for the rest of it.
    late, late_looked_in, late_came = pupils_joined_class(
        exchange.classroom_b, start + dt.timedelta(minutes=10), "Zora Q.", "Xaver N.", "Yann P.")
    for person, minutes in ((late_looked_in, 3), (late_came, 28)):
        pupil_stayed(room, person, start + dt.timedelta(minutes=12), minutes)
    assert sessions_settle_finished(now=start + dt.timedelta(hours=1, minutes=30)) == 1
    statuses = dict(Attendance.objects.filter(session=session).values_list(
        "participant_id", "status"))
    assert late.pk not in statuses and late_looked_in.pk not in statuses
    assert statuses == {
        pupils_a[0].pk: Attendance.Status.ATTENDED, pupils_a[1].pk: Attendance.Status.MISSED,
        pupils_b[0].pk: Attendance.Status.MISSED, late_came.pk: Attendance.Status.ATTENDED,
    }
