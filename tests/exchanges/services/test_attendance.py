import datetime as dt
import threading

import pytest
from django.db import connection

from exchanges.models import Attendance, Match, Notification, Participant, Room, Session
from exchanges.services.attendance import (
    attendance_join,
    attendance_leave,
    sessions_settle_finished,
)
from tests.exchanges.scheduling_fixtures import scheduled_match
from tests.factories import pool_enrol

pytestmark = pytest.mark.django_db
M = dt.timedelta(minutes=1)


def _ids(match):
    room = Room.objects.get(match=match)
    return room, match.participant_a.user_id, match.participant_b.user_id


def test_two_tabs_count_once_and_only_inside_the_session():
    match, sessions = scheduled_match()
    s = sessions[0]
    room, nora, _ = _ids(match)
    attendance_join(room=room, user_id=nora, at=s.starts_at - 5 * M)
    attendance_join(room=room, user_id=nora, at=s.starts_at + 10 * M)  # second tab
    attendance_leave(room=room, user_id=nora, at=s.starts_at + 20 * M)
    attendance_leave(room=room, user_id=nora, at=s.starts_at + 30 * M)
    row = Attendance.objects.get(session=s, participant=match.participant_a)
    assert row.seconds_present == 30 * 60  # from the start, not from the early join
    assert row.first_join == s.starts_at - 5 * M
    assert row.last_leave == s.starts_at + 30 * M
    assert row.open_connections == 0


def test_join_without_a_session_does_nothing(django_assert_max_num_queries):
    match, sessions = scheduled_match()
    room, nora, _ = _ids(match)
    with django_assert_max_num_queries(1):
        attendance_join(room=room, user_id=nora, at=sessions[0].starts_at - dt.timedelta(days=2))
    with django_assert_max_num_queries(1):
        attendance_leave(
            room=room, user_id=nora, at=sessions[0].starts_at - dt.timedelta(days=2)
        )
    assert not Attendance.objects.filter(first_join__isnull=False).exists()


