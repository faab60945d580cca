"""When pupils' data goes: a set number of days (``JUMELAGE_PUPIL_RETENTION_DAYS``)
after their exchange ends. The deletion itself is services/retention.py."""

import datetime as dt

from django.conf import settings

from exchanges.models import ClassroomExchange


def retention_period() -> dt.timedelta:
    return dt.timedelta(days=settings.JUMELAGE_PUPIL_RETENTION_DAYS)


def retention_deletion_date(exchange: ClassroomExchange) -> dt.datetime | None:
    return exchange.ended_at + retention_period() if exchange.ended_at else None
