"""Builders for pupil pairing and class session tests: an active exchange between the
Coventry and Dresden classes of classroom_fixtures, with pupils on both sides."""

import datetime as dt

from django.utils import timezone

from exchanges.models import Classroom, ClassroomExchange, Participant, Program, Room, User
from exchanges.services.attendance import attendance_join, attendance_leave
from exchanges.services.pupil_pairing import pairing_confirm, pairing_propose
from exchanges.services.rooms import room_open
from tests.exchanges.classroom_fixtures import partner_pair, pupil
from tests.factories import ProgramFactory

NAMES_A = ["Amelia K.", "Ben T.", "Chloe R.", "Dev P.", "Ella M.", "Finn O.", "Grace L."]
NAMES_B = ["Anna S.", "Jonas W.", "Lea F.", "Max B.", "Nina H.", "Paul Z.", "Mia D."]


def active_exchange(a_count: int = 4, b_count: int = 4):
    """(exchange, pupils of class A, pupils of class B), the class room open."""
    a, b, twinning = partner_pair()
    exchange = ClassroomExchange.objects.create(
        twinning=twinning, classroom_a=a, classroom_b=b,
        status=ClassroomExchange.Status.ACTIVE, activated_at=timezone.now(),
    )
    pupils_a = [pupil(a, name) for name in _names(NAMES_A, a_count)]
    pupils_b = [pupil(b, name) for name in _names(NAMES_B, b_count)]
    room_open(exchange=exchange)
    return exchange, pupils_a, pupils_b


def confirmed_pairing(a_count: int = 4, b_count: int = 4):
    """(exchange, pupils of class A, pupils of class B, pairing): an active exchange whose
    pairs class A's teacher proposed and both teachers confirmed, each group in its room."""
    exchange, pupils_a, pupils_b = active_exchange(a_count, b_count)
    return exchange, pupils_a, pupils_b, pairing_confirmed(exchange)


def pairing_confirmed(exchange: ClassroomExchange):
    """The pairing of ``exchange``'s pupils that class A's teacher proposed and both
    teachers confirmed, each group in its room."""
    teacher_a, teacher_b = exchange.classroom_a.teacher, exchange.classroom_b.teacher
    pairing = pairing_propose(exchange=exchange, by=teacher_a)
    pairing_confirm(pairing=pairing, by=teacher_a)
    return pairing_confirm(pairing=pairing, by=teacher_b)


def exchange_in_program(a_count: int = 4, b_count: int = 4, **program_fields):
    """(program, exchange, pupils of class A, pupils of class B): an active exchange in a
    classroom program of its own twinning."""
    exchange, pupils_a, pupils_b = active_exchange(a_count, b_count)
    program = ProgramFactory(twinnings=[exchange.twinning], kind=Program.Kind.CLASSROOM,
                             **program_fields)
    exchange.program = program
    exchange.save(update_fields=["program"])
    return program, exchange, pupils_a, pupils_b


def _names(base: list[str], count: int) -> list[str]:
    letters = "ABCDEFGHIJKLMNOPRSTUVWYZ"
    names = list(base[:count])
    for i in range(len(names), count):
        first = base[i % len(base)].split()[0]
        names.append(f"{first} {letters[i // len(base)]}{letters[i % 24]}.")
    return names


def pupils_joined_before(exchange: ClassroomExchange, when) -> None:
    """Both classes' pupils joined before ``when``: an exchange ended in the past by a
    test had them in it (the retention purge takes only those who were)."""
    User.objects.filter(is_pupil=True,
                        participant__classroom_id__in=exchange.classroom_ids).update(
        date_joined=when - dt.timedelta(minutes=1))


def pupils_in_class_since(exchange: ClassroomExchange, when) -> None:
    """Both classes' pupils joined their class at ``when`` (profile and account), so a
    session after it expects them (attendance settling, the pupils' figures)."""
    _in_class_since(Participant.objects.filter(classroom_id__in=exchange.classroom_ids,
                                               user__is_pupil=True), when)


def pupils_joined_class(classroom: Classroom, when, *names: str) -> list[Participant]:
    """New pupils of ``classroom``, by ``names``, who joined it at ``when`` (profile and
    account): a session that began before it expects none of them."""
    people = [pupil(classroom, name) for name in names]
    _in_class_since(Participant.objects.filter(pk__in=[person.pk for person in people]), when)
    return people


def pupil_stayed(room: Room, person: Participant, at, minutes: int) -> None:
    """``person`` joined ``room`` at ``at`` and left it ``minutes`` later."""
    attendance_join(room=room, user_id=person.user_id, at=at)
    attendance_leave(room=room, user_id=person.user_id, at=at + dt.timedelta(minutes=minutes))


def _in_class_since(pupils, when) -> None:
    User.objects.filter(participant__in=pupils).update(date_joined=when)
    pupils.update(onboarded_at=when)
