"""A room its twinning's halt closed says so in the tense that holds: a room that stays
closed once the twinning is active again (its match ended by the termination) says the
twinning *was* terminated, not that it is."""

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from exchanges.models import Room
from exchanges.selectors.rooms import room_closed_reason
from exchanges.services.twinning_lifecycle import twinning_reactivate, twinning_terminate
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world, world_suspend

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_lifecycle_world()


def _change(world, change):
    change(twinning=world.twinning, by=world.officer, reason="Council vote",
           effective=timezone.localdate())
    world.room.refresh_from_db()
    world.twinning.refresh_from_db()


def _day() -> str:
    return date_format(timezone.localdate(), "DATE_FORMAT")


def test_while_terminated_the_room_says_the_twinning_is_terminated(world):
    _change(world, twinning_terminate)
    assert room_closed_reason(world.room) == (
        f"The twinning {world.twinning} is terminated since {_day()}: Council vote")


def test_once_active_again_a_room_left_closed_says_the_twinning_was_terminated(world):
    _change(world, twinning_terminate)
    _change(world, twinning_reactivate)
    assert world.room.status == Room.Status.CLOSED  # its match ended with the termination
    assert room_closed_reason(world.room) == (
        f"The twinning {world.twinning} was terminated on {_day()}: Council vote")


def test_a_suspension_s_words_kept_through_a_termination_are_in_the_past_too(world):
    world_suspend(world)
    _change(world, twinning_terminate)
    assert room_closed_reason(world.room).startswith(
        f"The twinning {world.twinning} was suspended on {_day()}: ")
