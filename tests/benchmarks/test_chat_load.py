"""The chat load script end to end, at a tiny size: two uvicorn processes it spawns on
the real PostgreSQL and Redis, a class room of 30 (pupils and two teachers) beside pair
rooms, two generator processes. Every delivery arrives, across processes, in the bare
``websockets`` baseline and on the servers; the JSON carries both; fixtures are gone.
(No timed assertions: the figures are the benchmark's to report.)"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from exchanges.models import Room, User
from tests.processes import PROCESS_TEST_MARKS, service_env

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
    assert set(figures["loadavg"]) == {"before", "server_before", "after"}
    assert not User.objects.filter(email__endswith="@load.test").exists()
    assert not Room.objects.filter(title__startswith="load ").exists()
