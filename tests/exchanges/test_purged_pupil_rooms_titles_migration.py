"""Migration 0033 titles the pupils' rooms of exchanges purged before the purge did so
after their exchange, and touches no other room: not a match room, not a class room, not
a room of the same two classes' next exchange, not a room of an exchange not purged."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from exchanges.models import ClassroomExchange, Match, Room, RoomMember
from exchanges.services import retention
from exchanges.services.pupil_pairing import pairing_confirm, pairing_propose
from exchanges.services.rooms import room_open
from tests.exchanges.class_exchange_fixtures import confirmed_pairing, pupils_joined_before
from tests.factories import MatchFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "exchanges.migrations.0033_purged_exchanges_pupil_rooms_titled_after_exchange")

NOW = timezone.now()
LONG_AGO = NOW - dt.timedelta(days=91)


@pytest.fixture(autouse=True)
def retention_days(settings):
    settings.JUMELAGE_PUPIL_RETENTION_DAYS = 90


def _end(exchange):
    ClassroomExchange.objects.filter(pk=exchange.pk).update(
        status=ClassroomExchange.Status.ENDED, ended_at=LONG_AGO)
    pupils_joined_before(exchange, LONG_AGO)


def _titles(rooms) -> dict[int, str]:
    return dict(Room.objects.filter(pk__in=[room.pk for room in rooms])
                .values_list("pk", "title"))


def _as_before_the_fix(rooms, title):
    Room.objects.filter(pk__in=[room.pk for room in rooms]).update(title=title)


def test_the_purged_exchanges_pupil_rooms_are_titled_after_it_and_no_other_room():
    old, pupils_a, pupils_b, pairing = confirmed_pairing(2, 2)
    group_rooms = [group.room for group in pairing.groups.all()]
    names = f"{pupils_a[0].user.public_name} · {pupils_b[0].user.public_name}"
    teacher_a = old.classroom_a.teacher
    # A group a removal dissolved keeps its room, with its pupils and teachers.
    dissolved = Room.objects.create(title=names, status=Room.Status.CLOSED)
    RoomMember.objects.create(room=dissolved, user=pupils_a[1].user)
    RoomMember.objects.create(room=dissolved, user=teacher_a, role=RoomMember.Role.MODERATOR)
    # Two of its pupils' match room: a match's, not a pupils' group's.
    match_room = room_open(match=MatchFactory(
        participant_a=pupils_a[0], participant_b=pupils_b[0], twinning=old.twinning,
        status=Match.Status.ACTIVE))
    Room.objects.filter(pk__in=[dissolved.pk, match_room.pk]).update(
        created_at=LONG_AGO - dt.timedelta(days=30))
    class_room = Room.objects.get(exchange=old)
    _end(old)
    # The same two classes' next exchange: both classes stay, with their pupils' names.
    new = ClassroomExchange.objects.create(
        twinning=old.twinning, classroom_a=old.classroom_a, classroom_b=old.classroom_b,
        status=ClassroomExchange.Status.ACTIVE, activated_at=NOW - dt.timedelta(days=30))
    new_pairing = pairing_propose(exchange=new, by=teacher_a)
    pairing_confirm(pairing=new_pairing, by=teacher_a)
    new_pairing = pairing_confirm(pairing=new_pairing, by=new.classroom_b.teacher)
    new_rooms = [group.room for group in new_pairing.groups.all()]
    assert retention.retention_purge(exchange_id=old.pk, now=NOW) == 0
    # One of its groups dissolved too: opened since the old exchange ended, so not its.
    new_dissolved = Room.objects.create(title=names, status=Room.Status.CLOSED)
    RoomMember.objects.create(room=new_dissolved, user=pupils_a[0].user)
    new_rooms.append(new_dissolved)
    # What a purge before the fix left: the pupils who stayed, named.
    _as_before_the_fix([*group_rooms, dissolved, match_room], names)
    _as_before_the_fix([class_room], "The class room")
    kept = _titles([*new_rooms, match_room, class_room])
    assert all(any(pupil.user.public_name in kept[room.pk] for pupil in pupils_a)
               for room in new_rooms)

    migration.forwards(apps, None)

    assert _titles([*group_rooms, dissolved]) == {
        room.pk: str(old) for room in (*group_rooms, dissolved)}
    assert _titles([*new_rooms, match_room, class_room]) == kept


def test_rooms_left_blank_by_a_purge_are_titled_and_an_exchange_not_purged_is_not():
    purged, *_pupils, pairing = confirmed_pairing(1, 1)
    purged_rooms = [group.room for group in pairing.groups.all()]
    waiting, *_others, waiting_pairing = confirmed_pairing(1, 1)
    waiting_rooms = [group.room for group in waiting_pairing.groups.all()]
    for exchange in (purged, waiting):
        _end(exchange)
    assert retention.retention_purge(exchange_id=purged.pk, now=NOW) == 2
    _as_before_the_fix(purged_rooms, "")  # no pupil stayed to name
    kept = _titles(waiting_rooms)

    migration.forwards(apps, None)

    assert _titles(purged_rooms) == {room.pk: str(purged) for room in purged_rooms}
    assert _titles(waiting_rooms) == kept
