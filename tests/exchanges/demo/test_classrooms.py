"""The demo classroom exchange: two classes with pupils, partners with an open class
room, pupils able to log in with the README's codes; running it again adds nothing."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from exchanges.demo.classrooms import (
    COVENTRY_CODE,
    COVENTRY_PUPILS,
    DRESDEN_CODE,
    DRESDEN_PUPILS,
    demo_classrooms_create,
)
from exchanges.models import Classroom, ClassroomExchange, Participant, Room, RoomMember
from exchanges.services.pupils import pupil_login

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-2027"


def test_the_demo_pair_is_a_live_exchange_pupils_can_log_in_to(settings):
    cache.clear()
    call_command("load_twinnings", stdout=None)
    logins = demo_classrooms_create(password=PASSWORD)
    assert {row[0] for row in logins} >= {"teacher@demo.test", "lehrer@demo.test"}
    coventry = Classroom.objects.get(join_code=COVENTRY_CODE)
    dresden = Classroom.objects.get(join_code=DRESDEN_CODE)
    assert coventry.city.name == "Coventry" and dresden.city.name == "Dresden"
    assert Participant.objects.filter(classroom=coventry).count() == len(COVENTRY_PUPILS)
    assert Participant.objects.filter(classroom=dresden).count() == len(DRESDEN_PUPILS)
    exchange = ClassroomExchange.objects.get(classroom_a=coventry, classroom_b=dresden)
    assert exchange.status == ClassroomExchange.Status.ACTIVE
    room = Room.objects.get(exchange=exchange)
    assert RoomMember.objects.filter(room=room).count() == (
        len(COVENTRY_PUPILS) + len(DRESDEN_PUPILS) + 2
    )
    user = pupil_login(code=COVENTRY_CODE, display_name=COVENTRY_PUPILS[0], password=PASSWORD,
                       ip="127.0.0.1")
    assert user.is_pupil and not user.must_set_password
    demo_classrooms_create(password=PASSWORD)
    assert Classroom.objects.count() == 2 and ClassroomExchange.objects.count() == 1
    cache.clear()
