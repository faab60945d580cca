"""Periodic session tasks: settling finished sessions, half-time language switches.

Beat schedule (config/celery.py): ``exchanges.tasks.sessions_settle_finished`` every
5 minutes and ``exchanges.tasks.sessions_send_switches`` every minute.
"""

from celery import shared_task
from django.db import DatabaseError

from exchanges.services import attendance as attendance_services
from exchanges.services import switches as switch_services

__all__ = ["sessions_send_switches", "sessions_settle_finished"]


@shared_task(
    name="exchanges.tasks.sessions_settle_finished",
    autoretry_for=(DatabaseError,),
    retry_backoff=10,
    max_retries=3,
)
def sessions_settle_finished():
    """Idempotent: sessions are claimed with SKIP LOCKED and settled once (settled_at)."""
    return attendance_services.sessions_settle_finished()


@shared_task(name="exchanges.tasks.sessions_send_switches", soft_time_limit=50, time_limit=55)
def sessions_send_switches():
    """Once per session (switch_sent_at). Not retried: a late switch message is useless
    and the next minute's run picks up whatever this one did not commit."""
    return switch_services.sessions_send_switches()
