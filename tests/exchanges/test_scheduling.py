"""The pure slot computation: real instants across DST changes on either side."""

import datetime as dt

import pytest

from exchanges.pure.scheduling import Person, Window, parse_key, slot_evaluate, slot_options
from exchanges.pure.weekly_instants import local_to_utc, occurrences

UTC = dt.UTC


def person(key, name, zone, *windows):
    return Person(
        key=key,
        name=name,
        zone=zone,
        windows=tuple(
            Window(day, dt.time.fromisoformat(start), dt.time.fromisoformat(end))
            for day, start, end in windows
        ),
    )


def z(*args):
    return dt.datetime(*args, tzinfo=UTC)


# Monday windows. In 2027 New York changes clocks on 14 March, London on 28 March.
NORA = person(1, "Nora", "America/New_York", (0, "13:00", "15:00"))
BRUNO = person(2, "Bruno", "Europe/London", (0, "18:00", "20:00"))
# Tehran keeps +03:30 all year.
BRUNO_AFTERNOONS = person(1, "Bruno", "Europe/London", (0, "16:00", "18:00"))
SARA = person(2, "Sara", "Asia/Tehran", (0, "19:00", "22:00"))


def test_london_sydney_opposite_hemispheres_instants_and_moves():
    # 2027: London goes to BST on 28 March, Sydney leaves AEDT on 4 April.
    anna = person(1, "Anna", "Europe/London", (0, "07:00", "10:00"))
    kai = person(2, "Kai", "Australia/Sydney", (0, "17:00", "21:00"))
    option = slot_evaluate(
        anna,
        kai,
        weekday=0,
        local_start=dt.time(8),
        anchor_tz="Europe/London",
        start_date=dt.date(2027, 3, 22),
        weeks=4,
        minutes=60,
    )
    assert option is not None
    assert option.starts == (
        z(2027, 3, 22, 8),
        z(2027, 3, 29, 7),
        z(2027, 4, 5, 7),
        z(2027, 4, 12, 7),
    )
    kai_view = option.view_for(2)
    # Sydney sees 19:00, 18:00, then 17:00 twice: the gap between the zones closes by 2 h.
    assert (kai_view.weekday, kai_view.start) == (0, dt.time(17))
    assert [m.local.hour for m in kai_view.moves] == [19, 18]
    assert option.view_for(1).moves == ()
    assert option.moved_weeks == 2
    assert "moves to 19:00 for Kai for 1 week in March" in option.notes


def test_los_angeles_tokyo_one_side_never_changes():
    # LA changes on 14 March 2027; Tokyo has no DST. Monday evening LA is Tuesday in Tokyo.
    lee = person(1, "Lee", "America/Los_Angeles", (0, "16:00", "19:00"))
    yui = person(2, "Yui", "Asia/Tokyo", (1, "08:00", "12:00"))
    option = slot_evaluate(
        lee,
        yui,
        weekday=0,
        local_start=dt.time(17),
        anchor_tz="America/Los_Angeles",
        start_date=dt.date(2027, 3, 1),
        weeks=4,
        minutes=60,
    )
    assert option.starts == (
        z(2027, 3, 2, 1),
        z(2027, 3, 9, 1),
        z(2027, 3, 16, 0),
        z(2027, 3, 23, 0),
    )
    yui_view = option.view_for(2)
    assert yui_view.weekday == 1  # Tuesday in Tokyo
    assert {m.local.hour for m in yui_view.moves} | {yui_view.start.hour} == {9, 10}
    assert len(yui_view.moves) == 2
    # Anchored in Tokyo, the instant never moves and Lee's local time does instead.
    tokyo = slot_evaluate(
        lee,
        yui,
        weekday=1,
        local_start=dt.time(10),
        anchor_tz="Asia/Tokyo",
        start_date=dt.date(2027, 3, 1),
        weeks=4,
        minutes=60,
    )
    assert set(tokyo.starts) == {
        z(2027, 3, 2, 1),
        z(2027, 3, 9, 1),
        z(2027, 3, 16, 1),
        z(2027, 3, 23, 1),
    }
    assert tokyo.view_for(2).moves == ()
    assert len(tokyo.view_for(1).moves) == 2


