"""One class session changes: either teacher cancels it (the other teacher and both
classes' pupils are told, the feeds show it cancelled) or moves it inside the shared
school time, proposed by one teacher and confirmed by the other, as a weekly time is."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from exchanges.models import ClassroomExchange, Notification, Session
from exchanges.selectors.notification_text import notification_text
from exchanges.services.class_session_changes import (
    class_session_cancel,
    class_session_move_answer,
    class_session_move_propose,
)
from exchanges.services.class_sessions import (
    class_session_confirm,
    class_session_propose,
    teacher_calendar_ensure,
)
from tests.exchanges.class_exchange_fixtures import active_exchange
from tests.exchanges.classroom_fixtures import teacher

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def planned():
    """(exchange, pupils A, pupils B, sessions): Tuesdays 14:00 London, 45 minutes."""
    exchange, pupils_a, pupils_b = active_exchange(2, 3)
    a, b = exchange.classroom_a, exchange.classroom_b
    proposal = class_session_propose(exchange=exchange, by=a.teacher, weekday=1,
                                     local_start=dt.time(14, 0), minutes=45)
    sessions = class_session_confirm(proposal=proposal, by=b.teacher)
    Notification.objects.all().delete()
    return exchange, pupils_a, pupils_b, sessions


def _thursday_after(session, hour=14, minute=0):
    """The Thursday of the session's week at hour:minute London (shared 14:00-15:15)."""
    day = session.starts_at.astimezone(LONDON).date() + dt.timedelta(days=2)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def _feed_event(client, token_url, session):
    feed = client.get(token_url).content.decode().replace("\r\n ", "")
    return feed.split(f"UID:{session.uid}@jumelage", 1)[1].split("END:VEVENT", 1)[0]


def test_either_teacher_cancels_one_session_and_everyone_is_told(planned):
    exchange, pupils_a, pupils_b, sessions = planned
    a, b = exchange.classroom_a, exchange.classroom_b
    session = sessions[1]
    class_session_cancel(session=session, by=b.teacher, reason="  School trip  ")
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED and session.sequence == 1
    assert Session.objects.filter(exchange=exchange, status="scheduled").count() == len(
        sessions) - 1
    told = Notification.objects.get(user=a.teacher)
    assert told.kind == "class_session.cancelled" and "School trip" in notification_text(told)
    assert not Notification.objects.filter(user=b.teacher).exists()
    pupils = pupils_a + pupils_b
    notes = Notification.objects.filter(user__in=[p.user for p in pupils])
    assert notes.count() == len(pupils)
    assert all(n.message_context == "to a pupil" for n in notes)
    assert "School trip" not in " ".join(notification_text(n) for n in notes)
    a_pupil = notes.get(user=pupils_a[0].user)
    assert "7c (Dresden)" in notification_text(a_pupil)
    # Both feeds show the same event cancelled, with a higher SEQUENCE.
    client = Client()
    for url in (reverse("teacher_calendar_feed",
                        args=[teacher_calendar_ensure(user=a.teacher).token]),
                reverse("calendar_feed", args=[pupils_a[0].calendar_token])):
        event = _feed_event(client, url, session)
        assert "STATUS:CANCELLED" in event and "SEQUENCE:1" in event


def test_a_second_cancel_is_refused_and_tells_nobody_again(planned):
    exchange, _, _, sessions = planned
    class_session_cancel(session=sessions[0], by=exchange.classroom_a.teacher)
    count = Notification.objects.count()
    with pytest.raises(ValidationError, match="no longer scheduled"):
        class_session_cancel(session=sessions[0], by=exchange.classroom_b.teacher)
    assert Notification.objects.count() == count
    sessions[0].refresh_from_db()
    assert sessions[0].sequence == 1


def test_a_reason_longer_than_the_notice_holds_is_refused_never_cut(planned):
    exchange, _, _, sessions = planned
    b = exchange.classroom_b
    with pytest.raises(ValidationError, match=r"to 200 characters \(it has 201\)"):
        class_session_cancel(session=sessions[0], by=b.teacher, reason="x" * 201)
    sessions[0].refresh_from_db()
    assert sessions[0].status == Session.Status.SCHEDULED
    assert not Notification.objects.exists()
    # Its length is the length told: runs of spaces count once, as they are sent.
    class_session_cancel(session=sessions[0], by=b.teacher, reason="  " + "y  " * 100)
    told = Notification.objects.get(user=exchange.classroom_a.teacher)
    assert told.params["reason"] == " ".join(["y"] * 100)


