"""A twinning with everything a lifecycle change touches: a program and its officer, an
active match with its room and sessions, a proposed match, a classroom exchange."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.utils import timezone

from exchanges.models import (
    Classroom,
    ClassroomExchange,
    Match,
    Program,
    Role,
    Room,
    Session,
    Twinning,
    User,
)
from exchanges.services.rooms import room_open
from exchanges.services.twinning_lifecycle import twinning_change_email, twinning_suspend
from tests.factories import MatchFactory, ProgramFactory, TwinningFactory, UserFactory


def make_officer(*programs: Program) -> User:
    officer = UserFactory()
    officer.groups.add(Group.objects.get_or_create(name=Role.OFFICER)[0])
    for program in programs:
        program.officers.add(officer)
    return officer


@dataclass
class LifecycleWorld:
    twinning: Twinning
    program: Program
    officer: User
    active: Match
    proposed: Match
    room: Room
    exchange: ClassroomExchange
    exchange_room: Room
    future: list[Session]
    past: Session


def make_lifecycle_world() -> LifecycleWorld:
    twinning = TwinningFactory()
    program = ProgramFactory(twinnings=[twinning])
    officer = make_officer(program)
    active = MatchFactory(
        program=program, twinning=twinning, status=Match.Status.ACTIVE,
        activated_at=timezone.now(),
    )
    proposed = MatchFactory(program=program, twinning=twinning)
    room = room_open(match=active)
    now = timezone.now()
    future = [
        Session.objects.create(match=active, starts_at=now + dt.timedelta(days=d))
        for d in (2, 9)
    ]
    past = Session.objects.create(
        match=active, starts_at=now - dt.timedelta(days=5), status=Session.Status.HELD
    )
    class_a = Classroom.objects.create(
        teacher=UserFactory(), city=twinning.city_a, school="Lycée A", name="5a"
    )
    class_b = Classroom.objects.create(
        teacher=UserFactory(), city=twinning.city_b, school="Schule B", name="6b"
    )
    exchange = ClassroomExchange.objects.create(
        program=program, twinning=twinning, classroom_a=class_a, classroom_b=class_b,
        status=ClassroomExchange.Status.ACTIVE,
    )
    exchange_room = room_open(exchange=exchange)
    future.append(
        Session.objects.create(exchange=exchange, starts_at=now + dt.timedelta(days=3))
    )
    return LifecycleWorld(
        twinning=twinning, program=program, officer=officer, active=active,
        proposed=proposed, room=room, exchange=exchange, exchange_room=exchange_room,
        future=future, past=past,
    )


def world_suspend(world: LifecycleWorld, **overrides):
    """The world's officer suspends its twinning today (a council vote, city A acting)."""
    args = {
        "twinning": world.twinning, "by": world.officer, "reason": "Council vote",
        "effective": timezone.localdate(), "side": "city_a",
        "source": "https://example.org/minutes",
    }
    return twinning_suspend(**{**args, **overrides})


def emails_sent_here(monkeypatch) -> None:
    """The lifecycle's e-mail task runs here (Celery's ``apply``) instead of a broker."""
    monkeypatch.setattr(
        twinning_change_email, "delay",
        lambda *a, **k: twinning_change_email.apply(args=a, kwargs=k),
    )
