"""A purge takes the rooms of its own exchange only: a room of the same two classes' next
exchange whose pupil group a removal dissolved (no group row is left to say whose it is)
keeps its messages, and stays that exchange's."""

import datetime as dt

import pytest
from django.utils import timezone

from exchanges.models import ClassroomExchange, Message, PupilGroup, Room
from exchanges.selectors.moderation import exchange_rooms
from exchanges.services import retention
from exchanges.services.chat import message_send
from exchanges.services.pupil_pairing import pairing_confirm, pairing_propose
from exchanges.services.pupils import pupil_remove
from tests.exchanges.class_exchange_fixtures import confirmed_pairing, pupils_joined_before

pytestmark = pytest.mark.django_db

NOW = timezone.now()
LONG_AGO = NOW - dt.timedelta(days=91)


@pytest.fixture(autouse=True)
def retention_days(settings):
    settings.JUMELAGE_PUPIL_RETENTION_DAYS = 90


def _next_exchange(old):
    """The same two classes' next exchange, its pupils paired, each group in its room."""
    ClassroomExchange.objects.filter(pk=old.pk).update(
        status=ClassroomExchange.Status.ENDED, ended_at=LONG_AGO)
    pupils_joined_before(old, LONG_AGO)
    new = ClassroomExchange.objects.create(
        twinning=old.twinning, classroom_a=old.classroom_a, classroom_b=old.classroom_b,
        status=ClassroomExchange.Status.ACTIVE, activated_at=NOW - dt.timedelta(days=30))
    teacher_a, teacher_b = new.classroom_a.teacher, new.classroom_b.teacher
    pairing = pairing_propose(exchange=new, by=teacher_a)
    pairing_confirm(pairing=pairing, by=teacher_a)
    return new, pairing_confirm(pairing=pairing, by=teacher_b)


def test_a_purge_keeps_the_messages_of_a_dissolved_group_of_the_next_exchange():
    old, pupils_a, pupils_b, old_pairing = confirmed_pairing(2, 2)
    old_room = old_pairing.groups.first().room
    message_send(room=old_room, author=pupils_a[0].user, body="last year", client_id="o")
    new, pairing = _next_exchange(old)
    group = pairing.groups.first()
    leaving, staying = sorted(group.members.all(), key=lambda p: p.classroom_id)
    room = group.room
    message_send(room=room, author=staying.user, body="this year", client_id="n")
    # Its pupil of class A leaves: the group is dissolved, its room stays, closed.
    pupil_remove(pupil=leaving, by=leaving.classroom.teacher)
    assert not PupilGroup.objects.filter(pk=group.pk).exists()
    assert Room.objects.get(pk=room.pk).status == Room.Status.CLOSED

    assert retention.retention_purge(exchange_id=old.pk, now=NOW) == 0  # both classes stay

    assert not Message.objects.filter(room=old_room).exists()
    assert list(Message.objects.filter(room=room).values_list("body", flat=True)) == [
        "this year"]
    assert room.pk in set(exchange_rooms(exchange=new).values_list("pk", flat=True))
    assert room.pk not in set(exchange_rooms(exchange=old).values_list("pk", flat=True))


def test_deleting_an_exchange_keeps_its_pupils_rooms_and_their_messages():
    exchange, pupils_a, _pupils_b, pairing = confirmed_pairing(1, 1)
    room = pairing.groups.get().room
    message_send(room=room, author=pupils_a[0].user, body="hello", client_id="h")

    exchange.delete()

    assert Room.objects.filter(pk=room.pk).exists()
    assert Message.objects.filter(room=room).count() == 1
