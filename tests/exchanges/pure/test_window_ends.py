"""A window may end at midnight (00:00 as an end, "24:00" to the engine): slot options
reach the end of the day, also on the days clocks change, at 01:00 (London) or at
midnight itself (Santiago)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from exchanges.pure.scheduling import Person, Window, merged_windows, slot_options
from exchanges.pure.window_ends import end_instant, end_minute, end_text

T = dt.time.fromisoformat
SAT = 5


def _late_saturdays(key, zone, end="00:00", start="22:00"):
    return Person(key=key, name=f"P{key}", zone=zone, windows=(Window(SAT, T(start), T(end)),))


def _keys(options):
    return [option.key for option in options]


def test_midnight_as_an_end_is_the_end_of_the_day():
    assert end_minute(T("00:00")) == 1440 and end_minute(T("23:59")) == 1439
    assert end_text(T("00:00")) == "24:00" and end_text(T("21:30")) == "21:30"
    london = ZoneInfo("Europe/London")
    assert end_instant(dt.date(2027, 3, 27), T("00:00"), london) == dt.datetime(
        2027, 3, 28, 0, 0, tzinfo=london)


def test_a_window_to_midnight_offers_the_last_hour_of_the_day():
    a, b = _late_saturdays(1, "Europe/Berlin"), _late_saturdays(2, "Europe/Berlin")
    options = slot_options(a, b, start_date=dt.date(2027, 1, 4), weeks=4, minutes=60)
    assert _keys(options) == ["5|22:00|Europe/Berlin", "5|22:30|Europe/Berlin",
                              "5|23:00|Europe/Berlin"]


@pytest.mark.parametrize("start_date", [
    dt.date(2027, 3, 22),  # London springs forward at 01:00 on Sunday 28 March
    dt.date(2027, 10, 25),  # and falls back at 02:00 on Sunday 31 October
])
def test_london_clock_changes_the_night_after_keep_saturday_23_00(start_date):
    a, b = _late_saturdays(1, "Europe/London"), _late_saturdays(2, "Europe/London")
    options = slot_options(a, b, start_date=start_date, weeks=2, minutes=60)
    assert "5|23:00|Europe/London" in _keys(options)
    late = next(o for o in options if o.key == "5|23:00|Europe/London")
    assert late.is_stable


@pytest.mark.parametrize(("start_date", "last_end_utc"), [
    # Santiago falls back at midnight ending Saturday 3 April 2027 (-03 -> -04): that
    # Saturday lasts 25 hours and ends at 04:00 UTC.
    (dt.date(2027, 3, 29), dt.datetime(2027, 4, 4, 3, 0, tzinfo=dt.UTC)),
    # It springs forward at midnight ending Saturday 4 September (-04 -> -03): midnight
    # never shows on the clock; the day ends at the change, 04:00 UTC.
    (dt.date(2027, 8, 30), dt.datetime(2027, 9, 5, 4, 0, tzinfo=dt.UTC)),
])
def test_santiago_clock_changes_at_midnight_keep_saturday_23_00(start_date, last_end_utc):
    a, b = _late_saturdays(1, "America/Santiago"), _late_saturdays(2, "America/Santiago")
    options = slot_options(a, b, start_date=start_date, weeks=2, minutes=60)
    late = next(o for o in options if o.key == "5|23:00|America/Santiago")
    # The first 23:00 (before the clocks go back) or the only one: inside Saturday.
    assert late.starts[0] + dt.timedelta(minutes=60) == last_end_utc
    assert "5|23:30|America/Santiago" not in _keys(options)  # it would run past midnight


def test_a_window_from_midnight_to_midnight_is_the_whole_day():
    a = _late_saturdays(1, "Europe/Paris", start="00:00")
    b = _late_saturdays(2, "Europe/Paris", start="00:00")
    options = slot_options(a, b, start_date=dt.date(2027, 1, 4), weeks=1, minutes=60)
    assert _keys(options)[0] == "5|00:00|Europe/Paris"
    assert _keys(options)[-1] == "5|23:00|Europe/Paris"


def test_windows_touching_midnight_merge():
    person = Person(key=1, name="P", zone="UTC", windows=(
        Window(SAT, T("23:00"), T("00:00")), Window(SAT, T("20:00"), T("23:00")),
    ))
    assert merged_windows(person) == {SAT: [(T("20:00"), T("00:00"))]}
