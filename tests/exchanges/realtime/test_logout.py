"""Logout and password changes close the user's open room sockets with 4401
(exchanges/realtime/signals.py), through the user's channel-layer group: the same
group_send reaches sockets on every server process (test_chat_processes proves it with
two real servers on Redis)."""

import pytest
from asgiref.sync import sync_to_async
from django.contrib.sessions.models import Session
from django.test import Client

from exchanges.models import Message, Presence
from exchanges.realtime import consumers
from exchanges.realtime.broadcast import close_user_sockets
from exchanges.selectors.rooms import room_access
from tests.exchanges.chat_fixtures import (
    communicator_for,
    open_socket,
    session_cookie,
    still_open,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password


async def _close_code(comm, timeout: float = 5) -> int:
    while True:
        output = await comm.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output["code"]


def _logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _allauth_logout(user) -> int:
    return _logged_in_client(user).post("/accounts/logout/").status_code


def _django_logout(user) -> None:
    _logged_in_client(user).logout()


def _allauth_password_change(user) -> int:
    response = _logged_in_client(user).post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "a-new-horse-battery-9",
         "password2": "a-new-horse-battery-9"},
    )
    return response.status_code


def _set_password(user) -> None:
    # What the admin's password form and ``manage.py changepassword`` do.
    user.set_password("another-horse-battery-7")
    user.save()


@pytest.mark.parametrize(
    "how", [_allauth_logout, _django_logout, _allauth_password_change, _set_password]
)
async def test_logout_or_password_change_closes_every_socket_of_the_user_4401(
    match_room, how
):
    room, user_a, user_b, _ = match_room
    first, _ = await open_socket(room.pk, user_a)
    second, _ = await open_socket(room.pk, user_a)
    partner, _ = await open_socket(room.pk, user_b)
    result = await sync_to_async(how)(user_a)
    if isinstance(result, int):
        assert result == 302, result  # the form was accepted
    assert await _close_code(first) == 4401
    assert await _close_code(second) == 4401
    await still_open(partner)  # the partner's socket is not touched
    for comm in (first, second, partner):
        await comm.disconnect()


async def test_a_closed_socket_posts_nothing_more(match_room):
    room, user_a, *_ = match_room
    comm, _ = await open_socket(room.pk, user_a)
    await sync_to_async(_django_logout)(user_a)
    assert await _close_code(comm) == 4401
    await comm.send_json_to({"type": "message.send", "body": "after logout", "client_id": "x"})
    await comm.disconnect()
    assert not await Message.objects.filter(body="after logout").aexists()


async def test_a_failed_password_change_closes_nothing(match_room):
    room, user_a, *_ = match_room
    comm, _ = await open_socket(room.pk, user_a)

    def wrong_old_password():
        return _logged_in_client(user_a).post(
            "/accounts/password/change/",
            {"oldpassword": "wrong", "password1": "x-new-horse-9", "password2": "x-new-horse-9"},
        ).status_code

    assert await sync_to_async(wrong_old_password)() == 200  # the form with its error
    await still_open(comm)
    await comm.disconnect()


async def test_user_group_event_from_outside_the_consumer_closes_the_socket(match_room):
    """What another process does: close_user_sockets publishes on the user's group."""
    room, user_a, *_ = match_room
    comm, _ = await open_socket(room.pk, user_a)
    await sync_to_async(close_user_sockets)(user_id=user_a.pk)
    assert await _close_code(comm) == 4401
    await comm.disconnect()


async def test_a_logout_during_the_handshake_closes_the_socket_4401(match_room, monkeypatch):
    """The session ends after the handshake read it but before the socket joined its
    user's group (where the logout event goes): the join sees it and closes."""
    room, user_a, *_ = match_room

    def access_then_logout(**kwargs):
        access = room_access(**kwargs)
        Session.objects.all().delete()  # what logout does to the session row
        return access

    monkeypatch.setattr(consumers, "room_access", access_then_logout)
    cookie = await sync_to_async(session_cookie)(user_a)
    comm = communicator_for(f"/ws/rooms/{room.pk}/", cookie=cookie)
    connected, _ = await comm.connect(timeout=5)
    assert connected
    assert await _close_code(comm) == 4401
    await comm.disconnect()
    assert not await Presence.objects.filter(room=room).aexists()


async def test_deactivating_an_account_closes_its_sockets_4401(match_room):
    room, user_a, user_b, _ = match_room
    comm, _ = await open_socket(room.pk, user_a)
    user_a.is_active = False
    await sync_to_async(user_a.save)(update_fields=["is_active"])
    assert await _close_code(comm) == 4401
    await comm.disconnect()
