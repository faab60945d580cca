import datetime as dt

import pytest

from exchanges.pure.matching_schedule import next_daily_run

AT = dt.time(2, 30)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.mark.parametrize(("now", "expected"), [
    (utc(2026, 12, 3, 1, 0), utc(2026, 12, 3, 2, 30)),
    (utc(2026, 12, 3, 2, 30), utc(2026, 12, 4, 2, 30)),
    (utc(2026, 12, 31, 23, 0), utc(2027, 1, 1, 2, 30)),
])
def test_the_next_run_is_the_first_one_strictly_after_now(now, expected):
    assert next_daily_run(now=now, at_utc=AT) == expected


def test_a_local_now_is_read_as_its_instant():
    tokyo = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))  # 01:00 UTC
    assert next_daily_run(now=tokyo, at_utc=AT) == utc(2026, 12, 3, 2, 30)
