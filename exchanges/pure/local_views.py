"""A weekly slot as each person sees it: their usual local time, and the weeks it moves
in their clock (a clock change on one side only), with notes that say so."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils.dates import MONTHS as MONTH_NAMES
from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES
from django.utils.translation import ngettext

from exchanges.pure.weekly_words import WEEKDAYS, WEEKLY_AT

if TYPE_CHECKING:
    from exchanges.pure.scheduling import Person


@dataclass(frozen=True)
class Move:
    """One week in which the session is not at the person's usual local time."""

    week: int
    local: dt.datetime


@dataclass(frozen=True)
class LocalView:
    """The slot as one person sees it: their usual local time and the weeks it moves."""

    key: int
    name: str
    zone: str
    weekday: int
    start: dt.time
    moves: tuple[Move, ...]

    @property
    def weekday_name(self) -> str:
        return WEEKDAYS[self.weekday]

    @property
    def label(self) -> str:
        return WEEKLY_AT[self.weekday] % {"time": f"{self.start:%H:%M}"}

    @property
    def notes(self) -> list[str]:
        return move_notes(self)


def local_view(person: Person, starts: tuple[dt.datetime, ...]) -> LocalView:
    zone = ZoneInfo(person.zone)
    locals_ = [instant.astimezone(zone) for instant in starts]
    keys = [(local.weekday(), local.time()) for local in locals_]
    # The usual time is the most common one; ties go to the first week's.
    counts = Counter(keys)
    usual = max(keys, key=lambda k: (counts[k], -keys.index(k)))
    moves = tuple(
        Move(week=week, local=local)
        for week, (local, k) in enumerate(zip(locals_, keys, strict=True))
        if k != usual
    )
    return LocalView(
        key=person.key,
        name=person.name,
        zone=person.zone,
        weekday=usual[0],
        start=usual[1],
        moves=moves,
    )


def move_notes(view: LocalView, *, reader_key: int | None = None) -> list[str]:
    """Human notes such as "moves to 20:00 for Bruno for 3 weeks in March"; "for you"
    when the reader (``reader_key``) is the person whose time moves."""
    groups: dict[tuple[int, dt.time], list[Move]] = {}
    for move in view.moves:
        groups.setdefault((move.local.weekday(), move.local.time()), []).append(move)
    notes = []
    for (weekday, at), moves in groups.items():
        when = f"{at:%H:%M}" if weekday == view.weekday else f"{WEEKDAY_NAMES[weekday]} {at:%H:%M}"
        months = sorted({(m.local.year, m.local.month) for m in moves})
        span = str(MONTH_NAMES[months[0][1]])
        if len(months) > 1:
            span += f"–{MONTH_NAMES[months[-1][1]]}"
        count = len(moves)
        if reader_key is not None and view.key == reader_key:
            note = ngettext(
                "moves to %(when)s for you for %(count)d week in %(months)s",
                "moves to %(when)s for you for %(count)d weeks in %(months)s",
                count,
            )
        else:
            note = ngettext(
                "moves to %(when)s for %(name)s for %(count)d week in %(months)s",
                "moves to %(when)s for %(name)s for %(count)d weeks in %(months)s",
                count,
            )
        notes.append(note % {"when": when, "name": view.name, "count": count, "months": span})
    return notes
