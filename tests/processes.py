"""Helpers for tests that start real processes (servers, Celery workers)."""

import os
import socket
import sys
import time
import urllib.parse
import uuid

import pytest
from django.conf import settings
from django.db import connection

# The marks of a test module that starts servers or workers against the real PostgreSQL
# and Redis; each module adds its own ``pytest.mark.timeout``.
PROCESS_TEST_MARKS = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
]


def test_database_url() -> str:
    """DATABASE_URL pointing at pytest-django's test database, for child processes."""
    parts = urllib.parse.urlsplit(settings.DATABASE_URL)
    return urllib.parse.urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def service_env(**extra: str) -> dict[str, str]:
    """The environment a child process needs to share the test's PostgreSQL and Redis.

    It runs on the test's settings module too: users the test creates log in to it, and
    their passwords are hashed with the test settings' hasher."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_DEBUG": "1",
        "DATABASE_CONN_MAX_AGE": "0",
        **extra,
    }


def wait_for_a_blocked_insert(table: str) -> None:
    """Until another session waits for a lock on ``table`` (the server's INSERT)."""
    deadline = time.monotonic() + 30
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE relation = %s::regclass AND NOT granted",
                [table],
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the server's INSERT never waited for the lock")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def celery_worker_command(
    node: str, *, queue: str | None = None, loglevel: str = "INFO", app: str = "config"
) -> list[str]:
    """A one-process Celery worker with a unique node name; no gossip, mingle or heartbeat,
    so it starts fast and never talks to the other test workers. ``app`` names the module
    holding the Celery app (a test may wrap the project's)."""
    return [
        sys.executable, "-m", "celery", "-A", app, "worker", "--pool=solo",
        *(["-Q", queue] if queue else []),
        "-n", f"{uuid.uuid4().hex[:8]}@{node}",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        "-l", loglevel,
    ]