def test_march_weeks_when_us_changed_and_europe_not_yet():
    # 2027: US changes 14 March, EU 28 March; for two Mondays (15, 22) NY is 4 h behind.
    options = slot_options(NORA, BRUNO, start_date=dt.date(2027, 3, 1), weeks=6, minutes=60)
    by_key = {option.key: option for option in options}
    assert set(by_key) == {"0|14:00|America/New_York", "0|18:00|Europe/London"}
    london = by_key["0|18:00|Europe/London"]
    assert london.starts == (
        z(2027, 3, 1, 18),
        z(2027, 3, 8, 18),
        z(2027, 3, 15, 18),
        z(2027, 3, 22, 18),
        z(2027, 3, 29, 17),
        z(2027, 4, 5, 17),
    )
    assert london.notes == ["moves to 14:00 for Nora for 2 weeks in March"]
    new_york = by_key["0|14:00|America/New_York"]
    assert new_york.starts[2] == z(2027, 3, 15, 18)
    assert new_york.notes == ["moves to 18:00 for Bruno for 2 weeks in March"]
    # Each reads their own move as theirs, the partner's by name.
    assert london.notes_for(NORA.key) == ["moves to 14:00 for you for 2 weeks in March"]
    assert london.notes_for(BRUNO.key) == ["moves to 14:00 for Nora for 2 weeks in March"]


@pytest.mark.parametrize(
    ("a", "b", "london_start", "start_date", "weeks", "offered"),
    [
        # 19:00 London is 14:00–15:00 in New York in winter but 15:00–16:00 on 15 and 22 March.
        pytest.param(NORA, BRUNO, dt.time(19), dt.date(2027, 3, 1), 6, False,
                     id="new-york-across-the-us-change"),
        # Before the US change it is fine.
        pytest.param(NORA, BRUNO, dt.time(19), dt.date(2027, 2, 1), 5, True,
                     id="new-york-before-the-us-change"),
        # 16:00 London is 19:30 Tehran, then 18:30 after the UK change: too early for Sara.
        pytest.param(BRUNO_AFTERNOONS, SARA, dt.time(16), dt.date(2027, 3, 22), 2, False,
                     id="tehran-across-the-uk-change"),
    ],
)
def test_slot_is_offered_only_if_it_fits_both_windows_every_week(
    a, b, london_start, start_date, weeks, offered
):
    option = slot_evaluate(
        a,
        b,
        weekday=0,
        local_start=london_start,
        anchor_tz="Europe/London",
        start_date=start_date,
        weeks=weeks,
        minutes=60,
    )
    assert (option is not None) is offered


def test_tehran_half_hour_offset_without_dst():
    bruno, sara = BRUNO_AFTERNOONS, SARA
    kwargs = dict(start_date=dt.date(2027, 3, 22), weeks=2, minutes=60)
    option = slot_evaluate(
        bruno, sara, weekday=0, local_start=dt.time(16, 30), anchor_tz="Europe/London", **kwargs
    )
    assert option.starts == (z(2027, 3, 22, 16, 30), z(2027, 3, 29, 15, 30))
    assert [m.local.time() for m in option.view_for(2).moves] or option.view_for(2).start
    sara_times = {
        option.starts[i].astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tehran")).time()
        for i in range(2)
    }
    assert sara_times == {dt.time(20), dt.time(19)}
    tehran = slot_evaluate(
        bruno, sara, weekday=0, local_start=dt.time(19, 30), anchor_tz="Asia/Tehran", **kwargs
    )
    assert tehran.starts == (z(2027, 3, 22, 16), z(2027, 3, 29, 16))
    assert tehran.view_for(2).moves == ()
    assert [m.local.time() for m in tehran.view_for(1).moves] in ([dt.time(17)], [dt.time(16)])


def test_stable_slots_rank_before_slots_that_move():
    # From 8 March 2027 for two weeks: Mondays 8 and 15 straddle the US change (moves),
    # Sundays 14 and 21 are both after it (stable).
    nora = person(1, "Nora", "America/New_York", (0, "12:00", "16:00"), (6, "12:00", "16:00"))
    bruno = person(2, "Bruno", "Europe/London", (0, "17:00", "20:00"), (6, "17:00", "20:00"))
    options = slot_options(nora, bruno, start_date=dt.date(2027, 3, 8), weeks=2, minutes=60)
    assert options
    moved = [option.moved_weeks for option in options]
    assert moved == sorted(moved)
    assert options[0].is_stable and options[0].weekday == 6
    assert any(o.weekday == 0 and o.moved_weeks == 1 for o in options)
    assert all(o.weekday == 6 for o in options if o.is_stable)


