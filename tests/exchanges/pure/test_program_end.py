"""When a program has ended: its zones are read only within a day of its end date, where
they decide (every clock is between UTC−12 and UTC+14)."""

import datetime as dt

import pytest

from exchanges.pure.program_end import ended_for

END = dt.date(2027, 6, 14)
ZONES = ("Pacific/Kiritimati", "Pacific/Pago_Pago")  # UTC+14 and UTC−11


def _never():
    raise AssertionError("the zones were read where they cannot change the answer")


@pytest.mark.parametrize(("at", "ended"), [
    (dt.datetime(2027, 6, 13, 9, 59, tzinfo=dt.UTC), False),  # 23:59 on the 13th at +14
    (dt.datetime(2027, 6, 15, 12, 0, tzinfo=dt.UTC), True),  # 00:00 on the 15th at −12
])
def test_far_from_the_end_no_zone_is_read(at, ended):
    assert ended_for(end_date=END, zones=_never, at=at) is ended


@pytest.mark.parametrize(("at", "ended"), [
    (dt.datetime(2027, 6, 13, 10, 0, tzinfo=dt.UTC), True),  # the 14th began at +14
    (dt.datetime(2027, 6, 14, 10, 59, tzinfo=dt.UTC), True),
])
def test_near_the_end_the_zones_decide(at, ended):
    assert ended_for(end_date=END, zones=lambda: ZONES, at=at) is ended
    assert ended_for(end_date=END, zones=("Pacific/Pago_Pago",), at=at) is (
        at.astimezone(dt.timezone(dt.timedelta(hours=-11))).date() >= END)
