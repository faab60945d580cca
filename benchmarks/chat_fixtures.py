"""The chat load's fixtures, made and deleted through the ORM: users, rooms and one login
session per user.

Real rooms (the default) are the product's: a pair room is an active match's (two
participants of a twinning, in a tandem program), a class room an active classroom
exchange's (two classrooms: their teachers are the room's moderators, their pupils its
members). Each room has a session in progress, so every join and leave writes attendance
as during a class session. Bare rooms (``kind="bare"``) belong to nothing: no session is
found for them and nothing is written.
"""

import datetime as dt
import os
import time
from dataclasses import dataclass, field

MODERATORS_PER_CLASS_ROOM = 2  # the two teachers of a classroom exchange
PUPIL_BACKEND = "exchanges.auth_backends.PupilBackend"
ROOM_KINDS = ("real", "bare")
SESSION_MINUTES = 60  # a program's default; the benchmark's runs last at most 10 minutes
SESSION_STARTED = dt.timedelta(minutes=5)  # before the fixtures are made


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def room_layout(clients: int, rooms: int, class_rooms: int, class_size: int):
    """``(room_of, sends)`` per socket: the first ``class_rooms * class_size`` sockets sit
    in class rooms (the first two of each are its teachers, who do not send), the rest in
    ``rooms`` pair rooms (socket i in room i mod rooms)."""
    room_of, sends = [], []
    for k in range(class_rooms):
        for m in range(class_size):
            room_of.append(k)
            sends.append(m >= MODERATORS_PER_CLASS_ROOM)
    for i in range(clients - class_rooms * class_size):
        room_of.append(class_rooms + i % rooms)
        sends.append(True)
    return room_of, sends


@dataclass
class Fixtures:
    """What create_fixtures made, filled as it goes: everything carries ``tag`` (e-mail
    addresses, titles, slugs, names), so delete_fixtures finds it even after a failure
    half-way; login sessions cannot be found that way, so their keys are kept here."""

    tag: str
    kind: str = "real"
    user_ids: list[int] = field(default_factory=list)
    cookies: list[str] = field(default_factory=list)
    room_ids: list[int] = field(default_factory=list)
    session_ids: list[int] = field(default_factory=list)


def _members_by_room(room_of: list[int]) -> list[list[int]]:
    members: list[list[int]] = [[] for _ in range(max(room_of) + 1)]
    for i, room in enumerate(room_of):
        members[room].append(i)
    return members


