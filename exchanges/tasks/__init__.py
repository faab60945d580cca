"""Celery tasks.

Convention (pretix's): a task that a service enqueues lives beside that service, in the
same module (``services.matching.matching_run``, ``services.sessions.session_change_email``),
so a service never imports a task module. This package holds the periodic (beat) tasks;
they take ids, call services, and are idempotent. Every task is named explicitly
(``exchanges.tasks.<name>``) so the beat schedule in ``config/celery.py`` does not depend
on which module defines it. Importing this package registers them all.
"""

from exchanges.services.accounts import partner_left_email
from exchanges.services.matching import match_proposed_emails, matching_run
from exchanges.services.moderation import report_waiting_email
from exchanges.services.program_enrolment import program_residents_enrol
from exchanges.services.retention import retention_warning_email
from exchanges.services.sessions import session_change_email
from exchanges.services.teachers import teacher_decision_email
from exchanges.services.twinning_lifecycle import twinning_change_email
from exchanges.tasks.matching import *  # noqa: F403
from exchanges.tasks.metrics import *  # noqa: F403
from exchanges.tasks.reminders import *  # noqa: F403
from exchanges.tasks.retention import *  # noqa: F403
from exchanges.tasks.sessions import *  # noqa: F403

__all__ = [  # noqa: F405 (the rest via the stars)
    "match_proposed_emails",
    "partner_left_email",
    "matching_run",
    "program_residents_enrol",
    "report_waiting_email",
    "retention_warning_email",
    "session_change_email",
    "teacher_decision_email",
    "twinning_change_email",
]
