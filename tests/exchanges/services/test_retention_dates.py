"""The retention warning gives its dates as each teacher's calendar says them: the day
in their own class's zone, not in UTC."""

import datetime as dt

import pytest
from django.core import mail

from exchanges.models import ClassroomExchange, Notification
from exchanges.selectors.notification_text import notification_text
from exchanges.services import retention
from tests.exchanges.wall_fixtures import make_exchange

pytestmark = pytest.mark.django_db

# 23:30 UTC: already the next day in Dresden (UTC+1), the same day in Coventry.
ENDED_AT = dt.datetime(2026, 11, 4, 23, 30, tzinfo=dt.UTC)


@pytest.fixture
def ended(settings):
    settings.JUMELAGE_PUPIL_RETENTION_DAYS = 90  # deletion 2 Feb 2027, 23:30 UTC
    built = make_exchange(status=ClassroomExchange.Status.ENDED, ended_at=ENDED_AT)
    built.a.classroom.city.tz = "Europe/London"
    built.a.classroom.city.save(update_fields=["tz"])
    return built


def test_the_warning_email_dates_are_in_each_teachers_class_zone(ended):
    for teacher in (ended.a.teacher, ended.b.teacher):
        retention.retention_warning_email_send(exchange_id=ended.exchange.pk,
                                               teacher_id=teacher.pk)
    london, berlin = (m.body for m in mail.outbox)
    assert "ended on 04 November 2026" in london and "On 02 February 2027" in london
    assert "ended on 05 November 2026" in berlin and "On 03 February 2027" in berlin
    assert "03 Feb 2027" in mail.outbox[1].subject


def test_the_warning_notice_date_is_in_each_teachers_class_zone(ended):
    now = ENDED_AT + dt.timedelta(days=85)
    assert retention.retention_warn(exchange_id=ended.exchange.pk, now=now)
    shown = {n.user_id: notification_text(n)
             for n in Notification.objects.filter(kind="retention.warning")}
    assert shown[ended.a.teacher.pk].startswith("On 02 February 2027 ")
    assert shown[ended.b.teacher.pk].startswith("On 03 February 2027 ")
