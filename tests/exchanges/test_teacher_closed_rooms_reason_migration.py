"""Migration 0034 gives a room a teacher closed during its twinning's suspension, before
such a close replaced the suspension's words, the teacher's reason: its reason no longer
reads as the twinning's, and the page shows the teacher's words. A room the suspension
alone closed keeps the twinning's reason, said in the reader's language."""

import importlib

import pytest
from django.apps import apps
from django.utils import translation

from exchanges.models import AuditEvent, Room
from exchanges.selectors.rooms import room_closed_reason
from exchanges.services.moderation import room_moderate_close
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world, world_suspend

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "exchanges.migrations.0034_teacher_closed_rooms_reason_restored")


def _as_before_the_fix(room, twinnings_words):
    """The teacher's close kept the suspension's words, and 0032 left the room unmarked."""
    Room.objects.filter(pk=room.pk).update(closed_reason=twinnings_words,
                                           closed_by_twinning=False)


def test_a_room_a_teacher_closed_during_a_suspension_gets_the_teachers_reason_back():
    world = make_lifecycle_world()
    world_suspend(world, reason="Vote du conseil")
    twinnings_words = Room.objects.get(pk=world.room.pk).closed_reason
    teacher = world.exchange.classroom_a.teacher
    room_moderate_close(room=world.exchange_room, reason="Holidays", by=teacher)
    _as_before_the_fix(world.exchange_room, twinnings_words)

    migration.forwards(apps, None)

    closed_by_teacher = Room.objects.get(pk=world.exchange_room.pk)
    assert closed_by_teacher.closed_reason == "Holidays"
    suspended = Room.objects.get(pk=world.room.pk)
    assert suspended.closed_reason == twinnings_words and suspended.closed_by_twinning
    with translation.override("fr"):
        assert room_closed_reason(closed_by_teacher) == "Holidays"
        shown = room_closed_reason(suspended)
    assert "Vote du conseil" in shown and "The twinning" not in shown


def test_a_close_without_its_words_takes_the_default_and_a_teachers_own_words_stay():
    world = make_lifecycle_world()
    world_suspend(world)
    twinnings_words = Room.objects.get(pk=world.room.pk).closed_reason
    room_moderate_close(room=world.exchange_room, reason="",
                        by=world.exchange.classroom_a.teacher)
    AuditEvent.objects.filter(verb="room.close").update(data={})
    _as_before_the_fix(world.exchange_room, twinnings_words)
    # A teacher's own words that begin like a twinning's: the close they were written for.
    other = make_lifecycle_world()
    room_moderate_close(room=other.exchange_room, reason="The twinning is on hold: holidays",
                        by=other.exchange.classroom_a.teacher)

    migration.forwards(apps, None)

    assert Room.objects.get(pk=world.exchange_room.pk).closed_reason == "closed by a teacher"
    assert (Room.objects.get(pk=other.exchange_room.pk).closed_reason
            == "The twinning is on hold: holidays")
