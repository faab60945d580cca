"""The earliest effective date of a twinning's status change: its start or its last
recorded change, and never before 1 January 1900 (no twinning still recorded changed
status earlier; a start such as Paderborn–Le Mans' 836 is no change), so a twinning
with neither takes no year-1 slip either."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from exchanges.models import Twinning, TwinningStatusChange
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world, world_suspend

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_lifecycle_world()


def started(world, since: dt.date | None):
    world.twinning.since = since
    world.twinning.save(update_fields=["since"])


@pytest.mark.parametrize("since", [None, dt.date(836, 1, 1)])
@pytest.mark.parametrize("effective", [dt.date(1, 1, 1), dt.date(1899, 12, 31)])
def test_a_change_before_1900_is_refused_at_its_field_and_nothing_changes(
        world, since, effective):
    started(world, since)
    with pytest.raises(ValidationError) as caught:
        world_suspend(world, effective=effective)
    [message] = caught.value.message_dict["effective"]
    assert "1900" in message and "earlier" in message
    world.twinning.refresh_from_db()
    assert world.twinning.status == Twinning.Status.ACTIVE
    assert not TwinningStatusChange.objects.filter(twinning=world.twinning).exists()


@pytest.mark.parametrize("since", [None, dt.date(836, 1, 1)])
def test_1_january_1900_itself_is_accepted(world, since):
    started(world, since)
    world_suspend(world, effective=dt.date(1900, 1, 1))
    world.twinning.refresh_from_db()
    assert world.twinning.status_changed == dt.date(1900, 1, 1)


def test_a_later_start_still_sets_the_floor(world):
    started(world, dt.date(1956, 1, 1))
    with pytest.raises(ValidationError, match="start or its last recorded change"):
        world_suspend(world, effective=dt.date(1955, 12, 31))


# The page says "since 1956" for a start known by its year: the refusal names no day or
# weekday the source lacks; a start known to the day is named to the day.
@pytest.mark.parametrize(("since", "precision", "named"), [
    (dt.date(1956, 1, 1), "year", "1956"),
    (dt.date(1956, 3, 14), "day", "Wed 14 Mar 1956"),
])
def test_a_start_is_named_as_precisely_as_it_is_known(world, since, precision, named):
    started(world, since)
    world.twinning.since_precision = precision
    world.twinning.save(update_fields=["since_precision"])
    with pytest.raises(ValidationError) as caught:
        world_suspend(world, effective=since - dt.timedelta(days=1))
    assert caught.value.message_dict["effective"] == [
        "The effective date cannot be before the twinning's start or its last recorded "
        f"change ({named})."]
