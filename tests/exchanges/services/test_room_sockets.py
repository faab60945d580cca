"""A room socket's close (services/room_sockets.py): the presence row, the room told and
the session's attendance in one transaction, with the statements counted, on PostgreSQL
when two tabs close at once."""

import datetime as dt
import threading
import time
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from exchanges.models import Attendance, Presence, PresenceInterval, Room
from exchanges.services import attendance, presence, room_sockets
from exchanges.services.attendance import attendance_join
from tests.exchanges.scheduling_fixtures import scheduled_match

pytestmark = pytest.mark.django_db(transaction=True)
M = dt.timedelta(minutes=1)


@pytest.fixture
def told(monkeypatch):
    """The presence broadcasts the room would hear (the channel layer is not under test)."""
    sent = []
    monkeypatch.setattr(presence, "broadcast_to_room", lambda **kw: sent.append(kw))
    return sent


def _two_tabs(told):
    match, sessions = scheduled_match()
    s = sessions[0]
    room = Room.objects.get(match=match)
    nora = match.participant_a.user
    for tab, minute in (("tab-1", 5), ("tab-2", 6)):
        presence.presence_join(room=room, user=nora, channel_name=tab)
        attendance_join(room=room, user_id=nora.pk, at=s.starts_at + minute * M)
    return match, s, room, nora


def _close(room, user, tab, at):
    with CaptureQueriesContext(connection) as queries, mock.patch.object(
        connection, "commit", wraps=connection.commit
    ) as commit:
        room_sockets.room_socket_closed(room=room, user_id=user.pk, channel_name=tab, at=at)
    sql = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    return sql, commit.call_count


def test_a_close_in_a_session_is_one_transaction_of_few_statements(told):
    match, s, room, nora = _two_tabs(told)
    # A tab of two: the presence row, who is online, the locked row, its update.
    sql, commits = _close(room, nora, "tab-1", s.starts_at + 20 * M)
    assert sql == ["BEGIN", "DELETE", "SELECT", "SELECT", "UPDATE", "COMMIT"] and commits == 1
    row = Attendance.objects.get(session=s, participant=match.participant_a)
    assert (row.open_connections, row.seconds_present) == (1, 0)
    # The last tab: its stretch is kept too.
    sql, commits = _close(room, nora, "tab-2", s.starts_at + 30 * M)
    assert sql == ["BEGIN", "DELETE", "SELECT", "SELECT", "INSERT", "UPDATE", "COMMIT"]
    assert commits == 1
    row.refresh_from_db()
    assert (row.open_connections, row.open_since, row.seconds_present) == (0, None, 25 * 60)
    assert list(PresenceInterval.objects.values_list("started_at", "ended_at")) == [
        (s.starts_at + 5 * M, s.starts_at + 30 * M)
    ]
    assert not Presence.objects.filter(user=nora).exists()
    assert [t["payload"]["online"] for t in told][-1] == []


def test_a_close_with_no_session_around_reads_once(told):
    match, sessions = scheduled_match()
    room = Room.objects.get(match=match)
    nora = match.participant_a.user
    presence.presence_join(room=room, user=nora, channel_name="tab")
    sql, commits = _close(room, nora, "tab", sessions[0].starts_at - dt.timedelta(days=2))
    assert sql == ["BEGIN", "DELETE", "SELECT", "SELECT", "COMMIT"] and commits == 1
    assert not Presence.objects.exists() and not Attendance.objects.exists()


def test_a_failed_attendance_write_leaves_the_presence_row(told, monkeypatch):
    # One transaction: nothing half written; the row expires with its heartbeat.
    match, s, room, nora = _two_tabs(told)

    def broken(**kw):
        raise RuntimeError("database went away")

    monkeypatch.setattr(attendance, "attendance_leave", broken)
    with pytest.raises(RuntimeError):
        room_sockets.room_socket_closed(room=room, user_id=nora.pk, channel_name="tab-1",
                                        at=s.starts_at + 20 * M)
    assert Presence.objects.filter(channel_name="tab-1").exists()
    assert Attendance.objects.get(session=s, participant=match.participant_a).open_connections == 2


def test_two_tabs_closing_at_once_count_once_each(postgres, told):
    match, s, room, nora = _two_tabs(told)
    start = threading.Barrier(2)

    def close(tab, minute):
        try:
            start.wait()
            room_sockets.room_socket_closed(room=room, user_id=nora.pk, channel_name=tab,
                                            at=s.starts_at + minute * M)
        finally:
            connection.close()

    threads = [threading.Thread(target=close, args=a) for a in (("tab-1", 20), ("tab-2", 30))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    row = Attendance.objects.get(session=s, participant=match.participant_a)
    assert (row.open_connections, row.open_since) == (0, None)
    # Whichever closed last ended the one stretch, from the first join.
    assert PresenceInterval.objects.filter(attendance=row).count() == 1
    assert row.seconds_present in (15 * 60, 25 * 60)
    assert not Presence.objects.exists()


def test_a_close_waiting_on_another_ones_lock_reads_the_count_again(postgres, told):
    # One connection counted (the other tab opened before the session was near), and two
    # closes: while one holds the row's lock and takes it to 0, the other waits on it, and
    # must then find nothing left to close, not take the count below 0.
    match, sessions = scheduled_match()
    s = sessions[0]
    room = Room.objects.get(match=match)
    nora = match.participant_a.user
    presence.presence_join(room=room, user=nora, channel_name="early")
    presence.presence_join(room=room, user=nora, channel_name="tab")
    attendance_join(room=room, user_id=nora.pk, at=s.starts_at + 5 * M)
    row = Attendance.objects.get(session=s, participant=match.participant_a)
    assert row.open_connections == 1

    errors = []

    def close_early():
        try:
            room_sockets.room_socket_closed(room=room, user_id=nora.pk, channel_name="early",
                                            at=s.starts_at + 20 * M)
        except Exception as e:  # a count below 0 breaks the column's check
            errors.append(e)
        finally:
            connection.close()

    waiter = threading.Thread(target=close_early)
    with transaction.atomic():
        room_sockets.room_socket_closed(room=room, user_id=nora.pk, channel_name="tab",
                                        at=s.starts_at + 10 * M)
        waiter.start()
        with connection.cursor() as cursor:  # until the other close waits on the row lock
            for _ in range(500):
                # Activity is read once per transaction unless the snapshot is cleared.
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute("SELECT count(*) FROM pg_stat_activity "
                               "WHERE wait_event_type = 'Lock' AND datname = current_database()")
                if cursor.fetchone()[0]:
                    break
                time.sleep(0.01)
            else:
                pytest.fail("the second close never waited on the row lock")
    waiter.join()
    assert errors == []
    row.refresh_from_db()
    assert (row.open_connections, row.seconds_present) == (0, 5 * 60)
    assert PresenceInterval.objects.filter(attendance=row).count() == 1
