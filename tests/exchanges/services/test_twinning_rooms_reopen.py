"""Reactivating a suspended twinning reopens only the rooms its suspension closed: a room
a teacher closed stays closed, whether the teacher closed it before the suspension or
while it lasted (from a page opened before it), and says the teacher's reason; so does a
match's room when the partnership ends (or one partner blocks the other) meanwhile."""

import pytest
from django.utils import timezone

from exchanges.models import Room
from exchanges.selectors.rooms import room_closed_reason
from exchanges.services.matches import ENDED_BY_PARTNER, match_end
from exchanges.services.moderation import room_moderate_close
from exchanges.services.rooms import block_create
from exchanges.services.twinning_lifecycle import twinning_reactivate
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world, world_suspend

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_lifecycle_world()


def reactivate(world):
    return twinning_reactivate(twinning=world.twinning, by=world.officer, reason="Back",
                               effective=timezone.localdate())


def teacher_closes(world):
    room_moderate_close(room=world.exchange_room, by=world.exchange.classroom_a.teacher,
                        reason="Closed for the holidays")


def test_a_room_a_teacher_closes_during_the_suspension_stays_closed(world):
    world_suspend(world)
    teacher_closes(world)
    outcome = reactivate(world)
    world.exchange_room.refresh_from_db()
    world.room.refresh_from_db()
    assert world.exchange_room.status == Room.Status.CLOSED
    assert room_closed_reason(world.exchange_room) == "Closed for the holidays"
    assert world.room.status == Room.Status.OPEN  # the match's room: the suspension's only
    assert outcome.rooms_reopened == 1


def test_a_room_a_teacher_closed_before_the_suspension_stays_closed(world):
    teacher_closes(world)
    world_suspend(world)
    outcome = reactivate(world)
    world.exchange_room.refresh_from_db()
    assert world.exchange_room.status == Room.Status.CLOSED
    assert world.exchange_room.closed_reason == "Closed for the holidays"
    assert outcome.rooms_reopened == 1


def test_the_rooms_only_the_suspension_closed_reopen(world):
    world_suspend(world)
    outcome = reactivate(world)
    for room in (world.room, world.exchange_room):
        room.refresh_from_db()
        assert (room.status, room.closed_reason, room.closed_at) == (Room.Status.OPEN, "", None)
    assert outcome.rooms_reopened == 2


def test_a_second_suspension_after_the_teachers_close_leaves_it_closed_too(world):
    world_suspend(world)
    teacher_closes(world)
    reactivate(world)
    world_suspend(world)
    reactivate(world)
    world.exchange_room.refresh_from_db()
    assert world.exchange_room.status == Room.Status.CLOSED
    assert world.exchange_room.closed_reason == "Closed for the holidays"


@pytest.mark.parametrize("ends", ["match_end", "block"])
def test_a_partnership_that_ends_during_the_suspension_says_why_its_room_stays_closed(
        world, ends):
    # Once the twinning is active again, "closed: the twinning is suspended" would be
    # false: the room is closed because the partnership ended.
    world_suspend(world)
    a, b = world.active.participant_a, world.active.participant_b
    if ends == "match_end":
        match_end(match=world.active, by=a)
    else:
        block_create(blocker=a, blocked=b)
    reactivate(world)
    world.room.refresh_from_db()
    assert world.room.status == Room.Status.CLOSED
    assert not world.room.closed_by_twinning
    assert world.room.closed_reason == (ENDED_BY_PARTNER if ends == "match_end"
                                        else "blocked")
