"""The chat load script end to end, at a tiny size: two uvicorn processes it spawns on
the real PostgreSQL and Redis, a class room of 30 (pupils and two teachers) beside pair
rooms, two generator processes. Every delivery arrives, across processes, in the bare
``websockets`` baseline and on the servers; the JSON carries both; the rooms are real
(matches', a classroom exchange's, sessions in progress), so each join and leave wrote
attendance; fixtures are gone. (No timed assertions: the figures are the benchmark's to
report.)"""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session as LoginSession
from django.db import connection, transaction

from benchmarks import chat_fixtures
from exchanges.models import (
    Attendance,
    City,
    Classroom,
    ClassroomExchange,
    Match,
    Message,
    Participant,
    PresenceInterval,
    Program,
    Room,
    RoomMember,
    Session,
    Twinning,
    User,
)
from tests.processes import PROCESS_TEST_MARKS, service_env, wait_for_a_blocked_insert

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [*PROCESS_TEST_MARKS, pytest.mark.timeout(300)]

MADE = (User, Participant, City, Twinning, Program, Program.twinnings.through, Classroom,
        ClassroomExchange, Match, Room, RoomMember, Session, Attendance, PresenceInterval,
        Message, LoginSession)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MADE}


def test_two_spawned_servers_and_a_class_room_lose_nothing(postgres, redis_url):
    before = _counts()
    proc = subprocess.run(
        [sys.executable, "benchmarks/chat_load.py", "--spawn", "2", "--clients", "40",
         "--rooms", "5", "--class-rooms", "1", "--class-size", "30", "--rate", "20",
         "--seconds", "3", "--client-processes", "2"],
        cwd=ROOT, env=service_env(), capture_output=True, text=True, timeout=280,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    figures = json.loads(proc.stdout)
    assert figures["servers"] == 2 and figures["spawned"] is True
    assert figures["connected"] == 40
    assert figures["sent"] > 0
    # A class-room message reaches its 29 other members (the two teachers included),
    # a pair-room message its one partner: some deliveries cross the two processes.
    assert figures["delivered"] > figures["sent"]
    assert figures["lost"] == 0
    assert figures["errors"] == 0, figures["error_codes"]
    baseline = figures["baseline"]
    assert baseline["connected"] == 40 and baseline["lost"] == 0
    assert baseline["delivered"] > baseline["sent"] > 0
    for name in ("server0", "server1", "generator0", "generator1"):
        assert figures["memory"][name]["series_mib"], name
        assert figures["cpu_seconds"][name] is not None, name
    assert set(figures["join"]["server_cpu_seconds"]) == {"server0", "server1"}
    assert figures["join"]["wall_seconds"] > 0
    assert set(baseline["join"]["server_cpu_seconds"]) == {"baseline_server"}
    assert set(figures["loadavg"]) == {"before", "server_before", "after"}
    assert figures["rooms_kind"] == "real"
    # One session per room (5 matches, 1 exchange); a row per pupil (28) and partner
    # (10), none for the teachers; every one joined, left and kept its stretch.
    assert figures["presence_left"] == 0
    assert figures["attendance"] == {
        "sessions": 6, "sessions_with_rows": 6, "rows": 38, "first_join_set": 38,
        "last_leave_set": 38, "still_open": 0, "presence_stretches": 38,
    }
    assert not User.objects.filter(email__endswith="@load.test").exists()
    assert not Room.objects.filter(title__startswith="load ").exists()
    assert _counts() == before


def _stopped(store) -> None:
    raise RuntimeError("stopped")


def test_fixtures_stopped_half_way_are_deleted(postgres):
    # The login sessions fail after the users, rooms, matches, exchanges and sessions
    # are made: everything made so far goes.
    before = _counts()
    room_of, sends = chat_fixtures.room_layout(14, 2, 1, 10)
    made = chat_fixtures.Fixtures(tag="halfway")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.contrib.sessions.backends.db.SessionStore.create", _stopped)
        with pytest.raises(RuntimeError, match="stopped"):
            chat_fixtures.create_fixtures(made, room_of, sends, 1)
    assert Match.objects.count() == before["Match"] + 2
    assert ClassroomExchange.objects.count() == before["ClassroomExchange"] + 1
    assert Session.objects.count() == before["Session"] + 3
    assert Participant.objects.count() == before["Participant"] + 8 + 4
    chat_fixtures.delete_fixtures(made)
    assert _counts() == before


def test_real_pair_rooms_need_two_sockets_each(postgres):
    room_of, sends = chat_fixtures.room_layout(6, 2, 0, 30)  # rooms of 3 and 3
    made = chat_fixtures.Fixtures(tag="threes")
    with pytest.raises(ValueError, match="two sockets"):
        chat_fixtures.create_fixtures(made, room_of, sends, 0)
    chat_fixtures.delete_fixtures(made)
    assert not User.objects.filter(email__endswith="@load.test").exists()


def test_a_message_refused_by_a_busy_server_goes_again_and_arrives(postgres, redis_url):
    # One frame in flight per process, and the messages table locked for a second while
    # the load runs: the frames behind the blocked INSERT get server_busy, and the
    # generator sends each again with its client_id, as the room page does.
    proc = subprocess.Popen(
        [sys.executable, "benchmarks/chat_load.py", "--spawn", "1", "--clients", "10",
         "--rooms", "5", "--rate", "20", "--seconds", "4", "--no-baseline",
         "--rooms-kind", "bare"],
        cwd=ROOT, env=service_env(JUMELAGE_WS_FRAMES_IN_FLIGHT="1"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        head = []
        for line in proc.stderr:
            head.append(line)
            if "sending for" in line:
                break
        assert "sending for" in head[-1], "".join(head)[-3000:]
        table = Message._meta.db_table
        with transaction.atomic():
            connection.cursor().execute(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')
            wait_for_a_blocked_insert(table)
            time.sleep(1.0)
        out, err = proc.communicate(timeout=250)
    finally:
        proc.kill()
    assert proc.returncode == 0, err[-3000:]
    figures = json.loads(out)
    refused = figures["error_codes"].get("server_busy", 0)
    assert refused > 0, figures["error_codes"]
    assert figures["resent_after_server_busy"] == refused
    assert figures["errors"] == 0, figures["error_codes"]
    assert figures["lost"] == 0
    assert figures["delivered"] == figures["sent"]  # pair rooms: one partner each
    assert figures["rooms_kind"] == "bare"
    assert figures["attendance"]["sessions"] == figures["attendance"]["rows"] == 0