def test_past_sessions_paused_exchanges_other_teachers_and_pupils_are_refused(planned):
    exchange, pupils_a, _, sessions = planned
    a = exchange.classroom_a
    after_first = sessions[0].starts_at + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="already started"):
        class_session_cancel(session=sessions[0], by=a.teacher, now=after_first)
    with pytest.raises(ValidationError, match="already started"):
        class_session_move_propose(session=sessions[0], by=a.teacher,
                                   new_start=_thursday_after(sessions[0]), now=after_first)
    with pytest.raises(PermissionDenied):
        class_session_cancel(session=sessions[1], by=teacher("other@school.test"))
    with pytest.raises(PermissionDenied):
        class_session_cancel(session=sessions[1], by=pupils_a[0].user)
    for status in (ClassroomExchange.Status.PAUSED, ClassroomExchange.Status.ENDED):
        ClassroomExchange.objects.filter(pk=exchange.pk).update(status=status)
        with pytest.raises(ValidationError, match="while the exchange is active"):
            class_session_cancel(session=sessions[1], by=a.teacher)
        with pytest.raises(ValidationError, match="while the exchange is active"):
            class_session_move_propose(session=sessions[1], by=a.teacher,
                                       new_start=_thursday_after(sessions[1]))
    assert not Notification.objects.exists()
    assert not Session.objects.filter(status="cancelled").exists()


def test_a_move_is_proposed_by_one_teacher_and_confirmed_by_the_other(planned):
    exchange, pupils_a, pupils_b, sessions = planned
    a, b = exchange.classroom_a, exchange.classroom_b
    session = sessions[2]
    new_start = _thursday_after(session)
    class_session_move_propose(session=session, by=a.teacher, new_start=new_start)
    class_session_move_propose(session=session, by=a.teacher, new_start=new_start)  # twice
    assert Notification.objects.filter(user=b.teacher,
                                       kind="class_session.move_proposed").count() == 1
    session.refresh_from_db()
    old_start = session.starts_at
    assert session.move_to == new_start and session.sequence == 0
    with pytest.raises(PermissionDenied, match="other class's teacher"):
        class_session_move_answer(session=session, by=a.teacher, accept=True)
    class_session_move_answer(session=session, by=b.teacher, accept=True,
                              move_to=new_start.astimezone(dt.UTC))
    session.refresh_from_db()
    assert session.starts_at == new_start and session.move_to is None
    assert session.sequence == 1 and session.status == Session.Status.SCHEDULED
    assert Notification.objects.filter(user=a.teacher,
                                       kind="class_session.move_confirmed").count() == 1
    moved = Notification.objects.filter(kind="class_session.moved")
    assert moved.count() == len(pupils_a) + len(pupils_b)
    with translation.override("en"):
        text = notification_text(moved.get(user=pupils_b[0].user))
    assert "7B (Coventry)" in text
    assert f"{old_start.astimezone(ZoneInfo('Europe/Berlin')):%H:%M}" in text
    # A second confirm (double submit) moves nothing and tells nobody.
    count = Notification.objects.count()
    with pytest.raises(ValidationError, match="No move is proposed"):
        class_session_move_answer(session=session, by=b.teacher, accept=True)
    assert Notification.objects.count() == count


def test_a_move_outside_the_shared_school_time_is_refused(planned):
    exchange, _, _, sessions = planned
    a = exchange.classroom_a
    session = sessions[1]
    for start in (_thursday_after(session, 13, 0),  # Dresden has no school yet
                  _thursday_after(session, 14, 45),  # runs past Coventry's 15:15
                  _thursday_after(session) + dt.timedelta(days=2)):  # a Saturday
        with pytest.raises(ValidationError, match="shared school time"):
            class_session_move_propose(session=session, by=a.teacher, new_start=start)
    with pytest.raises(ValidationError, match="Another class session"):
        class_session_move_propose(session=session, by=a.teacher,
                                   new_start=sessions[2].starts_at)
    session.refresh_from_db()
    assert session.move_to is None and not Notification.objects.exists()


def test_a_stale_page_confirms_nothing_and_a_decline_keeps_the_time(planned):
    exchange, _, _, sessions = planned
    a, b = exchange.classroom_a, exchange.classroom_b
    session = sessions[1]
    first = _thursday_after(session)
    class_session_move_propose(session=session, by=a.teacher, new_start=first)
    class_session_move_propose(session=session, by=a.teacher,
                               new_start=first + dt.timedelta(minutes=15))
    with pytest.raises(ValidationError, match="has changed"):
        class_session_move_answer(session=session, by=b.teacher, accept=True, move_to=first)
    session.refresh_from_db()
    before = session.starts_at
    class_session_move_answer(session=session, by=b.teacher, accept=False)
    session.refresh_from_db()
    assert session.starts_at == before and session.move_to is None and session.sequence == 0
    assert Notification.objects.filter(user=a.teacher,
                                       kind="class_session.move_declined").count() == 1
    assert not Notification.objects.filter(kind="class_session.moved").exists()

