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


class Pause:
    """A point inside the first action of a ``race`` where it stops, its transaction open:
    the function the test patches calls ``here()`` at that point."""

    def __init__(self):
        self.reached, self.go = threading.Event(), threading.Event()

    def here(self) -> None:
        self.reached.set()
        self.go.wait(30)


def race(first: tuple[str, Callable], second: tuple[str, Callable], *, pause: Pause) -> dict:
    """Run ``first`` (a name and an action) until it reaches ``pause``, then ``second``
    until it waits on a lock (or ends); then let the first go on and wait for both.
    Returns each one's outcome by name (see ``start``)."""
    outcomes = {}
    (first_name, first_action), (second_name, second_action) = first, second
    leader = start(outcomes, first_name, first_action, done=pause.reached)
    pause.reached.wait(30)
    follower = start(outcomes, second_name, second_action, done=pause.reached)
    blocked_on_a_lock(follower)
    pause.go.set()
    leader.join(60)
    follower.join(60)
    return outcomes
