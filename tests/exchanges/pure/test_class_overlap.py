"""Shared school time of two classes on real instants: zones, clock changes, terms,
holidays, and no overlap at all."""

import datetime as dt

from exchanges.pure.class_overlap import (
    SchoolCalendar,
    class_overlap,
    duration_text,
    overlap_text,
)
from exchanges.pure.scheduling import Person, Window

T = dt.time.fromisoformat
D = dt.date.fromisoformat


def calendar(key, zone, windows, start="2027-01-11", end="2027-03-26", holidays=()):
    return SchoolCalendar(
        person=Person(key=key, name=str(key), zone=zone,
                      windows=tuple(Window(day, T(a), T(b)) for day, a, b in windows)),
        term_start=D(start), term_end=D(end),
        holidays=tuple((D(a), D(b)) for a, b in holidays),
    )


COVENTRY = calendar(1, "Europe/London", [(1, "13:00", "15:15"), (3, "13:00", "15:15")])
DRESDEN = calendar(2, "Europe/Berlin", [(1, "15:00", "17:00"), (3, "15:00", "17:00")])
TODAY = D("2027-01-04")


def test_coventry_and_dresden_share_two_and_a_half_hours_a_week_on_tuesdays_and_thursdays():
    overlap = class_overlap(COVENTRY, DRESDEN, today=TODAY)
    assert overlap.first_day == D("2027-01-11")
    assert overlap.weekly_minutes == 150
    assert overlap_text(overlap, "Coventry", "Dresden") == (
        "2 h 30 of shared school time a week, Tue and Thu 14:00–15:15 in Coventry = "
        "15:00–16:15 in Dresden"
    )
    # Every Tuesday and Thursday of the 11 common weeks, 75 minutes each.
    assert len(overlap.intervals) == 22
    assert overlap.total_minutes == 22 * 75


def test_the_overlap_is_computed_on_utc_instants():
    overlap = class_overlap(COVENTRY, DRESDEN, today=TODAY)
    begin, end = overlap.intervals[0]
    assert begin == dt.datetime(2027, 1, 12, 14, 0, tzinfo=dt.UTC)
    assert end == dt.datetime(2027, 1, 12, 15, 15, tzinfo=dt.UTC)


def test_a_holiday_on_one_side_removes_those_days_only():
    dresden = calendar(2, "Europe/Berlin", [(1, "15:00", "17:00"), (3, "15:00", "17:00")],
                       holidays=[("2027-02-15", "2027-02-19")])
    overlap = class_overlap(COVENTRY, dresden, today=TODAY)
    days = {begin.date() for begin, _ in overlap.intervals}
    assert D("2027-02-16") not in days and D("2027-02-18") not in days
    assert D("2027-02-23") in days
    assert len(overlap.intervals) == 20
    # One holiday week is not the typical week.
    assert overlap.weekly_minutes == 150


def test_the_period_is_clipped_to_both_terms_and_today():
    dresden = calendar(2, "Europe/Berlin", [(1, "15:00", "17:00"), (3, "15:00", "17:00")],
                       start="2027-02-01", end="2027-06-30")
    overlap = class_overlap(COVENTRY, dresden, today=D("2027-02-10"))
    assert overlap.first_day == D("2027-02-10")
    assert overlap.last_day == D("2027-03-26")
    assert min(begin for begin, _ in overlap.intervals).date() == D("2027-02-11")
    assert max(end for _, end in overlap.intervals).date() == D("2027-03-25")


def test_terms_that_do_not_meet_say_so():
    later = calendar(2, "Europe/Berlin", [(1, "15:00", "17:00")], start="2027-04-12",
                     end="2027-07-01")
    overlap = class_overlap(COVENTRY, later, today=TODAY)
    assert overlap.first_day is None and not overlap.is_live
    assert overlap_text(overlap, "Coventry", "Dresden") == (
        "the two terms do not meet in the coming months"
    )


def test_coventry_and_nerima_share_no_school_hour():
    coventry = calendar(1, "Europe/London", [(d, "08:45", "15:30") for d in range(5)])
    nerima = calendar(3, "Asia/Tokyo", [(d, "08:30", "15:30") for d in range(5)])
    overlap = class_overlap(coventry, nerima, today=TODAY)
    assert overlap.first_day is not None
    assert not overlap.is_live
    assert overlap.weekly_minutes == 0
    assert overlap_text(overlap, "Coventry", "Nerima") == "Coventry and Nerima share no school hour"


def test_the_weeks_between_american_and_european_clock_changes_move_the_shared_hour():
    # New York 08:00–10:00 and Berlin 14:00–15:00 share 08:00–09:00 New York time in
    # winter; from 14 March (US summer time) to 28 March (EU summer time) it is 09:00–10:00.
    new_york = calendar(1, "America/New_York", [(0, "08:00", "10:00")],
                        start="2027-03-01", end="2027-04-16")
    berlin = calendar(2, "Europe/Berlin", [(0, "14:00", "15:00")],
                      start="2027-03-01", end="2027-04-16")
    overlap = class_overlap(new_york, berlin, today=D("2027-03-01"))
    by_day = {begin.date(): begin for begin, _ in overlap.intervals}
    assert by_day[D("2027-03-08")] == dt.datetime(2027, 3, 8, 13, 0, tzinfo=dt.UTC)
    assert by_day[D("2027-03-15")] == dt.datetime(2027, 3, 15, 13, 0, tzinfo=dt.UTC)
    # Same UTC hour, but New York's clock now reads 09:00 (UTC-4).
    assert overlap.regular and overlap.irregular_count == 2
    assert "times shift in some weeks when clocks change" in overlap_text(
        overlap, "New York", "Berlin"
    )


def test_duration_text():
    assert duration_text(150) == "2 h 30"
    assert duration_text(180) == "3 h"
    assert duration_text(45) == "45 min"
