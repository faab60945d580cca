"""Wall-clock times around clock changes: skipped ones refused, repeated ones placed at
their first occurrence, every other one at its single instant."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from exchanges.pure.wall_clock import SkippedTime, wall_clock_place, zone_place_name

LONDON = ZoneInfo("Europe/London")


def test_a_time_the_clocks_skip_does_not_exist():
    with pytest.raises(SkippedTime):
        wall_clock_place(dt.datetime(2027, 3, 28, 1, 30), LONDON)


def test_a_time_the_clocks_repeat_is_its_first_occurrence():
    placed = wall_clock_place(dt.datetime(2027, 10, 31, 1, 30), LONDON)
    assert placed.repeated
    assert placed.instant == dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC)  # 01:30 BST


@pytest.mark.parametrize("hour", [0, 2, 12])
def test_an_ordinary_time_is_its_one_instant(hour):
    placed = wall_clock_place(dt.datetime(2027, 10, 31, hour, 30), LONDON)
    assert not placed.repeated
    assert placed.instant == dt.datetime(2027, 10, 31, hour, 30, tzinfo=LONDON)


def test_a_zones_place_name():
    assert zone_place_name(LONDON) == "London"
    assert zone_place_name(ZoneInfo("America/New_York")) == "New York"
