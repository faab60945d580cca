"""Ending a classroom exchange: by either teacher, by both terms being over (the daily
retention task), and what follows: rooms closed, sessions cancelled, no new session
proposed, the other teacher and the pupils told, the retention clock started."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from exchanges.models import (
    ClassroomExchange,
    ClassSessionProposal,
    Notification,
    Room,
    Session,
    User,
)
from exchanges.services import retention
from exchanges.services.chat import ChatError, message_send
from exchanges.services.class_exchange_end import (
    class_exchange_end,
    class_exchanges_end_after_term,
)
from exchanges.services.class_sessions import class_session_propose
from exchanges.tasks.retention import retention_run
from tests.exchanges.class_exchange_fixtures import (
    active_exchange,
    confirmed_pairing,
    pupils_joined_before,
)
from tests.exchanges.classroom_fixtures import teacher

pytestmark = pytest.mark.django_db

ENDED = ClassroomExchange.Status.ENDED
NOW = timezone.now()


@pytest.fixture(autouse=True)
def retention_days(settings):
    settings.JUMELAGE_PUPIL_RETENTION_DAYS = 90


@pytest.fixture
def built():
    return active_exchange(2, 2)


def test_a_teacher_ends_the_exchange_its_rooms_close_and_its_future_sessions_go(built):
    exchange, pupils_a, pupils_b = built
    future = Session.objects.create(exchange=exchange, starts_at=NOW + dt.timedelta(days=3))
    past = Session.objects.create(exchange=exchange, starts_at=NOW - dt.timedelta(days=3),
                                  status=Session.Status.HELD)
    waiting = ClassSessionProposal.objects.create(
        exchange=exchange, proposed_by=exchange.classroom_b.teacher,
        first_start=NOW + dt.timedelta(days=7), anchor_tz="Europe/London", minutes=45,
    )

    class_exchange_end(exchange=exchange, by=exchange.classroom_a.teacher, now=NOW)

    exchange.refresh_from_db()
    assert (exchange.status, exchange.ended_at) == (ENDED, NOW)
    assert exchange.ended_reason == ClassroomExchange.EndedReason.TEACHER
    assert exchange.ended_by == exchange.classroom_a.teacher
    assert Room.objects.get(exchange=exchange).status == Room.Status.CLOSED
    future.refresh_from_db()
    past.refresh_from_db()
    assert (future.status, past.status) == (Session.Status.CANCELLED, Session.Status.HELD)
    waiting.refresh_from_db()
    assert waiting.status == ClassSessionProposal.Status.WITHDRAWN


def test_the_other_teacher_and_every_pupil_are_told_but_not_the_one_who_ended_it(built):
    exchange, pupils_a, pupils_b = built
    class_exchange_end(exchange=exchange, by=exchange.classroom_b.teacher, now=NOW)

    told = Notification.objects.filter(kind="classroom.exchange_ended")
    teacher_notice = told.get(user=exchange.classroom_a.teacher)
    # The day on that teacher's class's calendar (Coventry's), whatever the hour in UTC.
    deletion = (NOW + dt.timedelta(days=90)).astimezone(
        ZoneInfo(exchange.classroom_a.city.tz)).date()
    assert str(deletion.day) in teacher_notice.text
    assert "ended the class exchange" in teacher_notice.text
    assert not told.filter(user=exchange.classroom_b.teacher).exists()
    pupil_ids = {p.user_id for p in pupils_a + pupils_b}
    assert pupil_ids <= set(told.values_list("user_id", flat=True))
    a_notice = told.get(user=pupils_a[0].user)
    assert exchange.classroom_b.name in a_notice.text  # the partner class, by name


def test_nobody_but_the_two_teachers_ends_it_and_it_ends_once(built):
    exchange, pupils_a, _ = built
    for outsider in (teacher(), pupils_a[0].user, None):
        with pytest.raises(PermissionDenied):
            class_exchange_end(exchange=exchange, by=outsider)
    exchange.refresh_from_db()
    assert exchange.status == ClassroomExchange.Status.ACTIVE
    class_exchange_end(exchange=exchange, by=exchange.classroom_a.teacher)
    with pytest.raises(ValidationError, match="ended already"):
        class_exchange_end(exchange=exchange, by=exchange.classroom_b.teacher)


def test_a_paused_exchange_can_be_ended(built):
    exchange, _, _ = built
    ClassroomExchange.objects.filter(pk=exchange.pk).update(
        status=ClassroomExchange.Status.PAUSED
    )
    class_exchange_end(exchange=exchange, by=exchange.classroom_b.teacher, now=NOW)
    exchange.refresh_from_db()
    assert exchange.status == ENDED


def test_after_the_end_nobody_writes_in_the_room_nor_proposes_a_session(built):
    exchange, pupils_a, _ = built
    class_exchange_end(exchange=exchange, by=exchange.classroom_a.teacher)
    room = Room.objects.get(exchange=exchange)
    with pytest.raises(ChatError):
        message_send(room=room, author=pupils_a[0].user, body="hello?", client_id="late")
    with pytest.raises(ValidationError, match="while the exchange is active"):
        class_session_propose(exchange=exchange, by=exchange.classroom_a.teacher, weekday=1,
                              local_start=dt.time(14), minutes=45)


def test_the_retention_clock_starts_when_a_teacher_ends_the_exchange(built):
    exchange, pupils_a, pupils_b = built
    class_exchange_end(exchange=exchange, by=exchange.classroom_a.teacher, now=NOW)
    pupils_joined_before(exchange, NOW)

    assert retention.retention_warn_due(now=NOW + dt.timedelta(days=82)) == 0
    assert retention.retention_warn_due(now=NOW + dt.timedelta(days=84)) == 1
    assert retention.retention_purge_due(now=NOW + dt.timedelta(days=89)) == 0
    assert retention.retention_purge_due(now=NOW + dt.timedelta(days=91)) == 4
    assert not User.objects.filter(pk__in=[p.user_id for p in pupils_a + pupils_b]).exists()


def _terms_end(exchange, a: dt.date | None, b: dt.date | None):
    for classroom, day in ((exchange.classroom_a, a), (exchange.classroom_b, b)):
        classroom.term_start = None
        classroom.term_end = day
        classroom.save(update_fields=["term_start", "term_end"])


def test_an_exchange_ends_once_both_terms_are_over(built):
    exchange, pupils_a, _ = built
    today = timezone.localdate(NOW)
    _terms_end(exchange, today - dt.timedelta(days=3), today - dt.timedelta(days=1))

    assert class_exchanges_end_after_term(now=NOW) == 1
    assert class_exchanges_end_after_term(now=NOW) == 0  # once

    exchange.refresh_from_db()
    assert (exchange.status, exchange.ended_at) == (ENDED, NOW)
    assert exchange.ended_reason == ClassroomExchange.EndedReason.TERM
    assert Room.objects.get(exchange=exchange).status == Room.Status.CLOSED
    teachers = {exchange.classroom_a.teacher_id, exchange.classroom_b.teacher_id}
    told = Notification.objects.filter(kind="classroom.exchange_ended")
    assert teachers <= set(told.values_list("user_id", flat=True))
    assert told.filter(user=pupils_a[0].user).exists()


def test_an_exchange_goes_on_while_one_term_runs_or_has_no_end(built):
    exchange, _, _ = built
    today = timezone.localdate(NOW)
    _terms_end(exchange, today - dt.timedelta(days=3), today + dt.timedelta(days=1))
    assert class_exchanges_end_after_term(now=NOW) == 0
    _terms_end(exchange, today - dt.timedelta(days=3), None)
    assert class_exchanges_end_after_term(now=NOW) == 0
    exchange.refresh_from_db()
    assert exchange.status == ClassroomExchange.Status.ACTIVE


def test_the_daily_retention_task_ends_exchanges_whose_terms_are_over(built):
    exchange, _, _ = built
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    _terms_end(exchange, yesterday, yesterday)
    result = retention_run.apply().get()
    assert result["ended"] == 1
    exchange.refresh_from_db()
    assert exchange.status == ENDED


def test_ending_an_exchange_its_twinnings_suspension_paused_recloses_its_rooms_for_the_end():
    """Its rooms, closed by the suspension, say the exchange ended, and the twinning's
    reactivation leaves them closed."""
    from exchanges.selectors.rooms import room_closed_reason
    from exchanges.selectors.twinning_rooms import room_twinning_reason
    from exchanges.services.twinning_lifecycle import twinning_reactivate, twinning_suspend

    exchange, _pupils_a, _pupils_b, _pairing = confirmed_pairing(2, 2)
    root = User.objects.create(email="root@example.org", is_superuser=True, is_staff=True)
    twinning_suspend(twinning=exchange.twinning, by=root, reason="Council vote",
                     effective=timezone.localdate())
    exchange.refresh_from_db()
    assert exchange.status == ClassroomExchange.Status.PAUSED
    rooms = Room.objects.filter(Q(exchange=exchange) | Q(pupil_group__pairing__exchange=exchange))
    assert rooms.count() == 3  # the class's room and the two pupil groups'
    assert set(rooms.values_list("closed_by_twinning", flat=True)) == {True}

    class_exchange_end(exchange=exchange, by=exchange.classroom_a.teacher)
    twinning_reactivate(twinning=exchange.twinning, by=root, reason="Vote reversed",
                        effective=timezone.localdate())

    exchange.refresh_from_db()
    assert exchange.status == ENDED
    for room in rooms:
        assert room.status == Room.Status.CLOSED and not room.closed_by_twinning
        assert room_twinning_reason(room) is None
        assert room_closed_reason(room) == "the class exchange has ended"
