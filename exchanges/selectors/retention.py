"""When pupils' data goes: a set number of days (``JUMELAGE_PUPIL_RETENTION_DAYS``)
after their exchange ends. The deletion itself is services/retention.py."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

from exchanges.models import ClassroomExchange


def retention_period() -> dt.timedelta:
    return dt.timedelta(days=settings.JUMELAGE_PUPIL_RETENTION_DAYS)


def retention_deletion_date(exchange: ClassroomExchange) -> dt.datetime | None:
    return exchange.ended_at + retention_period() if exchange.ended_at else None


def in_class_zone(when: dt.datetime, exchange: ClassroomExchange,
                  teacher_id: int) -> dt.datetime:
    """``when`` in the zone of the teacher's own class of the exchange: a date is the
    day on their calendar, not UTC's (23:30 UTC is already tomorrow in Dresden)."""
    mine = exchange.classroom_a if exchange.classroom_a.teacher_id == teacher_id else (
        exchange.classroom_b)
    return when.astimezone(ZoneInfo(mine.city.tz))
