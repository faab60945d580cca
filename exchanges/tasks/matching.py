"""Periodic matching: the nightly run of every open program."""

from celery import shared_task

from exchanges.models import Program
from exchanges.services.matching import matching_programs_due, matching_run_request

__all__ = ["matching_run_all_active"]


@shared_task(name="exchanges.tasks.matching_run_all_active")
def matching_run_all_active() -> None:
    """Nightly: one run per open program (each run only sees people with free places)."""
    for program in Program.objects.filter(pk__in=matching_programs_due()):
        matching_run_request(program=program)
