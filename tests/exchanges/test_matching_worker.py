"""The matching task through the real queue: Redis broker, a real Celery worker process."""

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import redis
from django.db import transaction

from exchanges.models import Match, MatchRun
from exchanges.services.matching import matching_run_request
from tests.exchanges.matching_fixtures import pair_program
from tests.processes import PROCESS_TEST_MARKS, celery_worker_command, service_env

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [*PROCESS_TEST_MARKS, pytest.mark.timeout(180)]


def start_worker(log) -> subprocess.Popen:
    return subprocess.Popen(
        celery_worker_command("matching-test"),
        cwd=ROOT, env=service_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )


def test_officer_run_is_executed_by_a_real_worker(postgres, redis_url):
    # Tasks other tests left on the default queue would belong to rows that are gone.
    redis.Redis.from_url(redis_url).delete("celery")
    program, _english, _german = pair_program()
    with transaction.atomic():
        run = matching_run_request(program=program)
    log = tempfile.NamedTemporaryFile("w+", suffix=".log")  # noqa: SIM115
    worker = start_worker(log)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.status in (MatchRun.Status.DONE, MatchRun.Status.FAILED):
                break
            assert worker.poll() is None, "worker died"
            time.sleep(0.3)
        log.seek(0)
        assert run.status == MatchRun.Status.DONE, (run.status, run.error, log.read()[-3000:])
        assert run.pairs_count == 1
        assert Match.objects.filter(run=run, status="proposed").count() == 1
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
