"""A Celery worker killed in the middle of a matching run: the run is recovered within
seconds by the recovery beat task on a second real worker, not after Redis's hour-long
visibility timeout. Real processes on the real Redis broker and PostgreSQL."""

import base64
import json
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import redis
from django.utils import timezone

from exchanges.demo.population import demo_participants_seed, demo_program_ensure
from exchanges.models import Match, MatchRun, Notification
from exchanges.services.matching import matching_run_request
from exchanges.tasks import matching_runs_recover
from tests.exchanges.matching_fixtures import coventry_dresden
from tests.processes import PROCESS_TEST_MARKS, celery_worker_command, service_env

ROOT = Path(__file__).resolve().parents[2]
# Kombu's Redis transport: the default queue, and the messages delivered but not acked.
BROKER_KEYS = ("celery", "unacked", "unacked_index")
LEASE_ENV = {"JUMELAGE_MATCHING_HEARTBEAT_SECONDS": "1", "JUMELAGE_MATCHING_STALE_SECONDS": "3"}

pytestmark = [*PROCESS_TEST_MARKS, pytest.mark.timeout(120)]


class Worker:
    def __init__(self, name: str, *, app: str = "config", **env: str):
        self.log = tempfile.NamedTemporaryFile("w+", prefix=f"{name}-", suffix=".log")  # noqa: SIM115
        self.proc = subprocess.Popen(
            celery_worker_command(name, app=app),
            cwd=ROOT, env=service_env(**LEASE_ENV, **env), stdout=self.log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()[-3000:]


def wait_for(condition, *, timeout: float, workers, every: float = 0.1, tick=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if tick:
            tick()
        for worker in workers:
            assert worker.proc.poll() is None, f"worker exited:\n{worker.output()}"
        time.sleep(every)
    logs = "\n".join(worker.output() for worker in workers)
    pytest.fail(f"timed out; workers' logs:\n{logs}")


def unacked_matching_runs(client: redis.Redis) -> list[int]:
    """Run ids of matching_run messages a worker took and never acknowledged."""
    ids = []
    for raw in client.hvals("unacked"):
        message = json.loads(raw)[0]
        if message["headers"].get("task") == "exchanges.tasks.matching_run":
            args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
            ids.append(args[0])
    return ids


@pytest.fixture
def broker(redis_url):
    client = redis.Redis.from_url(redis_url)
    client.delete(*BROKER_KEYS)  # messages other tests left belong to rows that are gone
    yield client
    client.delete(*BROKER_KEYS)  # the killed worker's message would come back in an hour
    client.close()


def test_a_killed_worker_s_run_is_requeued_and_finished_by_a_fresh_worker(postgres, broker):
    coventry_dresden()
    demo_participants_seed(count=400, seed=11)
    run = matching_run_request(program=demo_program_ensure())  # enqueued on commit

    doomed = Worker("doomed", app="tests.exchanges.slow_engine_celery", SLOW_SOLVE_SECONDS="90")
    fresh = None
    try:
        # The doomed worker claims the run; its heartbeat thread keeps the lease fresh
        # while the engine burns CPU.
        wait_for(lambda: MatchRun.objects.get(pk=run.pk).status == "running",
                 timeout=40, workers=[doomed])
        claimed_at = MatchRun.objects.get(pk=run.pk).heartbeat_at
        # The queue is empty now that the doomed worker holds the run's message: the
        # fresh worker starts meanwhile (a worker takes seconds to start).
        fresh = Worker("fresh")
        wait_for(lambda: MatchRun.objects.get(pk=run.pk).heartbeat_at > claimed_at,
                 timeout=10, workers=[doomed])
        doomed.kill()
        killed_at = timezone.now()
        run.refresh_from_db()
        assert (run.status, run.attempts, run.pairs_count) == ("running", 1, 0)
        # What the issue saw: Redis holds the task unacknowledged for the visibility
        # timeout (an hour) before anyone would get it again.
        assert unacked_matching_runs(broker) == [run.pk]

        # The beat ticks every minute in production; here as often as the test polls.
        wait_for(
            lambda: MatchRun.objects.get(pk=run.pk).status in ("done", "failed"),
            timeout=60, workers=[fresh], every=1.0, tick=matching_runs_recover.delay,
        )
        finished_at = timezone.now()
    finally:
        doomed.kill()
        if fresh:
            fresh.kill(signal.SIGTERM)

    run.refresh_from_db()
    assert run.status == "done", (run.error, fresh.output())
    assert (run.attempts, run.workers_lost) == (2, 1)
    assert run.participants_count == 400 and run.pairs_count > 50
    # One set of matches: the killed worker stored nothing, the fresh one everything.
    assert Match.objects.filter(run=run).count() == run.pairs_count == Match.objects.count()
    assert Notification.objects.filter(kind="match.proposed").count() == 2 * run.pairs_count
    # Seconds after the kill (the stale limit is 3 s here, 2 minutes by default).
    assert (finished_at - killed_at).total_seconds() < 45
