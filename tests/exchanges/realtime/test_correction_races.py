"""A correction sent while another write on its room is being saved waits for that
write's lock, then is refused in the write's light:
- a teacher's hiding of its message: refused as a correction of a hidden message (it was
  stored and broadcast, quoting the hidden text under its placeholder, when the check ran
  before the lock);
- the room's close: refused as one in a closed room, the socket then closing with 4410 (it
  was stored and broadcast into the closed room when its check read the room open before
  the close committed)."""

import asyncio
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from exchanges.models import Correction, Message, Room
from exchanges.services.rooms import room_close
from tests.exchanges.chat_fixtures import open_socket, receive_until, send_frame

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


def _hide(message: Message) -> None:
    """As message_hide does: its row locked first."""
    locked = Message.objects.select_for_update().get(pk=message.pk)
    locked.hidden_at = timezone.now()
    locked.save(update_fields=["hidden_at"])


def _close(message: Message) -> None:
    room_close(room=Room.objects.get(pk=message.room_id), reason="ended")


def _held(write, message, locked: threading.Event, release: threading.Event) -> None:
    """``write`` in a transaction that commits only once ``release`` is set."""
    try:
        with transaction.atomic():
            write(message)
            locked.set()
            release.wait(10)
    finally:
        connection.close()


async def _correction_during(write, room, author, partner, **frame) -> tuple[dict, Message]:
    """A correction of ``partner``'s message sent while ``write`` holds its lock; the
    error frame it gets, and the message."""
    message = await Message.objects.acreate(room=room, author=partner, body="I goed",
                                            client_id="x")
    comm, _ = await open_socket(room.pk, author)
    locked, release = threading.Event(), threading.Event()
    writer = threading.Thread(target=_held, args=(write, message, locked, release))
    writer.start()
    try:
        assert await asyncio.to_thread(locked.wait, 10)
        await send_frame(comm, type="correction.send", message_id=message.pk,
                         corrected="I went", **frame)
        # The correction has read what the write changes before it commits.
        await asyncio.sleep(1)
    finally:
        release.set()
        await asyncio.to_thread(writer.join, 10)
    event = await receive_until(comm, "error")
    await comm.disconnect()
    return event, message


async def test_a_correction_racing_a_hiding_is_refused_as_hidden(match_room, postgres):
    room, user_a, user_b, _ = match_room
    event, message = await _correction_during(_hide, room, user_a, user_b)
    assert event["code"] == "hidden", event
    assert not await Correction.objects.filter(message=message).aexists()


async def test_a_correction_racing_the_rooms_close_is_refused(match_room, postgres):
    room, user_a, user_b, _ = match_room
    event, message = await _correction_during(_close, room, user_a, user_b, client_id="c-1")
    assert (event["code"], event["client_id"]) == ("room_closed", "c-1"), event
    assert not await Correction.objects.filter(message=message).aexists()
