"""Migration 0032 marks the rooms a twinning's halt alone closed (their reason is the
twinning's), and not one a teacher closed again while the twinning was suspended."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from exchanges.models import AuditEvent, Room
from exchanges.services.moderation import room_moderate_close
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world, world_suspend

pytestmark = pytest.mark.django_db

migration = importlib.import_module("exchanges.migrations.0032_room_closed_by_twinning")


def test_rooms_closed_by_their_twinning_alone_are_marked():
    suspended = make_lifecycle_world()
    world_suspend(suspended)
    closed_by_teacher = make_lifecycle_world()
    world_suspend(closed_by_teacher)
    room_moderate_close(room=closed_by_teacher.exchange_room, reason="Holidays",
                        by=closed_by_teacher.exchange.classroom_a.teacher)
    # As the teacher's close left the room before this migration: the suspension's words.
    Room.objects.filter(pk=closed_by_teacher.exchange_room.pk).update(
        closed_reason=Room.objects.get(pk=closed_by_teacher.room.pk).closed_reason)
    # A teacher's close long ago (the room reopened by a reactivation since) is no close now.
    AuditEvent.objects.create(verb="room.close", target=f"room:{suspended.exchange_room.pk}",
                              data={"reason": "Earlier"})
    AuditEvent.objects.filter(target=f"room:{suspended.exchange_room.pk}").update(
        created_at=Room.objects.get(pk=suspended.exchange_room.pk).closed_at
        - dt.timedelta(days=30))
    never_closed = make_lifecycle_world()
    Room.objects.update(closed_by_twinning=False)  # as the new column starts

    migration.forwards(apps, None)

    marked = set(Room.objects.filter(closed_by_twinning=True).values_list("pk", flat=True))
    assert marked == {suspended.room.pk, suspended.exchange_room.pk, closed_by_teacher.room.pk}
    assert never_closed.room.pk not in marked
