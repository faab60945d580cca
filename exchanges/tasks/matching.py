"""Periodic matching: the nightly run of every open program, every minute the recovery
of runs whose worker stopped (``exchanges.tasks.matching_runs_recover``), and the lapse
of proposals left unanswered (``exchanges.tasks.proposals_expire``)."""

from celery import shared_task
from django.db import DatabaseError

from exchanges.models import Program
from exchanges.services import matching_recovery as recovery_services
from exchanges.services.match_expiry import proposals_expire as proposals_expire_service
from exchanges.services.matching import (
    MatchingRunInProgress,
    MatchingRunRefused,
    matching_programs_due,
    matching_run_request,
)

__all__ = ["matching_run_all_active", "matching_runs_recover", "proposals_expire"]


@shared_task(name="exchanges.tasks.matching_run_all_active")
def matching_run_all_active() -> None:
    """Nightly: one run per open program (each run only sees people with free places).
    A program whose run is still queued or running is left to that run, and one that
    takes no run (its twinnings all halted, or it ended since the list was read) is
    skipped without stopping the others."""
    for program in Program.objects.filter(pk__in=matching_programs_due()):
        try:
            matching_run_request(program=program)
        except (MatchingRunInProgress, MatchingRunRefused):
            continue


@shared_task(
    name="exchanges.tasks.matching_runs_recover",
    autoretry_for=(DatabaseError,),
    retry_backoff=5,
    max_retries=3,
    soft_time_limit=50,
    time_limit=55,
)
def matching_runs_recover() -> dict[str, list[int]]:
    """Idempotent: stale runs are claimed with SKIP LOCKED, and a run this call re-queues
    has a fresh lease, so the next call leaves it alone."""
    report = recovery_services.matching_runs_recover()
    return {"requeued": report.requeued, "failed": report.failed,
            "reenqueued": report.reenqueued}


@shared_task(
    name="exchanges.tasks.proposals_expire",
    autoretry_for=(DatabaseError,),
    retry_backoff=5,
    max_retries=3,
)
def proposals_expire() -> int:
    """Idempotent: a lapsed proposal is no longer proposed, so a second call (or two at
    once, with SKIP LOCKED) leaves it alone."""
    return proposals_expire_service()
