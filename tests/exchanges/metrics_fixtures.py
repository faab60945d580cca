"""A hand-built program whose every figure is known (tests/exchanges/selectors/test_metrics.py).

Program "Tandem London–Düsseldorf" (completion threshold 3) over London–Düsseldorf and
London–名古屋, in 2026:

| who    | city        | profile completed | match                                  |
| ------ | ----------- | ----------------- | -------------------------------------- |
| Alice  | London      | 1 March           | M1 with Bruno, active 11 March (10 d)  |
| Bruno  | Düsseldorf  | 3 March           | M1 (8 d); declined M3 with Emma        |
| Carla  | London      | 5 March           | M2 with Dieter, active 20 March (15 d) |
| Dieter | Düsseldorf  | 6 March           | M2 (14 d); never comes to a session    |
| Emma   | London      | 10 March          | M3 declined, M4 proposed (unanswered)  |
| Pia    | Düsseldorf  | 15 March (pupil)  | none; in class 7b                      |

Sessions (60 minutes, presence from real join/leave calls, then settled):

| session | match | starts (UTC)  | presence                                        | becomes   |
| ------- | ----- | ------------- | ----------------------------------------------- | --------- |
| S1      | M1    | 22 Mar 18:00  | both 18:00–19:00: together 60 min               | held      |
| S2      | M1    | 29 Mar 00:30  | Alice two tabs 00:30–01:30; Bruno 00:40–01:00   | held      |
|         |       | (clocks move) | and 01:10–01:30: together 40 min                |           |
| S3      | M1    | 26 Apr 18:00  | Alice 18:00–19:00; Bruno never                  | missed    |
| S4      | M1    | 3 May 18:00   |                                                 | cancelled |
| S5      | M1    | 10 May 18:00  | both 18:00–18:50: together 50 min               | held      |
| S6      | M2    | 25 Mar 18:00  | Carla 18:00–19:00; Dieter never                 | missed    |
| S7      | M2    | 1 Apr 18:00   | nobody                                          | missed    |

S2 starts at 00:30 UTC on 29 March 2026, when London and Düsseldorf move their clocks
forward at 01:00 UTC: by the wall clock it runs 00:30–02:30 in London, yet it lasts 60
minutes. Messages: 6 in M1's room on 22 March, 1 on 20 May; 2 in M2's room on 25 March;
and 5 in another program's room, which must never count.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from exchanges.models import (
    Classroom,
    Match,
    Message,
    Program,
    Room,
    Session,
    User,
)
from exchanges.services.attendance import attendance_join, attendance_leave, session_settle
from exchanges.services.metrics import metrics_refresh
from tests.factories import (
    CityFactory,
    MatchFactory,
    ParticipantFactory,
    ProgramFactory,
    TwinningFactory,
    UserFactory,
)

UTC = dt.UTC


def at(month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=UTC)


def proposed_today(match: Match) -> Match:
    """``match`` as if proposed now, in a program still running: a proposal older than a
    week has lapsed, and one whose program has ended can no longer be accepted, and the
    tests that accept M4 run months after its spring date."""
    Match.objects.filter(pk=match.pk).update(created_at=timezone.now())
    program = match.program
    running = (timezone.now().date() - program.start_date).days // 7 + 2
    if program.weeks < running:
        Program.objects.filter(pk=program.pk).update(weeks=running)
    match.refresh_from_db()
    return match


@dataclass
class Dataset:
    program: Program
    other_program: Program
    twinning: object
    nagoya_twinning: object
    london: object
    dusseldorf: object
    people: dict
    matches: dict
    sessions: dict


def _person(name, city, joined, **extra):
    user = UserFactory(display_name=name, email=f"{name.lower()}@example.test")
    return ParticipantFactory(user=user, city=city, onboarded_at=joined, **extra)


def _session(match, start, status=Session.Status.SCHEDULED):
    return Session.objects.create(match=match, starts_at=start, minutes=60, status=status)


def _present(room, person, *stretches):
    for begin, end in stretches:
        attendance_join(room=room, user_id=person.user_id, at=begin)
        attendance_leave(room=room, user_id=person.user_id, at=end)


def _settle(session):
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        session_settle(session=locked, now=locked.starts_at + dt.timedelta(minutes=80))


def _messages(room, author, when, count):
    for n in range(count):
        Message.objects.create(room=room, author=author.user, body=f"hallo {n}",
                               client_id=f"{when:%m%d}-{author.pk}-{n}")
    Message.objects.filter(room=room, client_id__startswith=f"{when:%m%d}-{author.pk}-").update(
        created_at=when
    )


def build_dataset() -> Dataset:
    london = CityFactory(name="London", country="GB", tz="Europe/London")
    dusseldorf = CityFactory(name="Düsseldorf", country="DE", tz="Europe/Berlin")
    nagoya = CityFactory(name="名古屋", country="JP", tz="Asia/Tokyo")
    twinning = TwinningFactory(city_a=london, city_b=dusseldorf)
    nagoya_twinning = TwinningFactory(city_a=london, city_b=nagoya)
    program = ProgramFactory(
        name="Tandem London–Düsseldorf", slug="tandem-ld", start_date=dt.date(2026, 3, 1),
        twinnings=[twinning, nagoya_twinning],
    )
    Program.objects.filter(pk=program.pk).update(completion_sessions=3)
    program.refresh_from_db()

    alice = _person("Alice", london, at(3, 1), birth_year=1990, learns={"de": "B1"})
    bruno = _person("Bruno", dusseldorf, at(3, 3), birth_year=1985,
                    speaks={"de": "native"}, learns={"en": "B2"})
    carla = _person("Carla", london, at(3, 5), birth_year=2000, learns={"de": "A2"})
    # Two partners at once: Carla (M2), and Emma's proposal (M4) that tests accept.
    dieter = _person("Dieter", dusseldorf, at(3, 6), birth_year=1970, capacity=2,
                     speaks={"de": "native"}, learns={"en": "B1", "fr": "A1"})
    emma = _person("Emma", london, at(3, 10), birth_year=1960, learns={"de": "A1"})
    teacher = UserFactory(display_name="Frau Lehmann")
    klasse = Classroom.objects.create(teacher=teacher, city=dusseldorf, school="Gymnasium",
                                      name="7b")
    pupil_user = UserFactory(display_name="Pia", is_pupil=True)
    User.objects.filter(pk=pupil_user.pk).update(date_joined=at(3, 15))
    pia = ParticipantFactory(user=pupil_user, city=dusseldorf, onboarded_at=None,
                             birth_year=None, classroom=klasse, learns={"en": "A2"})
    people = {"alice": alice, "bruno": bruno, "carla": carla, "dieter": dieter,
              "emma": emma, "pia": pia}
    for person in people.values():
        person.programs.add(program)

    def match(a, b, created, **fields):
        made = MatchFactory(program=program, twinning=twinning, participant_a=a,
                            participant_b=b, **fields)
        Match.objects.filter(pk=made.pk).update(created_at=created)
        return made

    m1 = match(alice, bruno, at(3, 8), status=Match.Status.ACTIVE, activated_at=at(3, 11),
               a_accepted_at=at(3, 9), b_accepted_at=at(3, 11))
    m2 = match(carla, dieter, at(3, 8), status=Match.Status.ACTIVE, activated_at=at(3, 20),
               a_accepted_at=at(3, 19), b_accepted_at=at(3, 20))
    m3 = match(emma, bruno, at(3, 9), status=Match.Status.DECLINED, declined_by=bruno,
               ended_at=at(3, 10))
    m4 = match(emma, dieter, at(3, 12))
    room1, room2 = Room.objects.create(match=m1), Room.objects.create(match=m2)

    s = {
        "S1": _session(m1, at(3, 22, 18)),
        "S2": _session(m1, at(3, 29, 0, 30)),
        "S3": _session(m1, at(4, 26, 18)),
        "S4": _session(m1, at(5, 3, 18), Session.Status.CANCELLED),
        "S5": _session(m1, at(5, 10, 18)),
        "S6": _session(m2, at(3, 25, 18)),
        "S7": _session(m2, at(4, 1, 18)),
    }
    _present(room1, alice, (at(3, 22, 18), at(3, 22, 19)))
    _present(room1, bruno, (at(3, 22, 18), at(3, 22, 19)))
    # S2: Alice opens a second tab; her presence is the union of the two.
    attendance_join(room=room1, user_id=alice.user_id, at=at(3, 29, 0, 30))
    attendance_join(room=room1, user_id=alice.user_id, at=at(3, 29, 0, 35))
    attendance_leave(room=room1, user_id=alice.user_id, at=at(3, 29, 1, 0))
    attendance_leave(room=room1, user_id=alice.user_id, at=at(3, 29, 1, 30))
    _present(
        room1, bruno, (at(3, 29, 0, 40), at(3, 29, 1, 0)), (at(3, 29, 1, 10), at(3, 29, 1, 30))
    )
    _present(room1, alice, (at(4, 26, 18), at(4, 26, 19)))
    _present(room1, alice, (at(5, 10, 18), at(5, 10, 18, 50)))
    _present(room1, bruno, (at(5, 10, 18), at(5, 10, 18, 50)))
    _present(room2, carla, (at(3, 25, 18), at(3, 25, 19)))
    for name in ("S1", "S2", "S3", "S5", "S6", "S7"):
        _settle(s[name])

    _messages(room1, alice, at(3, 22, 19, 5), 6)
    _messages(room1, bruno, at(5, 20, 9), 1)
    _messages(room2, carla, at(3, 25, 19, 5), 2)
    other_program = ProgramFactory(slug="other-program", twinnings=[twinning])
    other = MatchFactory(program=other_program, twinning=twinning, status=Match.Status.ACTIVE,
                         activated_at=at(3, 12))
    _messages(Room.objects.create(match=other), other.participant_a, at(3, 22, 10), 5)

    metrics_refresh(full=True, now=at(12, 1))
    return Dataset(program=program, other_program=other_program, twinning=twinning,
                   nagoya_twinning=nagoya_twinning, london=london, dusseldorf=dusseldorf,
                   people=people, matches={"M1": m1, "M2": m2, "M3": m3, "M4": m4}, sessions=s)
