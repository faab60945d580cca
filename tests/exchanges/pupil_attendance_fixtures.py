"""A classroom program whose pupils' attendance is known (tests of the pupils' roll-ups:
tests/exchanges/services/test_metrics_pupils.py and the dashboard's view tests).

Classes A (5 pupils: a1-a5) and B (b1, b2, b3) in one exchange; D is today, 00:00 UTC.
a1-a5 and b1 joined their class at D-60 days, b2 at D-20, b3 during S2 (5 minutes in).

| session | starts   | status     | came (10+ of 45 min)  | expected (A + B)   |
| ------- | -------- | ---------- | --------------------- | ------------------ |
| S1      | D-30 9:00 | held      | a1 a2 b1              | 5 + 1 (b2 not yet) |
| S2      | D-10 9:00 | held      | a1 a2 a3 b2 b3        | 5 + 3 (b3 came)    |
| S3      | D-5 9:00  | cancelled | -                     | -                  |
| S4      | D+2 9:00  | scheduled | -                     | -                  |

a4 and a5 never come; b1 misses S2. Attendance rate 8 / 14; active participants 6 (all
but a4 and a5). From D-15 on: 5 / 8 and 5 active. By city: A 5 / 10, B 3 / 4.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from exchanges.models import ClassroomExchange, Participant, Program, Session
from exchanges.services.class_attendance import class_sessions_settle_finished
from tests.exchanges.class_exchange_fixtures import (
    active_exchange,
    pupil_stayed,
    pupils_joined_class,
)
from tests.factories import ProgramFactory


@dataclass
class Classes:
    program: Program
    exchange: ClassroomExchange
    pupils: dict[str, Participant]
    sessions: dict[str, Session]
    today: dt.date


def _day(days: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    today = timezone.now().astimezone(dt.UTC).replace(hour=0, minute=0, second=0,
                                                      microsecond=0)
    return today + dt.timedelta(days=days, hours=hour, minutes=minute)


def _joined(person: Participant, when: dt.datetime) -> None:
    Participant.objects.filter(pk=person.pk).update(onboarded_at=when)
    type(person.user).objects.filter(pk=person.user_id).update(date_joined=when)


def _came(exchange, person, start) -> None:
    pupil_stayed(exchange.room, person, start, minutes=30)


def classes_with_attendance(kind=Program.Kind.CLASSROOM, program=None) -> Classes:
    """The table above, settled (the summaries not yet refreshed)."""
    exchange, pupils_a, pupils_b = active_exchange(5, 1)
    if program is None:
        program = ProgramFactory(twinnings=[exchange.twinning], kind=kind)
    else:
        program.twinnings.add(exchange.twinning)
    exchange.program = program
    exchange.save(update_fields=["program"])
    people = dict(zip(("a1", "a2", "a3", "a4", "a5"), pupils_a, strict=True))
    people["b1"] = pupils_b[0]
    for person in people.values():
        _joined(person, _day(-60))
    [people["b2"]] = pupils_joined_class(exchange.classroom_b, _day(-20), "Zora Q.")
    starts = {"S1": _day(-30), "S2": _day(-10), "S3": _day(-5), "S4": _day(2)}
    sessions = {
        name: Session.objects.create(exchange=exchange, starts_at=start, minutes=45)
        for name, start in starts.items()
    }
    for name in ("a1", "a2", "b1"):
        _came(exchange, people[name], starts["S1"])
    [people["b3"]] = pupils_joined_class(exchange.classroom_b,
                                         starts["S2"] + dt.timedelta(minutes=5), "Yann P.")
    for name in ("a1", "a2", "a3", "b2"):
        _came(exchange, people[name], starts["S2"])
    _came(exchange, people["b3"], starts["S2"] + dt.timedelta(minutes=5))
    Session.objects.filter(pk=sessions["S3"].pk).update(status=Session.Status.CANCELLED)
    class_sessions_settle_finished(now=_day(-1))
    for session in sessions.values():
        session.refresh_from_db()
    return Classes(program, exchange, people, sessions, _day(0).date())
