"""A real WebSocket client in a room whose twinning is suspended: the server closes it
with 4410 within seconds, a new connection is refused with 4410, and reactivation lets
it back in."""

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from exchanges.models import Room
from exchanges.services.twinning_lifecycle import twinning_reactivate, twinning_suspend
from tests.exchanges.chat_fixtures import communicator_for, open_socket, session_cookie
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


async def _close_code(comm, timeout: float = 5) -> int:
    while True:
        output = await comm.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output["code"]


async def test_suspending_the_twinning_closes_live_sockets_with_4410():
    world = await sync_to_async(make_lifecycle_world)()
    user_a = world.active.participant_a.user
    comm, joined = await open_socket(world.room.pk, user_a)
    assert joined["room"]["id"] == world.room.pk
    await sync_to_async(twinning_suspend)(
        twinning=world.twinning, by=world.officer, reason="Council vote",
        effective=timezone.localdate(), side="city_a",
    )
    assert await _close_code(comm) == 4410
    await comm.disconnect()
    room = await Room.objects.aget(pk=world.room.pk)
    assert room.status == Room.Status.CLOSED
    assert "suspended" in room.closed_reason

    cookie = await sync_to_async(session_cookie)(user_a)
    again = communicator_for(f"/ws/rooms/{world.room.pk}/", cookie=cookie)
    await again.connect(timeout=5)
    assert await _close_code(again) == 4410
    await again.disconnect()

    await sync_to_async(twinning_reactivate)(
        twinning=world.twinning, by=world.officer, reason="Links resumed",
        effective=timezone.localdate(),
    )
    back, joined = await open_socket(world.room.pk, user_a)
    assert joined["type"] == "room.joined"
    await back.disconnect()
