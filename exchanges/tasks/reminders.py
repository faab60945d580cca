"""Reminder tasks: a beat task every minute creates the reminder rows entering the
48 h horizon, then claims the due ones.

No ETA tasks: Redis re-delivers an ETA task that waits longer than the visibility
timeout. Why this is exactly once (and e-mail at-least-once with a one-COMMIT window)
is reasoned out in :mod:`exchanges.services.reminders`.
"""

from smtplib import SMTPException

from celery import shared_task
from django.db import DatabaseError

from exchanges.services import reminders as reminder_services

__all__ = ["reminders_send_due"]


@shared_task(
    name="exchanges.tasks.reminders_send_due",
    autoretry_for=(DatabaseError, SMTPException, OSError),
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=5,
    soft_time_limit=240,
    time_limit=300,
)
def reminders_send_due(batch_size: int = reminder_services.BATCH_SIZE, max_batches: int = 100):
    """Materialize the reminder rows entering the horizon, then claim and send the due
    ones in batches. Safe to run concurrently and to retry: materializing is idempotent
    (SKIP LOCKED, ON CONFLICT DO NOTHING) and every batch is one transaction over rows
    locked with SKIP LOCKED."""
    reminder_services.reminders_materialize()
    return reminder_services.reminders_send_due(batch_size=batch_size, max_batches=max_batches)
