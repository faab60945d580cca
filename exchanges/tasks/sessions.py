"""Session tasks: settling finished sessions, half-time language switches, change e-mails.

Beat schedule (config/celery.py): ``exchanges.tasks.sessions_settle_finished`` every
5 minutes and ``exchanges.tasks.sessions_send_switches`` every minute.
"""

from smtplib import SMTPException

from celery import shared_task
from django.db import DatabaseError

from exchanges.services import attendance as attendance_services
from exchanges.services import sessions as session_services
from exchanges.services import switches as switch_services

__all__ = ["session_change_email", "sessions_send_switches", "sessions_settle_finished"]


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


@shared_task(
    name="exchanges.tasks.session_change_email",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    max_retries=5,
)
def session_change_email(session_id: int, recipient_id: int, change: str):
    """E-mail the partner about a cancelled or moved session. A retry after an SMTP
    failure may re-send a message the server did accept: at-least-once, like all mail."""
    return session_services.session_change_email_send(
        session_id=session_id, recipient_id=recipient_id, change=change
    )
