"""The pupils' retention beat task: end the exchanges whose classes' terms are over
(exchanges.services.class_exchange_end), warn teachers a week ahead, then delete the
pupils' data of exchanges past their retention (exchanges.services.retention)."""

from celery import shared_task
from django.db import DatabaseError

from exchanges.services.class_exchange_end import class_exchanges_end_after_term
from exchanges.services.retention import retention_purge_due, retention_warn_due

__all__ = ["retention_run"]


@shared_task(
    name="exchanges.tasks.retention_run",
    autoretry_for=(DatabaseError,),
    retry_backoff=60,
    max_retries=3,
    soft_time_limit=1500,
    time_limit=1800,
)
def retention_run() -> dict:
    """Idempotent: each exchange ends once (under its row lock) and is warned once and
    purged once (its ExchangeRetention row is claimed in the transaction that does the
    work), so a retry or an overlapping run repeats nothing."""
    return {
        "ended": class_exchanges_end_after_term(),
        "warned": retention_warn_due(),
        "pupils_deleted": retention_purge_due(),
    }
