from celery import shared_task

__all__ = ["matching_run", "matching_run_all_active"]


# A whole country's program can take minutes (capacities above 1 go through an LP):
# longer limits than the global ones, still bounded.
@shared_task(
    name="exchanges.tasks.matching_run", acks_late=True, soft_time_limit=1800, time_limit=1900
)
def matching_run(run_id: int) -> None:
    """Idempotent: a finished run is left as it is (see ``matching_run_execute``)."""
    from exchanges.services.matching import matching_run_execute

    matching_run_execute(run_id=run_id)


@shared_task(name="exchanges.tasks.matching_run_all_active")
def matching_run_all_active() -> None:
    """Nightly: one run per open program (each run only sees people with free places)."""
    from exchanges.models import Program
    from exchanges.services.matching import matching_programs_due, matching_run_request

    for program in Program.objects.filter(pk__in=matching_programs_due()):
        matching_run_request(program=program)