def test_a_join_in_a_session_is_one_update_once_the_rows_exist(django_assert_num_queries):
    match, sessions = scheduled_match()
    s = sessions[0]
    room, nora, tom = _ids(match)
    # The session's first join: the session, an UPDATE finding no row, both rows made,
    # the UPDATE again.
    with django_assert_num_queries(4):
        attendance_join(room=room, user_id=nora, at=s.starts_at + 10 * M)
    # Then the session and one UPDATE: the partner's join, a second tab.
    with django_assert_num_queries(2):
        attendance_join(room=room, user_id=tom, at=s.starts_at + 11 * M)
    with django_assert_num_queries(2):
        attendance_join(room=room, user_id=nora, at=s.starts_at - 5 * M)  # told late
    attendance_join(room=room, user_id=nora, at=s.starts_at + 20 * M)
    row = Attendance.objects.get(session=s, participant=match.participant_a)
    assert (row.first_join, row.open_since, row.open_connections) == (
        s.starts_at - 5 * M, s.starts_at + 10 * M, 3
    )
    partner = Attendance.objects.get(session=s, participant=match.participant_b)
    assert (partner.first_join, partner.open_connections) == (s.starts_at + 11 * M, 1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_joins_each_count_once(postgres):
    match, sessions = scheduled_match()
    s = sessions[0]
    room, nora, _ = _ids(match)
    start = threading.Barrier(6)

    def tab(k):
        try:
            start.wait()
            attendance_join(room=room, user_id=nora, at=s.starts_at + k * M)
        finally:
            connection.close()

    threads = [threading.Thread(target=tab, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    row = Attendance.objects.get(session=s, participant=match.participant_a)
    assert (row.open_connections, row.first_join) == (6, s.starts_at)
    assert Attendance.objects.filter(session=s).count() == 2


def test_settle_marks_attended_missed_and_held():
    match, sessions = scheduled_match()
    s1, s2 = sessions[0], sessions[1]
    room, nora, bruno = _ids(match)
    for user in (nora, bruno):
        attendance_join(room=room, user_id=user, at=s1.starts_at)
        attendance_leave(room=room, user_id=user, at=s1.starts_at + 12 * M)
    attendance_join(room=room, user_id=nora, at=s2.starts_at)
    attendance_leave(room=room, user_id=nora, at=s2.starts_at + 9 * M)  # < 10 min
    # Bruno is still connected when the session is settled: counted until its end.
    attendance_join(room=room, user_id=bruno, at=s2.starts_at + 50 * M)
    assert sessions_settle_finished(now=s2.starts_at + 70 * M) == 1  # s2: grace not over
    assert sessions_settle_finished(now=s2.starts_at + 75 * M) == 1
    assert sessions_settle_finished(now=s2.starts_at + 80 * M) == 0
    s1.refresh_from_db()
    s2.refresh_from_db()
    assert s1.status == Session.Status.HELD and s1.settled_at
    assert s2.status == Session.Status.MISSED
    statuses = dict(Attendance.objects.filter(session=s2).values_list("participant_id", "status"))
    assert statuses == {match.participant_a_id: "missed", match.participant_b_id: "attended"}


def test_three_misses_in_a_row_flag_and_end_the_match():
    match, sessions = scheduled_match()
    pool_enrol(match)  # a coming run can propose Bruno a partner
    room, nora, bruno = _ids(match)
    for i, s in enumerate(sessions[:5]):
        attendance_join(room=room, user_id=bruno, at=s.starts_at)
        attendance_leave(room=room, user_id=bruno, at=s.starts_at + 60 * M)
        if i == 1:  # Nora comes once: missed, attended, missed, missed, missed
            attendance_join(room=room, user_id=nora, at=s.starts_at)
            attendance_leave(room=room, user_id=nora, at=s.starts_at + 60 * M)
    sessions_settle_finished(now=sessions[3].starts_at + 2 * dt.timedelta(hours=1))
    match.refresh_from_db()
    assert match.status == Match.Status.ACTIVE and not match.flagged  # two in a row so far
    sessions_settle_finished(now=sessions[4].starts_at + 2 * dt.timedelta(hours=1))
    match.refresh_from_db()
    assert match.flagged and match.status == Match.Status.ENDED
    assert match.ended_reason == "partner missed 3 sessions"
    assert not Session.objects.filter(match=match, status="scheduled").exists()
    assert Room.objects.get(match=match).status == Room.Status.CLOSED
    note = Notification.objects.get(user=match.participant_b.user, kind="match.flagged")
    assert note.text == ("Nora missed 3 sessions in a row. We ended the match and the next "
                         "matching run will offer you a new partner.")
    assert Notification.objects.filter(user=match.participant_a.user, kind="match.flagged").exists()


def test_rows_are_created_on_first_join_and_at_settling_not_at_confirm():
    match, sessions = scheduled_match()
    s1, s2 = sessions[0], sessions[1]
    room, nora, _ = _ids(match)
    assert not Attendance.objects.exists()
    attendance_join(room=room, user_id=nora, at=s1.starts_at)
    # The first join creates both members' rows; the partner's stays pending.
    rows = dict(Attendance.objects.filter(session=s1).values_list("participant_id", "status"))
    assert rows == {match.participant_a_id: "pending", match.participant_b_id: "pending"}
    attendance_leave(room=room, user_id=nora, at=s1.starts_at + 40 * M)
    # Nobody joins s2: settling creates both rows, as missed.
    assert sessions_settle_finished(now=s2.starts_at + 2 * dt.timedelta(hours=1)) == 2
    s1.refresh_from_db()
    s2.refresh_from_db()
    assert (s1.status, s2.status) == (Session.Status.MISSED, Session.Status.MISSED)
    assert dict(Attendance.objects.filter(session=s1).values_list("participant_id", "status")) == {
        match.participant_a_id: "attended",
        match.participant_b_id: "missed",
    }
    assert sorted(Attendance.objects.filter(session=s2).values_list("status", flat=True)) == [
        "missed",
        "missed",
    ]
    assert not Attendance.objects.filter(session__in=sessions[2:]).exists()


def test_three_misses_tell_paused_people_new_matches_are_paused_not_a_new_partner():
    match, sessions = scheduled_match()
    room, nora, bruno = _ids(match)
    Participant.objects.filter(pk__in=[match.participant_a_id, match.participant_b_id]).update(
        matching_paused=True)
    for s in sessions[:3]:  # Bruno comes, Nora misses three in a row
        attendance_join(room=room, user_id=bruno, at=s.starts_at)
        attendance_leave(room=room, user_id=bruno, at=s.starts_at + 60 * M)
    sessions_settle_finished(now=sessions[2].starts_at + 2 * dt.timedelta(hours=1))
    match.refresh_from_db()
    assert match.flagged and match.status == Match.Status.ENDED
    for user in (match.participant_a.user, match.participant_b.user):
        text = Notification.objects.get(user=user, kind="match.flagged").text
        assert "New matches are paused for you" in text
        assert "stay in the pool" not in text and "new partner" not in text
