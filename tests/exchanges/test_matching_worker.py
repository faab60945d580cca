"""The matching task through the real queue: Redis broker, a real Celery worker process."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction

from exchanges.models import Match, MatchRun
from exchanges.services.matching import matching_run_request
from tests.exchanges.matching_fixtures import (
    coventry_dresden,
    english_speaker,
    german_speaker,
    program_next_monday,
)

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.timeout(180),
]


def start_worker(log) -> subprocess.Popen:
    db = urllib.parse.urlsplit(settings.DATABASE_URL)
    env = {
        **os.environ,
        "DATABASE_URL": db._replace(path="/" + connection.settings_dict["NAME"]).geturl(),
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_DEBUG": "1",
        "DATABASE_CONN_MAX_AGE": "0",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
         "-n", f"{uuid.uuid4().hex[:8]}@matching-test", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "-l", "INFO"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )


def test_officer_run_is_executed_by_a_real_worker(postgres, redis_url):
    # Tasks other tests left on the default queue would belong to rows that are gone.
    redis.Redis.from_url(redis_url).delete("celery")
    coventry, dresden, twinning = coventry_dresden()
    program = program_next_monday([twinning])
    english_speaker(coventry, program)
    german_speaker(dresden, program)
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
