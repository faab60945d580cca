"""The room socket's languages (exchanges.realtime.room_frames) while it stays open: a
language a member adds to their profile meanwhile, or a teacher to the class, is accepted
without a reconnect, one that is no language of the room is still refused, one taken out
of the room is refused once the socket's copy is older than LANGUAGES_FRESH_FOR, and a
send in a language the socket knows reads nothing more."""

import datetime as dt

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.test import Client
from django.utils import timezone

from exchanges.models import ClassroomLanguage, Match, Message
from exchanges.realtime import room_frames, room_steps
from exchanges.services.classrooms import ClassroomInput, classroom_update
from exchanges.services.participants import (
    LanguageInput,
    WindowInput,
    participant_update_profile,
)
from exchanges.services.rooms import room_open
from tests.exchanges.chat_fixtures import communicator_for, open_socket
from tests.exchanges.classroom_fixtures import PUPIL_BACKEND
from tests.exchanges.wall_fixtures import make_exchange_room
from tests.factories import MatchFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


def _tandem(*, a_speaks):
    """Ann (English, learning German) and Ben (German and French, learning English):
    their room's languages are the tandem's two and those both speak."""
    match = MatchFactory(status=Match.Status.ACTIVE, participant_a__speaks=a_speaks,
                         participant_b__speaks={"de": "native", "fr": "C1"})
    return room_open(match=match), match.participant_a


def _profile_speaks(participant, speaks: dict[str, str]) -> None:
    """Ann saves her profile page with ``speaks`` (and German learnt, as before)."""
    participant.refresh_from_db()
    languages = [LanguageInput(code, level, False) for code, level in speaks.items()]
    windows = [WindowInput(w.weekday, w.start, w.end) for w in participant.availability.all()]
    participant_update_profile(
        participant=participant, city=participant.city, birth_year=participant.birth_year,
        bio=participant.bio, capacity=participant.capacity,
        languages=[*languages, LanguageInput("de", "B1", True)],
        interests=[], windows=windows,
    )


async def _answer(comm, **frame) -> dict:
    """Send a message.send and return what answers it: the message or an error."""
    await comm.send_json_to({"type": "message.send", **frame})
    while True:
        event = await comm.receive_json_from(timeout=5)
        if event["type"] in ("message", "error"):
            return event


async def test_a_language_added_to_a_profile_is_accepted_without_reconnecting():
    room, ann = await sync_to_async(_tandem)(a_speaks={"en": "native"})
    comm, _ = await open_socket(room.pk, await sync_to_async(lambda: ann.user)())
    assert (await _answer(comm, body="Hallo", client_id="c-1", lang="de"))["lang"] == "de"
    refused = await _answer(comm, body="Bonjour", client_id="c-2", lang="fr")
    assert refused["code"] == "unknown_language" and refused["client_id"] == "c-2"

    # Ann adds French to her profile (Ben speaks it): now a language of the room.
    await sync_to_async(_profile_speaks)(ann, {"en": "native", "fr": "B2"})
    sent = await _answer(comm, body="Bonjour", client_id="c-3", lang="fr")
    assert sent["type"] == "message" and sent["lang"] == "fr"
    assert (await Message.objects.aget(pk=sent["id"])).lang == "fr"
    # Still no language of the room: refused, nothing stored.
    refused = await _answer(comm, body="Buongiorno", client_id="c-4", lang="it")
    assert refused["code"] == "unknown_language" and refused["client_id"] == "c-4"
    assert not await Message.objects.filter(client_id__in=["c-2", "c-4"]).aexists()
    await comm.disconnect()


def _class_room():
    """7B of Coventry (English, learning German) and 7c of Dresden (German, learning
    English) in an exchange; its class room and 7B's first pupil."""
    built, room = make_exchange_room()
    for side, speaks, learns in ((built.a, "en", "de"), (built.b, "de", "en")):
        ClassroomLanguage.objects.create(classroom=side.classroom, code=speaks, level="native")
        ClassroomLanguage.objects.create(classroom=side.classroom, code=learns, level="A2",
                                         learning=True)
    return room, built.a, built.a.pupils[0]


def _pupil_cookie(pupil) -> str:
    client = Client()
    client.force_login(pupil, backend=PUPIL_BACKEND)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _class_speaks_french(side) -> None:
    """7B's teacher saves the class page with French added to its languages."""
    today = timezone.localdate()
    classroom = side.classroom
    classroom_update(classroom=classroom, by=side.teacher, data=ClassroomInput(
        name=classroom.name, school=classroom.school, city=classroom.city, age_min=11,
        age_max=12, size=24, term_start=today, term_end=today + dt.timedelta(days=80),
        languages=[LanguageInput("en", "native", False), LanguageInput("fr", "B1", False),
                   LanguageInput("de", "A2", True)],
        hours=[], holidays=[], consent_confirmed=True,
    ))


async def test_a_language_a_teacher_adds_to_the_class_is_accepted_without_reconnecting():
    room, side, pupil = await sync_to_async(_class_room)()
    comm = communicator_for(f"/ws/rooms/{room.pk}/",
                            cookie=await sync_to_async(_pupil_cookie)(pupil))
    assert (await comm.connect(timeout=5))[0]
    assert (await comm.receive_json_from(timeout=5))["type"] == "room.joined"
    refused = await _answer(comm, body="Bonjour", client_id="p-1", lang="fr")
    assert refused["code"] == "unknown_language"

    await sync_to_async(_class_speaks_french)(side)
    sent = await _answer(comm, body="Bonjour", client_id="p-2", lang="fr")
    assert sent["type"] == "message" and sent["lang"] == "fr"
    await comm.disconnect()


async def test_a_language_taken_out_of_the_room_is_refused_once_the_copy_is_stale(monkeypatch):
    room, ann = await sync_to_async(_tandem)(a_speaks={"en": "native", "fr": "B2"})
    comm, _ = await open_socket(room.pk, await sync_to_async(lambda: ann.user)())
    assert (await _answer(comm, body="Bonjour", client_id="c-1", lang="fr"))["lang"] == "fr"

    await sync_to_async(_profile_speaks)(ann, {"en": "native"})
    monkeypatch.setattr(room_frames, "LANGUAGES_FRESH_FOR", 0.0)  # the window has passed
    refused = await _answer(comm, body="Bonsoir", client_id="c-2", lang="fr")
    assert refused["code"] == "unknown_language" and refused["client_id"] == "c-2"
    assert not await Message.objects.filter(client_id="c-2").aexists()
    await comm.disconnect()


async def test_sends_in_languages_the_socket_knows_read_the_rooms_languages_once(monkeypatch):
    room, ann = await sync_to_async(_tandem)(a_speaks={"en": "native"})
    reads = []
    real = room_steps.languages

    def counted(room):
        reads.append(room.pk)
        return real(room)

    monkeypatch.setattr(room_steps, "languages", counted)
    comm, _ = await open_socket(room.pk, await sync_to_async(lambda: ann.user)())
    for i, lang in enumerate(["de", "en", "DE", "de", "en"]):
        sent = await _answer(comm, body=f"m{i}", client_id=f"c-{i}", lang=lang)
        assert sent["type"] == "message" and sent["lang"] == lang.lower()
    assert (await _answer(comm, body="plain", client_id="c-plain"))["lang"] == ""
    assert reads == [room.pk]
    await comm.disconnect()
