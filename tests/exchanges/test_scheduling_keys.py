"""exchanges.pure.scheduling.parse_key: the slot keys a page posts back, and nothing else."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exchanges.pure.scheduling import known_zones, parse_key


def test_a_key_round_trips():
    assert parse_key("6|07:30|America/Argentina/Buenos_Aires") == (
        6, dt.time(7, 30), "America/Argentina/Buenos_Aires"
    )


@pytest.mark.parametrize(
    "key",
    [
        "1|19:00|Europe",  # a directory: ZoneInfo raises IsADirectoryError (an OSError)
        "1|19:00|" + "A" * 300,  # ZoneInfo raises OSError (file name too long)
        "1|19:00|Europe/../../etc/passwd",
        "1|19:00|/etc/passwd",
        "1|19:00|Europe/London ",
        "1|19:00|Europe/London|",
        "1|19:00:00|Europe/London",
        "1|7:00|Europe/London",
        "-1|19:00|Europe/London",
        "٣|19:00|Europe/London",  # a non-ASCII digit int() would read as 3
        "1|19:00|",
        "",
    ],
)
def test_anything_a_slot_option_does_not_write_is_a_value_error(key):
    with pytest.raises(ValueError):
        parse_key(key)


def test_known_zones_are_the_loadable_iana_names():
    zones = known_zones()
    assert "Europe/London" in zones and "UTC" in zones
    assert "Europe" not in zones


@given(st.text())
def test_any_text_is_a_slot_or_a_value_error(text):
    try:
        day, start, zone = parse_key(text)
    except ValueError:
        return
    assert 0 <= day <= 6 and zone in known_zones()
    assert text == f"{day}|{start:%H:%M}|{zone}"


@given(
    st.integers(0, 6),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    st.sampled_from(sorted(known_zones())),
)
def test_every_key_a_slot_option_writes_parses_back(day, start, zone):
    assert parse_key(f"{day}|{start:%H:%M}|{zone}") == (day, start, zone)
