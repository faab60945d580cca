"""Running a service on its own thread, so on its own database connection, for tests
that race two writers (transactional tests on PostgreSQL)."""

import threading
import time
from collections.abc import Callable

from django.db import connection


def start(outcomes: dict, name: str, action: Callable, *,
          done: threading.Event | None = None) -> threading.Thread:
    """Start ``action`` on a thread named ``name``; ``outcomes[name]`` gets what it returns
    or the exception it raises (the test reads either). ``done`` is set when it ends, so a
    test waiting for a pause inside the action is not left waiting after a failure. The
    thread closes its connection, or the test database could not be dropped."""
    def run():
        try:
            outcomes[name] = action()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test reads
            outcomes[name] = exc
        finally:
            if done is not None:
                done.set()
            connection.close()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def blocked_on_a_lock(thread: threading.Thread) -> None:
    """Wait until another connection waits on a lock (or the thread has finished)."""
    deadline = time.monotonic() + 20
    while thread.is_alive() and time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname ="
                           " current_database() AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