def create_fixtures(made: Fixtures, room_of: list[int], sends: list[bool],
                    class_rooms: int) -> Fixtures:
    """Users, rooms (of ``made.kind``) and one login session per user, for the layout of
    room_layout. Real pair rooms need two sockets each (a match has two partners)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from exchanges.models import Room, RoomMember, User

    if made.kind not in ROOM_KINDS:
        raise ValueError(f"rooms kind {made.kind!r}: one of {ROOM_KINDS}")
    tag = made.tag
    users = []
    for i, room in enumerate(room_of):
        pupil = room < class_rooms and sends[i]
        user = User(email=f"load-{tag}-{i}@load.test", display_name=f"load{i}", is_pupil=pupil)
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users)
    made.user_ids = [u.pk for u in users]
    members = _members_by_room(room_of)
    titles = [f"load {tag} {'class' if r < class_rooms else 'pair'} {r}"
              for r in range(len(members))]
    if made.kind == "bare":
        room_objs = Room.objects.bulk_create([Room(title=t) for t in titles])
    else:
        room_objs = _real_rooms(made, users, members, class_rooms, titles)
    made.room_ids = [r.pk for r in room_objs]
    RoomMember.objects.bulk_create([
        RoomMember(room=room_objs[room_of[i]], user=user,
                   role=RoomMember.Role.MEMBER if sends[i] else RoomMember.Role.MODERATOR)
        for i, user in enumerate(users)
    ])
    adult = settings.AUTHENTICATION_BACKENDS[0]
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        # Pupils' sessions are restored only by the pupil backend (their /join/ login).
        store[BACKEND_SESSION_KEY] = PUPIL_BACKEND if user.is_pupil else adult
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        made.cookies.append(store.session_key)
    return made


def _real_rooms(made: Fixtures, users, members: list[list[int]], class_rooms: int,
                titles: list[str]):
    """The rooms of active matches and classroom exchanges, each with a session in
    progress, as room_open and the scheduling make them (unsaved RoomMembers aside)."""
    from django.utils import timezone

    from exchanges.models import (
        City,
        Classroom,
        ClassroomExchange,
        Match,
        Participant,
        Program,
        Room,
        Session,
        Twinning,
    )

    tag, now = made.tag, timezone.now()
    pairs = members[class_rooms:]
    if any(len(sockets) != 2 for sockets in pairs):
        raise ValueError("real pair rooms need two sockets each (a match's two partners)")
    cities = City.objects.bulk_create([
        City(name=f"Load {tag} A", country="GB", tz="Europe/London", languages=["en"]),
        City(name=f"Load {tag} B", country="DE", tz="Europe/Berlin", languages=["de"]),
    ])
    twinning = Twinning.objects.create(city_a=cities[0], city_b=cities[1])
    programs = {}
    for kind in (Program.Kind.TANDEM, Program.Kind.CLASSROOM):
        program = Program.objects.create(
            name=f"Load {tag} {kind}", slug=f"load-{tag}-{kind}", kind=kind,
            start_date=now.date() - dt.timedelta(weeks=2), session_minutes=SESSION_MINUTES)
        program.twinnings.add(twinning)
        programs[kind] = program
    # Two classrooms per class room: socket 0 teaches the first, socket 1 the second.
    classrooms = Classroom.objects.bulk_create([
        Classroom(teacher=users[sockets[side]], city=cities[side],
                  school=f"Load {tag} school {k}{'ab'[side]}", name=f"Class {k}{'ab'[side]}",
                  size=len(sockets) - MODERATORS_PER_CLASS_ROOM)
        for k, sockets in enumerate(members[:class_rooms]) for side in (0, 1)
    ])
    participants = []
    for k, sockets in enumerate(members[:class_rooms]):
        for m, i in enumerate(sockets[MODERATORS_PER_CLASS_ROOM:]):
            classroom = classrooms[2 * k + m % 2]
            participants.append(Participant(
                user=users[i], classroom=classroom, city=classroom.city, tz=classroom.city.tz,
                onboarded_at=now))
    for sockets in pairs:
        for side, i in enumerate(sockets):
            participants.append(Participant(user=users[i], city=cities[side],
                                            tz=cities[side].tz, onboarded_at=now))
    participants = Participant.objects.bulk_create(participants)
    partner = {p.user_id: p for p in participants}
    matches = Match.objects.bulk_create([
        Match(program=programs[Program.Kind.TANDEM], twinning=twinning,
              participant_a=partner[users[a].pk], participant_b=partner[users[b].pk],
              status=Match.Status.ACTIVE, a_accepted_at=now, b_accepted_at=now,
              activated_at=now)
        for a, b in pairs
    ])
    exchanges = ClassroomExchange.objects.bulk_create([
        ClassroomExchange(program=programs[Program.Kind.CLASSROOM], twinning=twinning,
                          classroom_a=classrooms[2 * k], classroom_b=classrooms[2 * k + 1],
                          status=ClassroomExchange.Status.ACTIVE, activated_at=now)
        for k in range(class_rooms)
    ])
    rooms = Room.objects.bulk_create(
        [Room(exchange=exchange, title=titles[k]) for k, exchange in enumerate(exchanges)]
        + [Room(match=match, title=titles[class_rooms + r]) for r, match in enumerate(matches)]
    )
    started = now - SESSION_STARTED
    sessions = Session.objects.bulk_create(
        [Session(exchange=exchange, starts_at=started, minutes=SESSION_MINUTES)
         for exchange in exchanges]
        + [Session(match=match, starts_at=started, minutes=SESSION_MINUTES)
           for match in matches]
    )
    made.session_ids = [s.pk for s in sessions]
    return rooms


def attendance_summary(made: Fixtures) -> dict:
    """The attendance the run wrote for the rooms' sessions (read after the servers
    stopped, so every leave has been written)."""
    from django.db.models import Count, Q

    from exchanges.models import Attendance, PresenceInterval

    rows = Attendance.objects.filter(session_id__in=made.session_ids).aggregate(
        rows=Count("id"),
        sessions=Count("session_id", distinct=True),
        joined=Count("id", filter=Q(first_join__isnull=False)),
        left=Count("id", filter=Q(last_leave__isnull=False)),
        still_open=Count("id", filter=Q(open_connections__gt=0)),
    )
    return {
        "sessions": len(made.session_ids), "sessions_with_rows": rows["sessions"],
        "rows": rows["rows"], "first_join_set": rows["joined"],
        "last_leave_set": rows["left"], "still_open": rows["still_open"],
        "presence_stretches": PresenceInterval.objects.filter(
            attendance__session_id__in=made.session_ids).count(),
    }


def wait_for_leaves(made: Fixtures, timeout: float = 60) -> int:
    """Until no presence row of the rooms is left (each socket's leave, presence then
    attendance, has run); returns how many are left at the end."""
    from exchanges.models import Presence

    deadline = time.monotonic() + timeout
    while True:
        left = Presence.objects.filter(room_id__in=made.room_ids).count()
        if left == 0 or time.monotonic() > deadline:
            return left
        time.sleep(0.5)


def delete_fixtures(made: Fixtures) -> None:
    """Delete what create_fixtures made, found by its tag. A server that fell behind may
    still be inserting messages of these rooms, so wait for it and try again."""
    from django.contrib.sessions.models import Session as LoginSession
    from django.db import IntegrityError
    from django.db.models import Q

    from exchanges.models import (
        City,
        Classroom,
        ClassroomExchange,
        Match,
        Program,
        Room,
        Session,
        Twinning,
        User,
    )

    tag = made.tag
    programs = Program.objects.filter(slug__startswith=f"load-{tag}-")
    cities = City.objects.filter(name__startswith=f"Load {tag} ")
    # In the order the PROTECT foreign keys need: what points at a row goes first.
    steps = [
        Room.objects.filter(title__startswith=f"load {tag} "),
        Session.objects.filter(Q(match__program__in=programs)
                               | Q(exchange__program__in=programs)),
        Match.objects.filter(program__in=programs),
        ClassroomExchange.objects.filter(program__in=programs),
        Classroom.objects.filter(city__in=cities),
        User.objects.filter(email__startswith=f"load-{tag}-", email__endswith="@load.test"),
        programs,
        Twinning.objects.filter(city_a__in=cities),
        cities,
    ]
    for attempt in range(30):
        try:
            for query in steps:
                query.delete()
            break
        except IntegrityError:
            if attempt == 29:
                raise
            time.sleep(2)
    LoginSession.objects.filter(session_key__in=made.cookies).delete()
