"""The lease a worker holds on a MatchRun while the engine runs.

A worker killed mid-run (SIGKILL, out of memory, a lost machine) leaves its task
unacknowledged in Redis until the broker's visibility timeout, an hour, re-delivers it;
until then the run would say "running" while no one works on it. So the run carries its
own lease: the worker that claims it sets ``heartbeat_at`` and a background thread
refreshes it every ``JUMELAGE_MATCHING_HEARTBEAT_SECONDS`` while the engine (pure CPU, in
the same process) solves. A running run silent for longer than
``JUMELAGE_MATCHING_STALE_SECONDS`` has lost its worker: the recovery beat task
(``matching_recovery``) re-queues it, or fails it after ``MatchRun.MAX_ATTEMPTS``
claims.

``attempts`` is also the fencing token: a worker writes its result only while the run is
still running under the attempt it claimed, so a worker that was merely slow (its
heartbeat late, the run handed to another worker meanwhile) never stores a second set
of matches.
"""

import contextlib
import datetime
import logging
import threading
from collections.abc import Iterator

from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from exchanges.models import MatchRun

logger = logging.getLogger(__name__)

# A queued run's message may sit behind long runs in the queue; after this long it is
# enqueued again in case the message itself was lost (a duplicate is harmless).
QUEUED_STALE = datetime.timedelta(minutes=10)


def running_stale_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JUMELAGE_MATCHING_STALE_SECONDS)


def lease_is_stale(*, run: MatchRun, now: datetime.datetime) -> bool:
    """True when a running run has shown no sign of life for the stale limit."""
    last_sign = run.heartbeat_at or run.created_at
    return last_sign < now - running_stale_after()


def lease_lost(*, run: MatchRun, now: datetime.datetime) -> None:
    """Record that the worker holding ``run`` stopped: the run is queued again, or failed
    once ``MatchRun.MAX_ATTEMPTS`` workers have claimed it. The caller holds the row lock
    and enqueues the task if it wants one."""
    last_sign = run.heartbeat_at or run.created_at
    run.workers_lost += 1
    if run.attempts >= MatchRun.MAX_ATTEMPTS:
        run.status = MatchRun.Status.FAILED
        run.error = (
            f"The worker stopped during each of {run.attempts} attempts; nothing was "
            f"stored. Run matching again. (Last sign of life {last_sign:%Y-%m-%d %H:%M:%S} "
            "UTC; if it stops again, the workers need more memory or time.)"
        )
        run.finished_at = now
    else:
        run.status = MatchRun.Status.QUEUED
        run.heartbeat_at = now
    run.save(update_fields=["status", "error", "finished_at", "heartbeat_at", "workers_lost"])


@transaction.atomic
def lease_claim(*, run_id: int) -> tuple[MatchRun, bool]:
    """Lock the run and take its lease if no one holds it: (run, claimed).

    Not claimed: the run is done or failed, or another worker holds a fresh lease (a
    re-delivered or duplicate task does nothing). A running run whose lease is stale is
    one whose worker stopped: it is taken over, or failed after ``MatchRun.MAX_ATTEMPTS``
    claims.
    """
    now = timezone.now()
    run = MatchRun.objects.select_for_update().select_related("program").get(pk=run_id)
    if run.status == MatchRun.Status.RUNNING and lease_is_stale(run=run, now=now):
        logger.warning("matching run %s: its worker stopped; taking it over", run_id)
        lease_lost(run=run, now=now)
    if run.status != MatchRun.Status.QUEUED:
        return run, False
    run.status = MatchRun.Status.RUNNING
    run.heartbeat_at = now
    run.attempts += 1
    run.save(update_fields=["status", "heartbeat_at", "attempts"])
    return run, True


def lease_held(*, run_id: int, attempt: int):
    """The run, locked, while it is still running under ``attempt``; else None.
    Call inside a transaction: the lock keeps the lease until the result is stored."""
    return (
        MatchRun.objects.select_for_update().select_related("program")
        .filter(pk=run_id, status=MatchRun.Status.RUNNING, attempts=attempt).first()
    )


def _beat(run_id: int, attempt: int, stop: threading.Event, interval: float) -> None:
    # Runs on its own thread, hence on its own database connection (Django's are
    # per thread), which it closes before it ends.
    try:
        while not stop.wait(interval):
            try:
                held = MatchRun.objects.filter(
                    pk=run_id, status=MatchRun.Status.RUNNING, attempts=attempt
                ).update(heartbeat_at=timezone.now())
            except DatabaseError:
                logger.warning("matching run %s: heartbeat failed", run_id, exc_info=True)
                connections.close_all()  # a broken connection is opened afresh next beat
                continue
            if not held:
                logger.warning("matching run %s: lease lost (attempt %s)", run_id, attempt)
                return
    finally:
        connections.close_all()


@contextlib.contextmanager
def lease_kept(*, run_id: int, attempt: int, interval: float | None = None) -> Iterator[None]:
    """Refresh the run's heartbeat from a daemon thread for the length of the block."""
    if interval is None:
        interval = settings.JUMELAGE_MATCHING_HEARTBEAT_SECONDS
    stop = threading.Event()
    thread = threading.Thread(
        target=_beat, args=(run_id, attempt, stop, interval),
        name=f"matching-run-{run_id}-heartbeat", daemon=True,
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        # A beat waiting on the row lock of the result's transaction ends with it.
        thread.join(timeout=interval + 30)
