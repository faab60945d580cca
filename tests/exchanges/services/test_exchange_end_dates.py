"""The notices that end a class exchange give the pupils' deletion day as each teacher's
calendar says it: the day in their own class's zone, not in UTC (23:30 UTC is already
tomorrow in Dresden)."""

import datetime as dt

import pytest

from exchanges.models import ClassroomExchange, Notification
from exchanges.services.class_exchange_end import (
    class_exchange_end,
    class_exchange_end_after_term,
)
from exchanges.services.twinning_lifecycle import twinning_terminate
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world
from tests.exchanges.wall_fixtures import make_exchange

pytestmark = pytest.mark.django_db

# 23:30 UTC: the deletion (90 days on) is 2 Feb 2027 in Coventry, 3 Feb in Dresden.
NOW = dt.datetime(2026, 11, 4, 23, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def retention_days(settings):
    settings.JUMELAGE_PUPIL_RETENTION_DAYS = 90


def _deletion_days(kind: str) -> dict[int, str]:
    """Each teacher's deletion day (others' notices of the same kind give none)."""
    return {n.user_id: n.params["date"]["date"]
            for n in Notification.objects.filter(kind=kind) if "date" in n.params}


def test_the_other_teacher_reads_the_deletion_day_in_their_class_zone():
    built = make_exchange()  # a: Coventry (London), b: Dresden (Berlin)
    class_exchange_end(exchange=built.exchange, by=built.a.teacher, now=NOW)
    assert _deletion_days("classroom.exchange_ended") == {built.b.teacher.pk: "2027-02-03"}


def test_each_teacher_reads_the_deletion_day_in_their_class_zone_at_terms_end():
    built = make_exchange()
    assert class_exchange_end_after_term(exchange_id=built.exchange.pk, now=NOW)
    assert _deletion_days("classroom.exchange_ended") == {
        built.a.teacher.pk: "2027-02-02", built.b.teacher.pk: "2027-02-03"}


def test_a_terminated_twinning_tells_each_teacher_their_own_deletion_day(monkeypatch):
    world = make_lifecycle_world()
    exchange = ClassroomExchange.objects.select_related(
        "classroom_a__city", "classroom_b__city").get(pk=world.exchange.pk)
    assert (exchange.classroom_a.city.tz, exchange.classroom_b.city.tz) == (
        "Europe/London", "Europe/Berlin")
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    twinning_terminate(twinning=world.twinning, by=world.officer, reason="Ended by treaty",
                       effective=NOW.date(), side="both")
    assert _deletion_days("twinning.terminated") == {
        exchange.classroom_a.teacher_id: "2027-02-02",
        exchange.classroom_b.teacher_id: "2027-02-03"}
