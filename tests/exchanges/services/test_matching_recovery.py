"""Recovering matching runs whose worker stopped: the rules of the recovery beat task."""

import datetime

import pytest
from django.utils import timezone

from exchanges.models import Match, MatchRun
from exchanges.services.matching import matching_run, matching_run_execute
from exchanges.services.matching_lease import QUEUED_STALE, running_stale_after
from exchanges.services.matching_recovery import matching_runs_recover
from exchanges.tasks import matching_runs_recover as matching_runs_recover_task
from tests.exchanges.matching_fixtures import pair_program, program_next_monday

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    program, _english, _german = pair_program()
    return program


def make_run(program, *, status, silent_for: datetime.timedelta, attempts=1) -> MatchRun:
    """A run whose last sign of life was ``silent_for`` ago."""
    return MatchRun.objects.create(
        program=program, status=status, attempts=attempts,
        heartbeat_at=timezone.now() - silent_for,
    )


@pytest.fixture
def recover(monkeypatch, django_capture_on_commit_callbacks):
    """Run the recovery and its on-commit work; (report, ids of the runs it enqueued)."""

    def run_recovery():
        enqueued = []
        monkeypatch.setattr(matching_run, "delay", enqueued.append)
        with django_capture_on_commit_callbacks(execute=True):
            report = matching_runs_recover()
        return report, enqueued

    return run_recovery


def stale_running() -> datetime.timedelta:
    return running_stale_after() + datetime.timedelta(seconds=5)


def test_a_running_run_whose_heartbeat_stopped_is_requeued_and_enqueued(program, recover):
    run = make_run(program, status=MatchRun.Status.RUNNING, silent_for=stale_running())
    before = timezone.now()
    report, enqueued = recover()
    run.refresh_from_db()
    assert report.requeued == [run.pk] and report.failed == [] and report.reenqueued == []
    assert enqueued == [run.pk]
    assert run.status == MatchRun.Status.QUEUED
    assert run.workers_lost == 1 and run.attempts == 1
    assert run.heartbeat_at >= before  # a fresh lease: the next minute leaves it alone
    assert run.error == "" and run.finished_at is None
    assert recover()[1] == []


def test_the_third_stopped_worker_fails_the_run_with_a_clear_error(program, recover):
    run = make_run(program, status=MatchRun.Status.RUNNING, silent_for=stale_running(),
                   attempts=MatchRun.MAX_ATTEMPTS)
    run.workers_lost = 2
    run.save()
    report, enqueued = recover()
    run.refresh_from_db()
    assert report.failed == [run.pk] and report.requeued == []
    assert enqueued == []
    assert run.status == MatchRun.Status.FAILED
    assert run.workers_lost == 3
    assert run.error.startswith("The worker stopped during each of 3 attempts; nothing was stored.")
    assert run.finished_at is not None


def test_a_run_whose_lease_is_fresh_is_left_alone(program, recover):
    run = make_run(program, status=MatchRun.Status.RUNNING,
                   silent_for=running_stale_after() - datetime.timedelta(seconds=20))
    heartbeat = run.heartbeat_at
    report, enqueued = recover()
    run.refresh_from_db()
    assert (report.requeued, report.failed, report.reenqueued, enqueued) == ([], [], [], [])
    assert (run.status, run.heartbeat_at, run.workers_lost) == ("running", heartbeat, 0)


@pytest.mark.parametrize("status", [MatchRun.Status.DONE, MatchRun.Status.FAILED])
def test_finished_runs_are_untouched_however_old(program, status, recover):
    run = make_run(program, status=status, silent_for=datetime.timedelta(days=2))
    report, enqueued = recover()
    run.refresh_from_db()
    assert enqueued == [] and report.requeued == report.failed == []
    assert (run.status, run.workers_lost) == (status, 0)


def test_a_queued_run_nobody_picked_up_is_enqueued_again_without_counting_a_loss(program, recover):
    waiting = make_run(program, status=MatchRun.Status.QUEUED, attempts=0,
                       silent_for=QUEUED_STALE + datetime.timedelta(seconds=5))
    # One run in progress per program: the recent one is another program's.
    other = program_next_monday(list(program.twinnings.all()))
    recent = make_run(other, status=MatchRun.Status.QUEUED, attempts=0,
                      silent_for=QUEUED_STALE - datetime.timedelta(minutes=1))
    report, enqueued = recover()
    waiting.refresh_from_db()
    assert report.reenqueued == [waiting.pk] and enqueued == [waiting.pk]
    assert (waiting.status, waiting.workers_lost, waiting.attempts) == ("queued", 0, 0)
    # Enqueued once per QUEUED_STALE, not every minute.
    assert recover()[1] == []
    recent.refresh_from_db()
    assert recent.status == "queued"


def test_a_run_from_before_the_lease_counts_from_its_creation(program, recover):
    run = MatchRun.objects.create(program=program, status=MatchRun.Status.RUNNING)
    MatchRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - stale_running())
    report, _ = recover()
    assert report.requeued == [run.pk]


def test_a_requeued_run_is_finished_by_the_next_worker(program, recover):
    run = make_run(program, status=MatchRun.Status.RUNNING, silent_for=stale_running())
    assert recover()[1] == [run.pk]
    matching_run_execute(run_id=run.pk)  # what the task does on the next worker
    run.refresh_from_db()
    assert (run.status, run.attempts, run.workers_lost, run.pairs_count) == ("done", 2, 1, 1)
    assert Match.objects.filter(run=run).count() == 1


def test_the_beat_task_reports_what_it_did(program, django_capture_on_commit_callbacks):
    run = make_run(program, status=MatchRun.Status.RUNNING, silent_for=stale_running())
    with django_capture_on_commit_callbacks(execute=False):
        outcome = matching_runs_recover_task.apply().get()
    assert outcome == {"requeued": [run.pk], "failed": [], "reenqueued": []}
