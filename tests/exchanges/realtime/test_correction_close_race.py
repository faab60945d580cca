"""A correction sent while the room's close is being saved: the correction waits for the
close's lock on the room, then is refused as one in a closed room (and the socket closes
with 4410). It was stored and broadcast into the closed room when its check read the room
open before the close committed."""

import asyncio
import threading

import pytest
from django.db import connection, transaction

from exchanges.models import Correction, Message, Room
from exchanges.services.rooms import room_close
from tests.exchanges.chat_fixtures import open_socket, receive_until, send_frame

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


def _close_held(room_id: int, locked: threading.Event, release: threading.Event) -> None:
    """Close the room (the real service), committing only once ``release`` is set."""
    try:
        with transaction.atomic():
            room_close(room=Room.objects.get(pk=room_id), reason="ended")
            locked.set()
            release.wait(10)
    finally:
        connection.close()


async def test_a_correction_racing_the_rooms_close_is_refused(match_room, postgres):
    room, user_a, user_b, _ = match_room
    message = await Message.objects.acreate(room=room, author=user_b, body="I goed",
                                            client_id="x")
    comm, _ = await open_socket(room.pk, user_a)
    locked, release = threading.Event(), threading.Event()
    closer = threading.Thread(target=_close_held, args=(room.pk, locked, release))
    closer.start()
    try:
        assert await asyncio.to_thread(locked.wait, 10)
        await send_frame(comm, type="correction.send", message_id=message.pk,
                         corrected="I went", client_id="c-1")
        # The correction has read the room (still open to it) before the close commits.
        await asyncio.sleep(1)
    finally:
        release.set()
        await asyncio.to_thread(closer.join, 10)
    event = await receive_until(comm, "error")
    assert (event["code"], event["client_id"]) == ("room_closed", "c-1"), event
    assert not await Correction.objects.filter(message=message).aexists()
    await comm.disconnect()
