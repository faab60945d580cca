"""Pupils' retention: the teachers are warned a week ahead, exactly once; then the
pupils' accounts, messages and wall posts go, and nothing else does."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from exchanges.models import (
    AuditEvent,
    ClassroomExchange,
    ExchangeRetention,
    Message,
    Notification,
    Participant,
    Room,
    RoomMember,
    User,
    WallComment,
    WallImage,
    WallPost,
)
from exchanges.services import retention
from exchanges.services.chat import message_send
from exchanges.services.rooms import room_open
from exchanges.services.wall import wall_comment_create, wall_post_create, wall_post_decide
from exchanges.tasks.retention import retention_run
from tests.exchanges.class_exchange_fixtures import (
    confirmed_pairing,
    pairing_confirmed,
    pupils_joined_before,
)
from tests.exchanges.classroom_fixtures import classroom, pupil, teacher
from tests.exchanges.wall_fixtures import jpeg_with_gps, make_exchange, make_exchange_room
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

ENDED = ClassroomExchange.Status.ENDED
NOW = timezone.now()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JUMELAGE_PUPIL_RETENTION_DAYS = 90


@pytest.fixture
def emails_sent_locally(monkeypatch):
    task = retention.retention_warning_email
    monkeypatch.setattr(task, "delay", lambda *a, **k: task.apply(args=a, kwargs=k))


def _end(built, *, days_ago: float):
    built.exchange.status = ENDED
    built.exchange.ended_at = NOW - dt.timedelta(days=days_ago)
    built.exchange.save(update_fields=["status", "ended_at"])
    pupils_joined_before(built.exchange, built.exchange.ended_at)


def test_teachers_are_warned_a_week_ahead_once_by_notification_and_email(
    emails_sent_locally, django_capture_on_commit_callbacks
):
    built = make_exchange()
    _end(built, days_ago=84)  # deletion in six days
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.retention_warn_due(now=NOW) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.retention_warn_due(now=NOW) == 0  # exactly once
        assert retention.retention_warn(exchange_id=built.exchange.pk, now=NOW) is False

    warned = Notification.objects.filter(kind="retention.warning")
    assert sorted(n.user_id for n in warned) == sorted([built.a.teacher.pk, built.b.teacher.pk])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([built.a.teacher.email,
                                                          built.b.teacher.email])
    assert all("/wall/export/" in m.body for m in mail.outbox)
    assert ExchangeRetention.objects.get(exchange=built.exchange).warned_at == NOW


def test_no_warning_before_the_last_week_nor_for_a_live_exchange(emails_sent_locally):
    early = make_exchange()
    _end(early, days_ago=80)
    make_exchange()  # active, no end
    assert retention.retention_warn_due(now=NOW) == 0
    assert not Notification.objects.filter(kind="retention.warning").exists()


def _populate(built, room):
    """Messages, wall posts with an image, comments by pupils and teachers."""
    pupil_a, pupil_b = built.a.pupils[0], built.b.pupils[0]
    message_send(room=room, author=pupil_a, body="Hello from Coventry", client_id="p1")
    message_send(room=room, author=pupil_b, body="Hallo aus Dresden", client_id="p2")
    teacher_post = wall_post_create(exchange=built.exchange, author=built.a.teacher,
                                    text="Our school", images=[
                                        SimpleUploadedFile("t.jpg", jpeg_with_gps())])
    pupil_post = wall_post_create(exchange=built.exchange, author=pupil_b, text="My dog",
                                  images=[SimpleUploadedFile("d.jpg", jpeg_with_gps())])
    pupil_post = wall_post_decide(post=pupil_post, by=built.b.teacher, approve=True)
    wall_comment_create(post=teacher_post, author=pupil_a, text="Nice!")
    wall_comment_create(post=pupil_post, author=built.a.teacher, text="Lovely dog")
    return teacher_post, pupil_post


def test_retention_deletes_the_pupils_data_and_nothing_else(django_capture_on_commit_callbacks):
    built, room = make_exchange_room()
    teacher_post, pupil_post = _populate(built, room)
    pupil_image = pupil_post.images.get().file.name
    teacher_image = teacher_post.images.get().file.name
    other, other_room = make_exchange_room()  # a live exchange: untouched
    _populate(other, other_room)
    adult = ParticipantFactory()
    _end(built, days_ago=91)
    pupils = [*built.a.pupils, *built.b.pupils]

    with django_capture_on_commit_callbacks(execute=True):
        assert retention.retention_purge_due(now=NOW) == len(pupils)

    assert not User.objects.filter(pk__in=[p.pk for p in pupils]).exists()
    assert not Participant.objects.filter(classroom__in=built.exchange.classroom_ids).exists()
    assert not Message.objects.filter(room=room).exists()
    assert list(WallPost.objects.filter(exchange=built.exchange)) == [teacher_post]
    assert not WallComment.objects.filter(post=teacher_post).exists()  # the pupil's comment
    assert not default_storage.exists(pupil_image) and default_storage.exists(teacher_image)
    # Nothing else: teachers, the exchange, its room, the other exchange, adults.
    assert User.objects.filter(pk__in=[built.a.teacher.pk, built.b.teacher.pk]).count() == 2
    assert ClassroomExchange.objects.filter(pk=built.exchange.pk).exists()
    assert Room.objects.filter(pk=room.pk).exists()
    assert Message.objects.filter(room=other_room).count() == 2
    assert WallPost.objects.filter(exchange=other.exchange).count() == 2
    assert WallImage.objects.filter(post__exchange=other.exchange).count() == 2
    assert User.objects.filter(pk__in=[p.pk for p in (*other.a.pupils, *other.b.pupils)]
                               ).count() == 4
    assert User.objects.filter(pk=adult.user_id).exists()
    row = ExchangeRetention.objects.get(exchange=built.exchange)
    assert row.purged_at == NOW and row.pupils_deleted == 4
    assert AuditEvent.objects.get(verb="retention.purge").data["pupils_deleted"] == 4
    assert retention.retention_purge_due(now=NOW) == 0  # once


def test_nothing_is_deleted_before_the_retention_ends():
    built, room = make_exchange_room()
    message_send(room=room, author=built.a.pupils[0], body="hi", client_id="x")
    _end(built, days_ago=89)
    assert retention.retention_purge_due(now=NOW) == 0
    assert Message.objects.filter(room=room).count() == 1
    assert User.objects.filter(pk=built.a.pupils[0].pk).exists()


def test_a_pupil_who_joined_the_class_after_the_exchange_ended_keeps_their_account():
    """They were never in it: the class waits for its next exchange with them."""
    built, room = make_exchange_room()
    _end(built, days_ago=91)
    late = pupil(built.a.classroom, name="Late J.")

    assert retention.retention_purge_due(now=NOW) == len(built.a.pupils) + len(built.b.pupils)

    assert User.objects.filter(pk=late.user_id).exists()
    assert not User.objects.filter(pk__in=[p.pk for p in built.a.pupils]).exists()


def test_a_class_still_in_another_live_exchange_keeps_its_pupils_but_not_their_messages_here():
    built, room = make_exchange_room()
    message_send(room=room, author=built.a.pupils[0], body="old exchange", client_id="x")
    # Class A also runs a new exchange with a third class.
    third = make_exchange()
    live = ClassroomExchange.objects.create(
        twinning=third.exchange.twinning, classroom_a=built.a.classroom,
        classroom_b=third.b.classroom, status=ClassroomExchange.Status.ACTIVE,
    )
    live_room = room_open(exchange=live)
    message_send(room=live_room, author=built.a.pupils[0], body="new exchange", client_id="y")
    _end(built, days_ago=120)

    assert retention.retention_purge_due(now=NOW) == len(built.b.pupils)

    assert User.objects.filter(pk=built.a.pupils[0].pk).exists()
    assert not User.objects.filter(pk__in=[p.pk for p in built.b.pupils]).exists()
    assert not Message.objects.filter(room=room).exists()
    assert Message.objects.filter(room=live_room).count() == 1


def test_a_pupil_who_stays_loses_their_comments_on_the_ended_exchanges_wall():
    """Their comments are theirs as their posts are: a teacher's post stays on the ended
    exchange's wall, which the other class's teacher still reads, without them."""
    built, room = make_exchange_room()
    teacher_post, _pupil_post = _populate(built, room)  # pupil A comments on it
    third = make_exchange()
    live = ClassroomExchange.objects.create(
        twinning=third.exchange.twinning, classroom_a=built.a.classroom,
        classroom_b=third.b.classroom, status=ClassroomExchange.Status.ACTIVE,
    )
    live_post = wall_post_create(exchange=live, author=built.a.teacher, text="New partners")
    wall_comment_create(post=live_post, author=built.a.pupils[0], text="Hello!")
    _end(built, days_ago=120)

    retention.retention_purge_due(now=NOW)

    assert User.objects.filter(pk=built.a.pupils[0].pk).exists()
    assert WallPost.objects.filter(pk=teacher_post.pk).exists()
    assert not WallComment.objects.filter(post=teacher_post).exists()
    assert WallComment.objects.filter(post=live_post).count() == 1  # the live exchange's


def test_the_pair_rooms_that_stay_keep_no_deleted_pupils_name():
    exchange, pupils_a, pupils_b, pairing = confirmed_pairing(2, 2)
    rooms = [group.room_id for group in pairing.groups.all()]
    names = [pupil.user.display_name for pupil in (*pupils_a, *pupils_b)]
    ClassroomExchange.objects.filter(pk=exchange.pk).update(
        status=ENDED, ended_at=NOW - dt.timedelta(days=91))
    pupils_joined_before(exchange, NOW - dt.timedelta(days=91))

    assert retention.retention_purge(exchange_id=exchange.pk, now=NOW) == 4

    titles = list(Room.objects.filter(pk__in=rooms).values_list("title", flat=True))
    assert len(titles) == 2  # the rooms stay, with their teachers
    assert [name for name in names if any(name in title for title in titles)] == []
    # Named after the exchange, as its teachers know it, not left blank.
    assert titles == [str(exchange)] * 2


def test_after_a_purge_no_pair_room_names_a_pupil_who_stays_either():
    exchange, pupils_a, pupils_b, pairing = confirmed_pairing(2, 2)
    rooms = [group.room_id for group in pairing.groups.all()]
    # Class A is in another exchange still: its pupils keep their accounts.
    other_class = classroom(teacher_user=teacher(), city=exchange.classroom_b.city, name="8a",
                            speaks="de", learns="en")
    ClassroomExchange.objects.create(twinning=exchange.twinning,
                                     classroom_a=exchange.classroom_a, classroom_b=other_class,
                                     status=ClassroomExchange.Status.ACTIVE)
    ClassroomExchange.objects.filter(pk=exchange.pk).update(
        status=ENDED, ended_at=NOW - dt.timedelta(days=91))
    pupils_joined_before(exchange, NOW - dt.timedelta(days=91))

    assert retention.retention_purge(exchange_id=exchange.pk, now=NOW) == 2  # class B's

    assert User.objects.filter(pk__in=[p.user_id for p in pupils_a]).count() == 2
    titles = list(Room.objects.filter(pk__in=rooms).values_list("title", flat=True))
    names = [p.user.display_name for p in (*pupils_a, *pupils_b)]
    assert [name for name in names if any(name in title for title in titles)] == []
    assert titles == [str(exchange)] * 2


def test_the_beat_task_warns_and_purges(emails_sent_locally):
    soon, due = make_exchange(), make_exchange()
    _end(soon, days_ago=85)
    _end(due, days_ago=95)
    result = retention_run.apply().get()
    assert result["warned"] == 2  # the due one is warned too, then purged
    assert result["pupils_deleted"] == 4
    assert User.objects.filter(pk=soon.a.pupils[0].pk).exists()
    assert not User.objects.filter(pk=due.a.pupils[0].pk).exists()


def test_the_setting_sets_the_period(settings):
    settings.JUMELAGE_PUPIL_RETENTION_DAYS = 30
    built = make_exchange()
    _end(built, days_ago=31)
    assert retention.retention_purge_due(now=NOW) == 4


def test_a_purge_keeps_the_pair_rooms_of_the_two_classes_next_exchange():
    """The same two classes meet again in a new exchange before the first one's data
    goes: its pupils' rooms, their messages and their titles are the new exchange's."""
    old, pupils_a, pupils_b, old_pairing = confirmed_pairing(2, 2)
    old_rooms = [group.room for group in old_pairing.groups.all()]
    message_send(room=old_rooms[0], author=pupils_a[0].user, body="last year", client_id="o")
    ClassroomExchange.objects.filter(pk=old.pk).update(
        status=ENDED, ended_at=NOW - dt.timedelta(days=91))
    pupils_joined_before(old, NOW - dt.timedelta(days=91))
    new = ClassroomExchange.objects.create(
        twinning=old.twinning, classroom_a=old.classroom_a, classroom_b=old.classroom_b,
        status=ClassroomExchange.Status.ACTIVE, activated_at=NOW - dt.timedelta(days=30))
    new_rooms = [group.room for group in pairing_confirmed(new).groups.all()]
    message_send(room=new_rooms[0], author=pupils_a[0].user, body="this year", client_id="n")
    titles = {room.pk: Room.objects.get(pk=room.pk).title for room in new_rooms}

    assert retention.retention_purge(exchange_id=old.pk, now=NOW) == 0  # both classes stay

    assert not Message.objects.filter(room=old_rooms[0]).exists()
    assert list(Message.objects.filter(room=new_rooms[0]).values_list("body", flat=True)) == [
        "this year"]
    assert {room.pk: Room.objects.get(pk=room.pk).title for room in new_rooms} == titles
    assert RoomMember.objects.filter(room=new_rooms[0], user=pupils_a[0].user).exists()
    assert not RoomMember.objects.filter(room=old_rooms[0], user=pupils_a[0].user).exists()
    assert all(pupils_a[0].user.display_name not in room.title for room in
               Room.objects.filter(pk__in=[r.pk for r in old_rooms]))
