"""Periodic refresh of the summaries behind the officers' figures.

Beat schedule (config/celery.py): ``exchanges.tasks.metrics_refresh`` every 5 minutes
(what changed since the last run) and ``exchanges.tasks.metrics_refresh_full`` nightly
(everything, for the changes that leave no timestamp).
"""

from celery import shared_task
from django.db import DatabaseError

from exchanges.services import metrics as metrics_services

__all__ = ["metrics_refresh", "metrics_refresh_full"]


@shared_task(
    name="exchanges.tasks.metrics_refresh",
    autoretry_for=(DatabaseError,),
    retry_backoff=10,
    max_retries=3,
    soft_time_limit=240,
    time_limit=270,
)
def metrics_refresh():
    """Idempotent: summaries are recomputed from the source rows, under one lock."""
    return metrics_services.metrics_refresh()


@shared_task(name="exchanges.tasks.metrics_refresh_full", soft_time_limit=3000, time_limit=3300)
def metrics_refresh_full():
    """Idempotent, as above; not retried (the next night's run does it again)."""
    return metrics_services.metrics_refresh(full=True)
