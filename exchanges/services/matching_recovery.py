"""Recovering matching runs that no worker holds (the beat task runs this every minute).

A running run whose heartbeat stopped lost its worker: it is queued again and its task
enqueued, or failed once ``MatchRun.MAX_ATTEMPTS`` workers have claimed it. A queued run
that no worker picked up for ``QUEUED_STALE`` has its task enqueued again in case the
message was lost. Rows are claimed with SKIP LOCKED, so concurrent calls, and a worker storing
its result (which holds the row lock), are never disturbed.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from exchanges.models import MatchRun
from exchanges.services.matching import matching_run
from exchanges.services.matching_lease import QUEUED_STALE, lease_lost, running_stale_after

logger = logging.getLogger(__name__)


@dataclass
class RecoveryReport:
    requeued: list[int] = field(default_factory=list)  # the worker stopped: queued again
    failed: list[int] = field(default_factory=list)  # the worker stopped MAX_ATTEMPTS times
    reenqueued: list[int] = field(default_factory=list)  # queued, its message enqueued again


@transaction.atomic
def matching_runs_recover(*, now: datetime.datetime | None = None) -> RecoveryReport:
    now = now or timezone.now()
    stale = (
        MatchRun.objects.annotate(last_sign=Coalesce("heartbeat_at", "created_at"))
        .filter(
            Q(status=MatchRun.Status.RUNNING, last_sign__lt=now - running_stale_after())
            | Q(status=MatchRun.Status.QUEUED, last_sign__lt=now - QUEUED_STALE)
        )
        .select_for_update(skip_locked=True)
        .order_by("pk")
    )
    report = RecoveryReport()
    for run in stale:
        if run.status == MatchRun.Status.QUEUED:
            run.heartbeat_at = now
            run.save(update_fields=["heartbeat_at"])
            report.reenqueued.append(run.pk)
        else:
            lease_lost(run=run, now=now)
            if run.status == MatchRun.Status.FAILED:
                logger.warning("matching run %s failed: %s", run.pk, run.error)
                report.failed.append(run.pk)
                continue
            logger.warning("matching run %s: its worker stopped; re-queued", run.pk)
            report.requeued.append(run.pk)
        matching_run.delay_on_commit(run.pk)
    return report
