"""A safe room in real Chromium: a pupil's message disappears from the partner's screen
the moment a teacher hides it, and a phone number is refused with the reason shown.

The server is the journeys' live platform (its own database, PostgreSQL in CI); the
exchange and the signed-in sessions are made by a script in that database, as a teacher
and pupils would have.
"""

import pytest

from tests.journeys.live import run_script

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]

SETUP = """
import json, uuid
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.utils import timezone
from exchanges.models import (City, Classroom, ClassroomExchange, Participant, Role, Twinning,
                              User)
from exchanges.services.rooms import room_open

coventry = City.objects.get(name="Coventry", country="GB")
dresden = City.objects.get(name="Dresden", country="DE")
twinning = Twinning.objects.filter(city_a__in=[coventry, dresden],
                                   city_b__in=[coventry, dresden]).first()
teachers = Group.objects.get_or_create(name=Role.TEACHER)[0]

def teacher(email):
    user = User.objects.create_user(email, "a-long-and-unusual-passphrase", display_name=email[:5])
    user.groups.add(teachers)
    return user

def pupil(classroom, name):
    user = User(email=f"{uuid.uuid4().hex}@pupils.invalid", display_name=name, is_pupil=True)
    user.set_unusable_password()
    user.save()
    Participant.objects.create(user=user, classroom=classroom, city=classroom.city,
                               tz=classroom.city.tz, onboarded_at=timezone.now())
    return user

a = Classroom.objects.create(teacher=teacher("alice@school.test"), city=coventry,
                             school="Coventry School", name="7B")
b = Classroom.objects.create(teacher=teacher("bernd@schule.test"), city=dresden,
                             school="Dresden Schule", name="7c")
amelia, lena = pupil(a, "Amelia K."), pupil(b, "Lena S.")
exchange = ClassroomExchange.objects.create(twinning=twinning, classroom_a=a, classroom_b=b,
                                            status="active", activated_at=timezone.now())
room = room_open(exchange=exchange)
engine = import_module(settings.SESSION_ENGINE)

def session(user, backend):
    store = engine.SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key

pupils_backend = "exchanges.auth_backends.PupilBackend"
adults_backend = settings.AUTHENTICATION_BACKENDS[0]
print(json.dumps({
    "room": room.pk,
    "cookie": settings.SESSION_COOKIE_NAME,
    "amelia": session(amelia, pupils_backend),
    "lena": session(lena, pupils_backend),
    "teacher": session(b.teacher, adults_backend),
}))
"""


def _page(browser, base, made, who):
    context = browser.new_context()
    context.add_cookies([{"name": made["cookie"], "value": made[who], "url": base}])
    page = context.new_page()
    page.goto(f"{base}/rooms/{made['room']}/")
    page.wait_for_selector("#room-connection:has-text('Connected')")
    return page


def test_a_hidden_message_disappears_live_and_a_phone_number_is_refused(
    live_platform, browser
):
    base = live_platform.url
    made = run_script(live_platform.env, SETUP)
    amelia = _page(browser, base, made, "amelia")
    lena = _page(browser, base, made, "lena")
    teacher = _page(browser, base, made, "teacher")
    assert "Your teachers can read this room" in lena.content()
    assert teacher.query_selector("#room-composer") is None  # teachers read only

    amelia.fill("#room-body", "call me on 07700 900123")
    amelia.press("#room-body", "Enter")
    amelia.wait_for_selector("#room-error:has-text('phone number')")

    amelia.fill("#room-body", "you are silly")
    amelia.press("#room-body", "Enter")
    lena.wait_for_selector(".room-message:has-text('you are silly')")
    teacher.wait_for_selector(".room-message:has-text('you are silly')")

    teacher.on("dialog", lambda dialog: dialog.accept())
    teacher.click(".room-message:has-text('you are silly') button[data-action=hide]")

    lena.wait_for_selector(".room-message.hidden-message:has-text('hidden by a teacher')")
    assert "you are silly" not in lena.inner_text("#room-messages")
    amelia.wait_for_selector(".room-message.hidden-message")
    lena.reload()
    lena.wait_for_selector(".room-message.hidden-message:has-text('hidden by a teacher')")
    assert "you are silly" not in lena.content()
    assert "07700" not in lena.content()
