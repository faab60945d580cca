"""What people did before a journey starts, run inside the live platform's database by
``live_platform.call(name, **kwargs)`` (tests/journeys/conftest.py): each function builds
through the services where one exists and returns JSON.

Everyone signs in with ``PASSWORD`` on the real login page; adults' addresses are verified,
as allauth requires before a login.
"""

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from exchanges.models import City, Program, Role, Twinning, User
from exchanges.services.participants import (
    LanguageInput,
    WindowInput,
    participant_create,
    participant_update_profile,
)
from exchanges.services.roles import roles_ensure
from tests.authorization_world import build_world

PASSWORD = "a-long-and-unusual-passphrase"
T = dt.time.fromisoformat


def _adult(email: str, name: str, *roles: str, **extra) -> User:
    roles_ensure()
    user = User.objects.create_user(email, PASSWORD, display_name=name, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    return user


def _coventry_dresden() -> tuple[City, City, Twinning]:
    coventry = City.objects.get(name="Coventry", country="GB")
    dresden = City.objects.get(name="Dresden", country="DE")
    twinning = Twinning.objects.get(city_a__in=[coventry, dresden], city_b__in=[coventry, dresden])
    return coventry, dresden, twinning


def tandem_program() -> dict:
    """An officer's open tandem program over Coventry–Dresden, starting today for 12 weeks,
    and Bruno in Dresden already in its pool: German native learning English, free on
    Monday and Wednesday evenings (Berlin time)."""
    coventry, dresden, twinning = _coventry_dresden()
    officer = _adult("officer@journeys.test", "Olivia", Role.OFFICER, is_staff=True)
    program = Program.objects.create(
        name="Twin Cities Tandem", slug="twin-cities-tandem", kind=Program.Kind.TANDEM,
        start_date=timezone.localdate(), weeks=12, session_minutes=60,
    )
    program.twinnings.add(twinning)
    program.officers.add(officer)
    bruno = _adult("bruno@journeys.test", "Bruno")
    participant = participant_create(user=bruno, birth_year=1995)
    participant_update_profile(
        participant=participant, city=dresden, birth_year=1995, bio="Hallo aus Dresden",
        capacity=1,
        languages=[LanguageInput("de", "native", False), LanguageInput("en", "B2", True)],
        interests=["hiking", "jazz"],
        windows=[WindowInput(0, T("19:00"), T("21:30")), WindowInput(2, T("19:00"), T("21:30"))],
    )
    return {"program": program.slug, "officer": officer.email, "partner": bruno.email,
            "twinning": twinning.pk}


def session_starts(*, match_partner_email: str) -> list[str]:
    """The confirmed sessions of the match of the person with this address (UTC, ISO)."""
    from exchanges.models import Session

    sessions = Session.objects.filter(
        match__participant_a__user__email=match_partner_email
    ) | Session.objects.filter(match__participant_b__user__email=match_partner_email)
    return [s.starts_at.astimezone(dt.UTC).isoformat() for s in sessions.order_by("starts_at")]


def two_teachers() -> dict:
    """Two approved teachers, in Coventry and in Dresden, with no class yet."""
    alice = _adult("alice@school.test", "Alice Brown", Role.TEACHER)
    bernd = _adult("bernd@schule.test", "Bernd Weber", Role.TEACHER)
    return {"teacher_a": alice.email, "teacher_b": bernd.email}


PUPIL_PASSWORD = "owl-and-pussycat-42"


def _class(teacher: User, city: City, name: str, speaks: str, learns: str, hours):
    from exchanges.services.classrooms import ClassroomInput, classroom_create

    today = timezone.localdate()
    return classroom_create(teacher=teacher, data=ClassroomInput(
        name=name, school=f"{city.name} School", city=city, age_min=12, age_max=13,
        size=24, term_start=today, term_end=today + dt.timedelta(days=110),
        languages=[LanguageInput(speaks, "native", False), LanguageInput(learns, "A2", True)],
        hours=[WindowInput(day, T(start), T(end)) for day, start, end in hours],
        holidays=[], consent_confirmed=True,
    ))


def _class_exchange(teachers: dict, pupil_a: str, pupil_b: str):
    """Alice's class in Coventry and Bernd's in Dresden in an active exchange with its open
    class room, a pupil of each name in each (joined with the class code and
    ``PUPIL_PASSWORD``): ``(exchange, class_a, class_b, (pupil_a, pupil_b))``."""
    from exchanges.services.partner_requests import partner_request_accept, partner_request_create
    from exchanges.services.pupils import pupil_join

    coventry, dresden, _twinning = _coventry_dresden()
    alice = User.objects.get(email=teachers["teacher_a"])
    bernd = User.objects.get(email=teachers["teacher_b"])
    class_a = _class(alice, coventry, "7B German", "en", "de", [(1, "13:00", "15:15")])
    class_b = _class(bernd, dresden, "Klasse 7c", "de", "en", [(1, "15:00", "17:00")])
    pupils = tuple(
        pupil_join(code=classroom.join_code, display_name=name, password=PUPIL_PASSWORD,
                   ip="journey")
        for classroom, name in ((class_a, pupil_a), (class_b, pupil_b))
    )
    request = partner_request_create(from_classroom=class_a, to_classroom=class_b, by=alice)
    exchange = partner_request_accept(request=request, by=bernd)
    exchange.refresh_from_db()
    return exchange, class_a, class_b, pupils


def session(user: User) -> str:
    """A signed-in session's key for ``user``, made in the platform's session store as a
    login would (pupils through their backend)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = ("exchanges.auth_backends.PupilBackend" if user.is_pupil
                                  else settings.AUTHENTICATION_BACKENDS[0])
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def authorization_world(*, roles: list[str]) -> dict:
    """The authorization matrix's world (``tests.authorization_world.build_world``): the
    session cookie's name, a signed-in session key for each of ``roles`` (``sessions``)
    and the ids of what the world holds (``ids``)."""
    from django.conf import settings

    world = build_world()
    return {"cookie": settings.SESSION_COOKIE_NAME,
            "sessions": {role: session(world.users[role]) for role in roles}, "ids": world.ids}


def class_room(*, pupil_a: str, pupil_b: str, language_a: str = "",
               language_b: str = "") -> dict:
    """A class room, signed in: two classes in an exchange (``_class_exchange``), a pupil
    named ``pupil_a`` in Coventry and ``pupil_b`` in Dresden, with these interface
    languages (none: the browser's). The room's id, the session cookie's name and the
    session keys of both pupils and of Bernd, the Dresden teacher (a moderator there)."""
    from django.conf import settings

    teachers = two_teachers()
    exchange, _a, class_b, pupils = _class_exchange(teachers, pupil_a, pupil_b)
    for pupil, language in zip(pupils, (language_a, language_b), strict=True):
        pupil.language = language
        pupil.save(update_fields=["language"])
    return {"room": exchange.room.pk, "cookie": settings.SESSION_COOKIE_NAME,
            "pupil_a": session(pupils[0]), "pupil_b": session(pupils[1]),
            "teacher": session(class_b.teacher)}


def _nia_and_bruno(made: dict):
    """Nia in Coventry (English native, learning German) and Bruno (``tandem_program``'s)
    in an active tandem match of its program, with its open room."""
    from exchanges.services.matches import match_create_demo

    coventry, dresden, twinning = _coventry_dresden()
    program = Program.objects.get(slug=made["program"])
    nia = _adult("nia@example.test", "Nia")
    participant = participant_create(user=nia, birth_year=1999)
    participant_update_profile(
        participant=participant, city=coventry, birth_year=1999, bio="Hello from Coventry",
        capacity=1,
        languages=[LanguageInput("en", "native", False), LanguageInput("de", "B1", True)],
        interests=["hiking"], windows=[WindowInput(0, T("18:00"), T("20:00"))],
    )
    bruno = User.objects.get(email=made["partner"]).participant
    return match_create_demo(program=program, twinning=twinning, a=participant, b=bruno)


def tandem_room() -> dict:
    """Nia and Bruno's tandem room (``_nia_and_bruno``), both signed in: the room's id, the
    session cookie's name and each partner's session key."""
    from django.conf import settings

    match = _nia_and_bruno(tandem_program())
    return {"room": match.room.pk, "cookie": settings.SESSION_COOKIE_NAME,
            "nia": session(match.participant_a.user), "bruno": session(match.participant_b.user)}


def session_running(*, room: int, halves: list[str], minutes_in: int) -> dict:
    """A scheduled session of the room's match, started ``minutes_in`` minutes ago, its
    hour split into equal halves in these languages (a planner would plan it so)."""
    from exchanges.models import Room, Session

    match = Room.objects.get(pk=room).match
    minutes = 60
    made = Session.objects.create(
        match=match, starts_at=timezone.now() - dt.timedelta(minutes=minutes_in),
        minutes=minutes, status=Session.Status.SCHEDULED,
        language_plan=[{"language": code, "minutes": minutes // len(halves)} for code in halves],
    )
    return {"session": made.pk}


def live_twinning() -> dict:
    """Everything alive across Coventry–Dresden that a suspension closes: the officer's
    program over it, Nia and Bruno's active tandem match with its open room, and two
    classes in an exchange with its open class room, a pupil in each (who joined with the
    class code and ``PUPIL_PASSWORD``)."""
    made = tandem_program()
    match = _nia_and_bruno(made)

    teachers = two_teachers()
    exchange, class_a, class_b, _pupils = _class_exchange(teachers, "Amelia K.", "Jonas M.")
    return {
        **made, **teachers, "nia": match.participant_a.user.email, "tandem_room": match.room.pk,
        "class_room": exchange.room.pk,
        "code_a": class_a.join_code, "code_b": class_b.join_code,
        "pupil_password": PUPIL_PASSWORD,
    }


def beat(*, task: str) -> dict:
    """Send a periodic task by name to the broker, as Celery beat does on its schedule; a
    worker, not this process, carries it out."""
    from config.celery import app

    result = app.send_task(task)
    return {"task": task, "id": result.id}
