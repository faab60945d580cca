"""Weekly windows less the weekly times booked sessions take (no database)."""

import datetime as dt

from exchanges.pure.booked_windows import WeeklyBusy, weekly_busy, windows_left
from exchanges.pure.scheduling import Window

MON, TUE, WED, SUN = 0, 1, 2, 6


def w(day, start, end) -> Window:
    return Window(weekday=day, start=dt.time.fromisoformat(start), end=dt.time.fromisoformat(end))


def busy(day, start, minutes) -> WeeklyBusy:
    return WeeklyBusy(weekday=day, start=dt.time.fromisoformat(start), minutes=minutes)


def test_a_booked_hour_inside_a_window_splits_it_in_two():
    left = windows_left([w(MON, "17:00", "21:00")], [busy(MON, "18:00", 60)], shortest=60)
    assert left == (w(MON, "17:00", "18:00"), w(MON, "19:00", "21:00"))


def test_a_window_the_booking_fills_is_removed_and_the_others_stay():
    windows = (w(MON, "18:00", "19:00"), w(WED, "08:00", "08:30"), w(WED, "18:00", "20:00"))
    assert windows_left(windows, [], shortest=60) == windows
    # Tuesday's booking touches no window.
    left = windows_left(windows, [busy(MON, "18:00", 60), busy(TUE, "18:00", 60)], shortest=60)
    assert left == (w(WED, "08:00", "08:30"), w(WED, "18:00", "20:00"))


def test_a_part_left_shorter_than_a_session_is_dropped():
    left = windows_left([w(MON, "17:30", "20:00")], [busy(MON, "18:00", 60)], shortest=60)
    assert left == (w(MON, "19:00", "20:00"),)


def test_a_booking_in_one_window_leaves_a_short_uncut_window_alone():
    left = windows_left([w(MON, "17:00", "19:00"), w(TUE, "07:00", "07:30")],
                        [busy(MON, "17:00", 60)], shortest=60)
    assert left == (w(MON, "18:00", "19:00"), w(TUE, "07:00", "07:30"))


def test_a_session_across_midnight_cuts_both_days():
    windows = [w(MON, "22:00", "00:00"), w(TUE, "00:00", "02:00")]
    left = windows_left(windows, [busy(MON, "23:30", 60)], shortest=60)
    assert left == (w(MON, "22:00", "23:30"), w(TUE, "00:30", "02:00"))


def test_halves_either_side_of_midnight_count_as_one_window_for_the_session_length():
    # 23:00-00:00 and 00:00-00:30 are each shorter than an hour but one 90-minute evening.
    windows = [w(MON, "21:00", "00:00"), w(TUE, "00:00", "00:30")]
    left = windows_left(windows, [busy(MON, "21:00", 120)], shortest=60)
    assert left == (w(MON, "23:00", "00:00"), w(TUE, "00:00", "00:30"))


def test_sunday_night_runs_on_into_monday_morning():
    windows = [w(MON, "00:00", "00:30"), w(SUN, "22:00", "00:00")]
    left = windows_left(windows, [busy(SUN, "22:00", 90)], shortest=60)
    assert left == (w(MON, "00:00", "00:30"), w(SUN, "23:30", "00:00"))
    gone = windows_left(windows, [busy(SUN, "23:30", 60)], shortest=60)
    assert gone == (w(SUN, "22:00", "23:30"),)


def test_a_whole_free_week_keeps_all_but_the_booked_hour():
    every_day = [w(day, "00:00", "00:00") for day in range(7)]
    left = windows_left(every_day, [busy(WED, "12:00", 60)], shortest=60)
    assert left[0] == w(MON, "00:00", "00:00")
    assert w(WED, "00:00", "12:00") in left and w(WED, "13:00", "00:00") in left
    assert sum(1 for x in left if x.weekday == WED) == 2 and len(left) == 8


def test_a_series_keeps_one_local_time_across_a_clock_change():
    # Mondays 18:00 in London: 17:00 UTC in summer, 18:00 UTC after the October change.
    starts = [(dt.datetime(2026, 10, 19, 17, tzinfo=dt.UTC), 60),
              (dt.datetime(2026, 10, 26, 18, tzinfo=dt.UTC), 60)]
    assert weekly_busy(starts, "Europe/London") == {busy(MON, "18:00", 60)}
    left = windows_left([w(MON, "17:00", "20:00")], weekly_busy(starts, "Europe/London"),
                        shortest=60)
    assert left == (w(MON, "17:00", "18:00"), w(MON, "19:00", "20:00"))


def test_a_series_in_the_partners_zone_moves_in_mine_and_both_times_are_cut():
    # London's Mondays 18:00 seen from Tokyo, which keeps its clock: 02:00, then 03:00.
    summer, winter = weekly_busy(
        [(dt.datetime(2026, 10, 19, 17, tzinfo=dt.UTC), 60),
         (dt.datetime(2026, 10, 26, 18, tzinfo=dt.UTC), 60)], "Asia/Tokyo")
    left = windows_left([w(TUE, "01:00", "05:00")], [summer, winter], shortest=60)
    assert left == (w(TUE, "01:00", "02:00"), w(TUE, "04:00", "05:00"))
