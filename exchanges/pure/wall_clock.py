"""A wall-clock time in a zone, as an instant, around clock changes: a time the clocks
skip (spring forward) does not exist; a time they repeat (fall back) happens twice."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo


class SkippedTime(ValueError):
    """The clocks jump over this time on that day in that zone."""


@dataclass(frozen=True)
class Placed:
    instant: dt.datetime  # aware, UTC
    repeated: bool  # the time happens twice that day: ``instant`` is the earlier one


def wall_clock_place(local: dt.datetime, zone: ZoneInfo) -> Placed:
    """``local`` (naive) read in ``zone``. A repeated time is taken at its first
    occurrence (before the clocks go back), so the same input always gives the same
    instant; a skipped one raises :class:`SkippedTime`."""
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    round_trip = first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != local.replace(fold=0):
        raise SkippedTime(f"{local:%Y-%m-%d %H:%M} does not exist in {zone.key}")
    return Placed(
        instant=first.astimezone(dt.UTC), repeated=first.utcoffset() != second.utcoffset()
    )


def zone_place_name(zone: ZoneInfo) -> str:
    """"Europe/London" → "London", "America/New_York" → "New York"."""
    return zone.key.rsplit("/", 1)[-1].replace("_", " ")
