"""The lease a worker holds on a matching run: claiming, re-delivery, fencing, heartbeats."""

import datetime
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

import matching
from exchanges.models import Match, MatchRun
from exchanges.services.matching import matching_run_execute, matching_run_request
from exchanges.services.matching_lease import lease_claim, lease_kept, running_stale_after
from tests.exchanges.matching_fixtures import pair_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    program, _english, _german = pair_program()
    return program


def test_a_requested_run_is_queued_with_its_first_sign_of_life(program):
    before = timezone.now()
    run = matching_run_request(program=program)
    assert run.status == "queued" and run.attempts == 0
    assert run.heartbeat_at >= before


def test_executing_claims_the_run_once_and_finishes_it(program):
    run = matching_run_request(program=program)
    done = matching_run_execute(run_id=run.pk)
    assert (done.status, done.attempts, done.workers_lost) == ("done", 1, 0)
    assert done.heartbeat_at is not None


def test_a_redelivered_task_does_nothing_while_another_worker_holds_a_fresh_lease(program):
    run = matching_run_request(program=program)
    claimed, ok = lease_claim(run_id=run.pk)  # the first worker
    assert ok and claimed.status == "running" and claimed.attempts == 1
    again = matching_run_execute(run_id=run.pk)  # the same task, delivered twice
    assert (again.status, again.attempts, again.workers_lost) == ("running", 1, 0)
    assert not Match.objects.exists()


def test_a_redelivered_task_takes_over_a_run_whose_worker_stopped(program):
    run = MatchRun.objects.create(
        program=program, status=MatchRun.Status.RUNNING, attempts=1,
        heartbeat_at=timezone.now() - running_stale_after() - datetime.timedelta(seconds=1),
    )
    done = matching_run_execute(run_id=run.pk)
    assert (done.status, done.attempts, done.workers_lost) == ("done", 2, 1)
    assert Match.objects.filter(run=run).count() == 1


def test_a_redelivered_task_for_a_finished_run_does_nothing(program):
    run = matching_run_request(program=program)
    matching_run_execute(run_id=run.pk)
    again = matching_run_execute(run_id=run.pk)
    assert (again.status, again.attempts) == ("done", 1)
    assert Match.objects.count() == 1


def test_a_worker_that_lost_its_lease_mid_solve_stores_nothing(program, monkeypatch):
    """A slow worker taken for dead: the run was re-queued while it solved; its result
    must not become a second set of matches beside the next worker's."""
    run = matching_run_request(program=program)
    solve = matching.solve

    def solve_while_recovery_requeues(instance):
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRun.Status.QUEUED, workers_lost=1
        )
        return solve(instance)

    monkeypatch.setattr(matching, "solve", solve_while_recovery_requeues)
    after = matching_run_execute(run_id=run.pk)
    assert (after.status, after.attempts, after.pairs_count) == ("queued", 1, 0)
    assert not Match.objects.exists()


def test_an_engine_error_after_losing_the_lease_does_not_fail_the_new_holder(
    program, monkeypatch
):
    run = matching_run_request(program=program)

    def crash_after_takeover(instance):
        MatchRun.objects.filter(pk=run.pk).update(attempts=2)  # another worker's claim
        raise RuntimeError("engine crashed")

    monkeypatch.setattr(matching, "solve", crash_after_takeover)
    after = matching_run_execute(run_id=run.pk)
    assert (after.status, after.attempts, after.error) == ("running", 2, "")


def test_an_engine_error_fails_the_run_with_its_message(program, monkeypatch):
    run = matching_run_request(program=program)
    monkeypatch.setattr(matching, "solve", lambda instance: 1 / 0)
    after = matching_run_execute(run_id=run.pk)
    assert after.status == "failed" and "division by zero" in after.error


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_refreshes_the_lease_until_the_block_ends(program):
    run = matching_run_request(program=program)
    run, _ = lease_claim(run_id=run.pk)
    claimed_at = run.heartbeat_at
    with lease_kept(run_id=run.pk, attempt=run.attempts, interval=0.05):
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # busy, like the engine
            run.refresh_from_db()
            if run.heartbeat_at > claimed_at:
                break
        assert run.heartbeat_at > claimed_at
    assert not [t for t in threading.enumerate() if t.name.endswith("-heartbeat")]
    last = MatchRun.objects.get(pk=run.pk).heartbeat_at
    time.sleep(0.2)
    assert MatchRun.objects.get(pk=run.pk).heartbeat_at == last  # stopped with the block


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_never_revives_a_lease_that_was_lost(program):
    run = matching_run_request(program=program)
    run, _ = lease_claim(run_id=run.pk)
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.QUEUED, workers_lost=1)
    queued_at = MatchRun.objects.get(pk=run.pk).heartbeat_at
    with lease_kept(run_id=run.pk, attempt=run.attempts, interval=0.05):
        time.sleep(0.3)
    after = MatchRun.objects.get(pk=run.pk)
    assert (after.status, after.heartbeat_at) == ("queued", queued_at)


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_closes_its_database_connection(program, postgres):
    run = matching_run_request(program=program)
    run, _ = lease_claim(run_id=run.pk)

    def backends() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            )
            return cursor.fetchone()[0]

    before = backends()
    with lease_kept(run_id=run.pk, attempt=run.attempts, interval=0.05):
        time.sleep(0.3)
        assert backends() == before + 1  # the thread's own connection
    deadline = time.monotonic() + 3  # a backend leaves pg_stat_activity just after its client
    while backends() != before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert backends() == before
