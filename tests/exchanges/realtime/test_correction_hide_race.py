"""A correction sent while a teacher's hiding of its message is being saved: the
correction waits for the hiding's lock on the message, then is refused as a correction of
a hidden message. It was stored and broadcast, quoting the hidden text under its
placeholder, when the check ran before the lock."""

import asyncio
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from exchanges.models import Correction, Message
from tests.exchanges.chat_fixtures import open_socket, receive_until, send_frame

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


def _hide_held(message_id: int, locked: threading.Event, release: threading.Event) -> None:
    """Hide the message as message_hide does (its row locked first), committing only once
    ``release`` is set."""
    try:
        with transaction.atomic():
            message = Message.objects.select_for_update().get(pk=message_id)
            message.hidden_at = timezone.now()
            message.save(update_fields=["hidden_at"])
            locked.set()
            release.wait(10)
    finally:
        connection.close()


async def test_a_correction_racing_a_hiding_is_refused_as_hidden(match_room, postgres):
    room, user_a, user_b, _ = match_room
    message = await Message.objects.acreate(room=room, author=user_b, body="rude words",
                                            client_id="x")
    comm, _ = await open_socket(room.pk, user_a)
    locked, release = threading.Event(), threading.Event()
    hider = threading.Thread(target=_hide_held, args=(message.pk, locked, release))
    hider.start()
    try:
        assert await asyncio.to_thread(locked.wait, 10)
        await send_frame(comm, type="correction.send", message_id=message.pk,
                         corrected="kind words")
        # The correction has read the message (not hidden yet) and waits for its lock.
        await asyncio.sleep(1)
    finally:
        release.set()
        await asyncio.to_thread(hider.join, 10)
    event = await receive_until(comm, "error")
    assert event["code"] == "hidden", event
    assert not await Correction.objects.filter(message=message).aexists()
    await comm.disconnect()
