"""Migration 0032 marked as closed by its twinning a room a teacher closed (while it was
open) with words that begin like a twinning's ("The twinning "): the teacher's audit
event is a moment older than the room's close, so 0032 took it for an earlier close.
A twinning's reactivation would then reopen it. Migration 0036 unmarks such rooms: the
close its teacher's event made, with the same words; rooms the twinning closed stay
marked and reopen."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from exchanges.models import AuditEvent, Room
from exchanges.services.moderation import room_moderate_close
from exchanges.services.twinning_lifecycle import twinning_reactivate
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world, world_suspend

pytestmark = pytest.mark.django_db

marking = importlib.import_module("exchanges.migrations.0032_room_closed_by_twinning")
migration = importlib.import_module("exchanges.migrations.0036_teacher_closed_rooms_unmarked")
WORDS = "The twinning is on hold: holidays"


def test_a_room_a_teacher_closed_with_twinning_like_words_stays_closed_on_reactivation():
    world = make_lifecycle_world()
    teacher = world.exchange.classroom_a.teacher
    room_moderate_close(room=world.exchange_room, reason=WORDS, by=teacher)
    world_suspend(world)  # closes the match room; the class room is closed already
    # A room the twinning closed, with a teacher's close long before (reopened since).
    AuditEvent.objects.create(verb="room.close", target=f"room:{world.room.pk}",
                              data={"reason": Room.objects.get(pk=world.room.pk).closed_reason})
    AuditEvent.objects.filter(target=f"room:{world.room.pk}").update(
        created_at=Room.objects.get(pk=world.room.pk).closed_at - dt.timedelta(days=30))
    Room.objects.update(closed_by_twinning=False)  # as 0032's new column starts
    marking.forwards(apps, None)
    assert Room.objects.get(pk=world.exchange_room.pk).closed_by_twinning  # 0032's mistake

    migration.forwards(apps, None)

    assert not Room.objects.get(pk=world.exchange_room.pk).closed_by_twinning
    assert Room.objects.get(pk=world.room.pk).closed_by_twinning
    twinning_reactivate(twinning=world.twinning, by=world.officer, reason="New vote",
                        effective=timezone.localdate())
    closed_by_teacher = Room.objects.get(pk=world.exchange_room.pk)
    assert closed_by_teacher.status == Room.Status.CLOSED
    assert closed_by_teacher.closed_reason == WORDS
    assert Room.objects.get(pk=world.room.pk).status == Room.Status.OPEN


def test_a_teachers_other_words_or_a_later_close_change_nothing():
    world = make_lifecycle_world()
    world_suspend(world)
    marked = set(Room.objects.filter(closed_by_twinning=True).values_list("pk", flat=True))
    assert marked == {world.room.pk, world.exchange_room.pk}
    # A close event as the twinning's, but with other words: not this close.
    AuditEvent.objects.create(verb="room.close", target=f"room:{world.room.pk}",
                              data={"reason": "Holidays"})
    AuditEvent.objects.filter(target=f"room:{world.room.pk}").update(
        created_at=Room.objects.get(pk=world.room.pk).closed_at)

    migration.forwards(apps, None)

    assert set(Room.objects.filter(closed_by_twinning=True).values_list("pk", flat=True)) == marked