def test_every_offered_slot_lies_in_both_windows_every_week():
    anna = person(1, "Anna", "Europe/London", (0, "07:00", "10:00"), (2, "18:00", "21:00"))
    kai = person(2, "Kai", "Australia/Sydney", (0, "17:00", "21:00"), (3, "05:00", "08:00"))
    options = slot_options(anna, kai, start_date=dt.date(2027, 3, 1), weeks=8, minutes=60)
    assert options
    from zoneinfo import ZoneInfo

    for option in options:
        assert len(option.starts) == 8
        for start in option.starts:
            for who, zone in ((anna, "Europe/London"), (kai, "Australia/Sydney")):
                local = start.astimezone(ZoneInfo(zone))
                end = (start + dt.timedelta(minutes=60)).astimezone(ZoneInfo(zone))
                assert any(
                    w.weekday == local.weekday() and w.start <= local.time() and end.time() <= w.end
                    for w in who.windows
                ), (option.key, start)


def test_local_time_in_a_dst_gap_is_not_a_slot():
    assert (
        local_to_utc(
            dt.date(2027, 3, 28), dt.time(1, 30), __import__("zoneinfo").ZoneInfo("Europe/London")
        )
        is None
    )
    assert (
        occurrences(
            weekday=6,
            local_start=dt.time(1, 30),
            anchor_tz="Europe/London",
            start_date=dt.date(2027, 3, 21),
            weeks=2,
        )
        is None
    )


def test_parse_key_round_trips():
    assert parse_key("0|19:00|Europe/London") == (0, dt.time(19), "Europe/London")


def test_a_late_evening_split_at_midnight_is_one_window():
    # Mina in London is free Monday 23:30 to Tuesday 00:30, typed as two windows split at
    # midnight; Kurt in Berlin (an hour ahead) Tuesday 00:00-02:00. They share one hour,
    # across London's midnight, as the matching engine counts it: a session fits there.
    mina = person(1, "Mina", "Europe/London", (0, "23:30", "00:00"), (1, "00:00", "00:30"))
    kurt = person(2, "Kurt", "Europe/Berlin", (1, "00:00", "02:00"))
    options = slot_options(mina, kurt, start_date=dt.date(2027, 3, 1), weeks=3, minutes=60)
    assert [option.key for option in options] == ["0|23:30|Europe/London"]
    assert options[0].starts == (z(2027, 3, 1, 23, 30), z(2027, 3, 8, 23, 30),
                                 z(2027, 3, 15, 23, 30))
    # Proposing it (slot_evaluate is what slot_propose checks) is accepted alike.
    assert slot_evaluate(mina, kurt, weekday=0, local_start=dt.time(23, 30),
                         anchor_tz="Europe/London", start_date=dt.date(2027, 3, 1), weeks=3,
                         minutes=60) is not None
    # Without the Tuesday window the hour is cut at midnight: no slot.
    evening_only = person(1, "Mina", "Europe/London", (0, "23:30", "00:00"))
    assert slot_options(evening_only, kurt, start_date=dt.date(2027, 3, 1), weeks=3,
                        minutes=60) == []


def test_a_sunday_to_monday_night_wraps_the_week():
    # Sunday 23:00-24:00 runs on into Monday 00:00-01:00 (weekday 6 then 0).
    owl = person(1, "Owl", "Asia/Tokyo", (6, "23:00", "00:00"), (0, "00:00", "01:00"))
    lark = person(2, "Lark", "Asia/Seoul", (6, "23:30", "00:00"), (0, "00:00", "00:30"))
    options = slot_options(owl, lark, start_date=dt.date(2027, 3, 1), weeks=2, minutes=60)
    assert [option.key for option in options] == ["6|23:30|Asia/Tokyo"]


def test_a_window_on_a_quarter_hour_offers_its_own_start():
    # Ines in London is free 18:15-19:15 on Mondays, Paul in Paris (an hour ahead) from
    # 19:00: they share exactly one hour from 18:15 London, which the matching engine (on
    # a 15-minute grid) pairs them for. No half-hour start fits it; the window's own does.
    ines = person(1, "Ines", "Europe/London", (0, "18:15", "19:15"))
    paul = person(2, "Paul", "Europe/Paris", (0, "19:00", "21:00"))
    options = slot_options(ines, paul, start_date=dt.date(2027, 1, 4), weeks=4, minutes=60)
    assert [option.key for option in options] == ["0|18:15|Europe/London"]
    assert options[0].view_for(2).label == "Mondays 19:15"
    assert parse_key(options[0].key) == (0, dt.time(18, 15), "Europe/London")
