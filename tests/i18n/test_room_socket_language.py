"""The room socket's error frames keep their protocol code and say why in the reader's
language: the account's, else the language cookie's, else the browser's Accept-Language
sent with the handshake; English otherwise."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.utils import translation

from exchanges.pure.contact_details import find_contact_detail
from tests.exchanges.chat_fixtures import ORIGIN, receive_until
from tests.exchanges.wall_fixtures import client_for, make_exchange_room

pytestmark = pytest.mark.django_db(transaction=True)

CONTACT = "my snap is lena_k13"


async def _socket(room_id: int, user, *, headers=(), cookies: str = ""):
    client = await sync_to_async(client_for)(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    from config.asgi import application

    comm = WebsocketCommunicator(application, f"/ws/rooms/{room_id}/", headers=[
        (b"origin", ORIGIN.encode()), (b"host", b"localhost"),
        (b"cookie", (cookie + cookies).encode()), *headers,
    ])
    connected, _ = await comm.connect(timeout=5)
    assert connected
    assert (await comm.receive_json_from(timeout=5))["type"] == "room.joined"
    return comm


def _reason(language: str) -> str:
    with translation.override(language):
        return find_contact_detail(CONTACT).reason


async def _refused_contact(comm) -> dict:
    await comm.send_json_to({"type": "message.send", "body": CONTACT, "client_id": "c1"})
    error = await receive_until(comm, "error")
    await comm.disconnect()
    return error


async def test_a_japanese_pupils_refusal_is_in_japanese():
    built, room = await sync_to_async(make_exchange_room)()
    pupil = built.a.pupils[0]
    pupil.language = "ja"
    await sync_to_async(pupil.save)(update_fields=["language"])
    # The browser asks for German: the account's choice wins.
    comm = await _socket(room.pk, pupil, headers=[(b"accept-language", b"de")])
    error = await _refused_contact(comm)
    assert error["code"] == "contact_detail" and error["client_id"] == "c1"
    assert error["detail"] == _reason("ja") != _reason("en")


async def test_without_an_account_language_the_cookie_then_the_browser_decide():
    built, room = await sync_to_async(make_exchange_room)()
    pupil = built.a.pupils[0]
    assert not pupil.language
    by_cookie = await _socket(room.pk, pupil, headers=[(b"accept-language", b"de")],
                              cookies=f"; {settings.LANGUAGE_COOKIE_NAME}=fr")
    assert (await _refused_contact(by_cookie))["detail"] == _reason("fr")
    by_browser = await _socket(room.pk, pupil, headers=[(b"accept-language", b"de-AT,en;q=0.5")])
    assert (await _refused_contact(by_browser))["detail"] == _reason("de")
    plain = await _socket(room.pk, pupil)
    assert (await _refused_contact(plain))["detail"] == _reason("en")


async def test_a_teachers_read_only_refusal_follows_their_language():
    built, room = await sync_to_async(make_exchange_room)()
    teacher = built.a.teacher
    teacher.language = "de"
    await sync_to_async(teacher.save)(update_fields=["language"])
    comm = await _socket(room.pk, teacher)
    await comm.send_json_to({"type": "message.send", "body": "Hallo", "client_id": "t1"})
    error = await receive_until(comm, "error")
    await comm.disconnect()
    with translation.override("de"):
        expected = translation.gettext("moderators read only: teachers cannot write here")
    assert error["code"] == "read_only"
    assert error["detail"] == expected != "moderators read only: teachers cannot write here"
