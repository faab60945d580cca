"""Migration 0035 records the exchange of each existing pupils' room where it is certain:
its group's, or, for a group a removal dissolved, the one exchange of its pupils' classes
and teachers that ran when it opened. Other rooms, and rooms more than one exchange (or
none) fits, are left of no exchange."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from exchanges.models import (
    ClassroomExchange,
    Match,
    Participant,
    PupilPairing,
    Room,
    RoomMember,
)
from exchanges.services.pupil_pairing import pairing_confirm, pairing_propose
from exchanges.services.pupils import pupil_remove
from exchanges.services.rooms import room_open
from tests.exchanges.class_exchange_fixtures import confirmed_pairing
from tests.factories import MatchFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("exchanges.migrations.0035_room_pupils_exchange")

NOW = timezone.now()
LONG_AGO = NOW - dt.timedelta(days=120)


def _dissolve(group) -> Room:
    """Its pupil of class A leaves: the group goes, its room stays."""
    exchange = group.pairing.exchange
    leaving = group.members.get(classroom_id=exchange.classroom_a_id)
    pupil_remove(pupil=leaving, by=exchange.classroom_a.teacher)
    return group.room


def _pair(exchange) -> PupilPairing:
    teacher_a, teacher_b = exchange.classroom_a.teacher, exchange.classroom_b.teacher
    pairing = pairing_propose(exchange=exchange, by=teacher_a)
    pairing_confirm(pairing=pairing, by=teacher_a)
    return pairing_confirm(pairing=pairing, by=teacher_b)


def _recorded(rooms) -> dict[int, int | None]:
    return dict(Room.objects.filter(pk__in=[room.pk for room in rooms])
                .values_list("pk", "pupils_exchange_id"))


def test_each_pupils_room_takes_its_exchange_where_it_is_certain_and_no_other_room_does():
    old, _pupils_a, pupils_b, old_pairing = confirmed_pairing(3, 3)
    old_groups = list(old_pairing.groups.order_by("pk"))
    old_dissolved = _dissolve(old_groups[0])
    old_rooms = [group.room for group in old_groups[1:]]
    # Last year's: opened then, and ended long ago.
    Room.objects.filter(pk__in=[r.pk for r in (old_dissolved, *old_rooms)]).update(
        created_at=LONG_AGO)
    PupilPairing.objects.filter(exchange=old).update(created_at=LONG_AGO)
    ClassroomExchange.objects.filter(pk=old.pk).update(
        created_at=LONG_AGO - dt.timedelta(days=1), status=ClassroomExchange.Status.ENDED,
        ended_at=NOW - dt.timedelta(days=91))
    # The same two classes' next exchange, one of its groups dissolved too.
    new = ClassroomExchange.objects.create(
        twinning=old.twinning, classroom_a=old.classroom_a, classroom_b=old.classroom_b,
        status=ClassroomExchange.Status.ACTIVE, activated_at=NOW)
    new_groups = list(_pair(new).groups.order_by("pk"))
    new_dissolved = _dissolve(new_groups[0])
    new_rooms = [group.room for group in new_groups[1:]]
    # A dissolved group's room opened before either exchange: none fits it.
    stray = Room.objects.create(title="?", status=Room.Status.CLOSED)
    RoomMember.objects.create(room=stray, user=pupils_b[0].user)
    Room.objects.filter(pk=stray.pk).update(created_at=LONG_AGO - dt.timedelta(days=30))
    others = [
        Room.objects.get(exchange=old), room_open(exchange=new),
        # Two of its pupils' match room: a match's, not a pupils' group's.
        room_open(match=MatchFactory(
            participant_a=Participant.objects.filter(classroom=old.classroom_a).first(),
            participant_b=Participant.objects.filter(classroom=old.classroom_b).first(),
            twinning=old.twinning, status=Match.Status.ACTIVE)),
    ]
    rooms = [old_dissolved, *old_rooms, new_dissolved, *new_rooms, stray, *others]
    Room.objects.update(pupils_exchange=None)  # as before the migration

    migration.forwards(apps, None)

    assert _recorded(rooms) == {
        **{room.pk: old.pk for room in (old_dissolved, *old_rooms)},
        **{room.pk: new.pk for room in (new_dissolved, *new_rooms)},
        **{room.pk: None for room in (stray, *others)},
    }


def test_a_dissolved_groups_room_two_exchanges_of_its_classes_fit_is_left_of_none():
    exchange, _pupils_a, _pupils_b, pairing = confirmed_pairing(2, 2)
    # The same two classes in a second exchange at the same time (another program's).
    twin = ClassroomExchange.objects.create(
        twinning=exchange.twinning, classroom_a=exchange.classroom_a,
        classroom_b=exchange.classroom_b, status=ClassroomExchange.Status.ACTIVE)
    PupilPairing.objects.create(exchange=twin)
    ClassroomExchange.objects.filter(pk=twin.pk).update(created_at=LONG_AGO)
    PupilPairing.objects.filter(exchange=twin).update(created_at=LONG_AGO)
    groups = list(pairing.groups.order_by("pk"))
    dissolved = _dissolve(groups[0])
    kept = groups[1].room
    Room.objects.update(pupils_exchange=None)

    migration.forwards(apps, None)

    assert _recorded([dissolved, kept]) == {dissolved.pk: None, kept.pk: exchange.pk}
