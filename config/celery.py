"""The Celery application.

Tasks use Celery's ``DjangoTask`` so ``delay_on_commit`` enqueues only after the
surrounding transaction commits. The periodic schedule lives here, in code.
"""

import os

from celery import Celery
from celery.schedules import crontab
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("jumelage", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["exchanges"])

_nightly = settings.JUMELAGE_NIGHTLY_MATCHING_UTC
app.conf.beat_schedule = {
    "match-active-programs-nightly": {
        "task": "exchanges.tasks.matching_run_all_active",
        "schedule": crontab(hour=_nightly.hour, minute=_nightly.minute),
    },
    "expire-unanswered-proposals": {
        "task": "exchanges.tasks.proposals_expire",
        "schedule": 900.0,
    },
    "recover-stalled-matching-runs": {
        "task": "exchanges.tasks.matching_runs_recover",
        "schedule": 60.0,
    },
    "send-due-reminders": {
        "task": "exchanges.tasks.reminders_send_due",
        "schedule": 60.0,
    },
    "send-half-time-language-switches": {
        "task": "exchanges.tasks.sessions_send_switches",
        "schedule": 60.0,
    },
    "settle-finished-sessions": {
        "task": "exchanges.tasks.sessions_settle_finished",
        "schedule": 300.0,
    },
    # Pupils' data of ended classroom exchanges: the week-ahead warning, then deletion.
    "pupils-retention-daily": {
        "task": "exchanges.tasks.retention_run",
        "schedule": crontab(hour=3, minute=40),
    },
    "refresh-officer-metrics": {
        "task": "exchanges.tasks.metrics_refresh",
        "schedule": 300.0,
    },
    "refresh-officer-metrics-fully-nightly": {
        "task": "exchanges.tasks.metrics_refresh_full",
        "schedule": crontab(hour=3, minute=15),
    },
}


def _ensure_file_broker_folders() -> None:
    """The file-system broker (embedded default) needs its folders to exist."""
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if key in options:
            os.makedirs(options[key], exist_ok=True)


_ensure_file_broker_folders()
