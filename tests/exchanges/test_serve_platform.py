"""`manage.py serve_platform --demo N` as `make run` uses it: the server answers first, the
demo is written behind it, and the platform stops cleanly on SIGTERM."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.processes import free_port

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]
ROOT = Path(settings.BASE_DIR)


def _embedded_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DATABASE_", "REDIS_", "EMAIL_", "DJANGO_SETTINGS"))}
    env.update(DJANGO_DEBUG="1", SQLITE_PATH=str(tmp_path / "db.sqlite3"),
               JUMELAGE_VAR_DIR=str(tmp_path))
    return env


def _participants(db: Path) -> int:
    with sqlite3.connect(db, timeout=20) as connection:
        return connection.execute("SELECT COUNT(*) FROM exchanges_participant").fetchone()[0]


def _wait_for(predicate, seconds: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if log is not None and "could not be seeded" in log.read_text():
            raise AssertionError(log.read_text()[-2000:])
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _home(base: str) -> int | None:
    try:
        with urllib.request.urlopen(base + "/", timeout=5) as response:
            return response.status
    except OSError:
        return None


def test_serves_before_the_demo_is_written_then_seeds_it(tmp_path, migrated_sqlite):
    env = _embedded_env(tmp_path)
    subprocess.run([sys.executable, "manage.py", "load_twinnings"], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=180)
    db = migrated_sqlite
    port = free_port()
    with open(tmp_path / "serve.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "serve_platform", "--port", str(port), "--no-worker",
             "--demo", "40"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(lambda: _home(f"http://127.0.0.1:{port}") == 200, 90, "the home page")
        # 40 people plus the demo cast; the cast is written last.
        _wait_for(lambda: _participants(db) >= 40, 120, "the demo participants",
                  tmp_path / "serve.log")
        output = _wait_for(
            lambda: "alice@demo.test" in (text := (tmp_path / "serve.log").read_text()) and text,
            60, "the demo logins",
        )
        assert "Seeding the demo (40 participants) in the background" in output
        assert _home(f"http://127.0.0.1:{port}") == 200
    finally:
        server.send_signal(signal.SIGTERM)
        returncode = server.wait(30)
    assert returncode == 0, (tmp_path / "serve.log").read_text()[-2000:]


def test_a_negative_demo_size_is_refused_with_one_line(tmp_path):
    done = subprocess.run(
        [sys.executable, "manage.py", "serve_platform", "--demo", "-1"],
        cwd=ROOT, env=_embedded_env(tmp_path), capture_output=True, text=True, timeout=120,
    )
    assert done.returncode != 0
    assert "--demo must be zero or more" in done.stderr
