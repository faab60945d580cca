"""The chat load script end to end, at a tiny size: two uvicorn processes it spawns on
the real PostgreSQL and Redis, a class room of 30 (pupils and two teachers) beside pair
rooms, two generator processes. Every delivery arrives, across processes, in the bare
``websockets`` baseline and on the servers; the JSON carries both; fixtures are gone.
(No timed assertions: the figures are the benchmark's to report.)"""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from exchanges.models import Message, Room, User
from tests.processes import PROCESS_TEST_MARKS, service_env, wait_for_a_blocked_insert

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [*PROCESS_TEST_MARKS, pytest.mark.timeout(300)]


def test_two_spawned_servers_and_a_class_room_lose_nothing(postgres, redis_url):
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
    assert not User.objects.filter(email__endswith="@load.test").exists()
    assert not Room.objects.filter(title__startswith="load ").exists()


def test_a_message_refused_by_a_busy_server_goes_again_and_arrives(postgres, redis_url):
    # One frame in flight per process, and the messages table locked for a second while
    # the load runs: the frames behind the blocked INSERT get server_busy, and the
    # generator sends each again with its client_id, as the room page does.
    proc = subprocess.Popen(
        [sys.executable, "benchmarks/chat_load.py", "--spawn", "1", "--clients", "10",
         "--rooms", "5", "--rate", "20", "--seconds", "4", "--no-baseline"],
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
