"""RoomConsumer corrections: broadcast to the room and replayed under their message, in
its language, after a reconnect, once however often sent, and never of one's own
message (an error frame; the socket stays open)."""

import pytest

from exchanges.models import Correction, Message
from tests.exchanges.chat_fixtures import (
    drain,
    open_socket,
    receive_until,
    send_frame,
    still_open,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


async def test_a_reconnect_replays_the_corrections_it_missed_on_messages_it_shows(match_room):
    room, user_a, user_b, _ = match_room
    mine = await Message.objects.acreate(room=room, author=user_b, body="I goed", client_id="x")
    hidden = await Message.objects.acreate(room=room, author=user_b, body="rude", client_id="y")
    seen = await Correction.objects.acreate(message=mine, author=user_a, corrected="I go")
    # While user_b was offline: a correction of a message the page shows, one of a
    # message a teacher then hid, and a new message with its own correction.
    missed = await Correction.objects.acreate(message=mine, author=user_a, corrected="I went")
    await Correction.objects.acreate(message=hidden, author=user_a, corrected="kind")
    hidden.hidden_at = hidden.created_at
    await hidden.asave(update_fields=["hidden_at"])
    later = await Message.objects.acreate(room=room, author=user_a, body="and you?", client_id="z")
    await Correction.objects.acreate(message=later, author=user_b, corrected="And you?")
    comm, _ = await open_socket(
        room.pk, user_b, query=f"?after={hidden.pk}&corrections_after={seen.pk}")
    events = [e for e in await drain(comm) if e["type"] in ("message", "correction")]
    assert [(e["type"], e["id"]) for e in events] == [("message", later.pk),
                                                       ("correction", missed.pk)]
    assert events[0]["corrections"][0]["corrected"] == "And you?"
    assert events[1]["message_id"] == mine.pk and events[1]["corrected"] == "I went"
    await comm.disconnect()


async def test_correction_is_broadcast_and_replayed_under_its_message(match_room):
    room, user_a, user_b, _ = match_room
    message = await Message.objects.acreate(room=room, author=user_b, body="I goed", client_id="x")
    comm_a, _ = await open_socket(room.pk, user_a)
    comm_b, _ = await open_socket(room.pk, user_b)
    await send_frame(comm_a, type="correction.send", message_id=message.pk, corrected="I went")
    for comm in (comm_a, comm_b):
        event = await receive_until(comm, "correction")
        assert event["message_id"] == message.pk and event["corrected"] == "I went"
        assert event["author"]["id"] == user_a.pk and event["id"] and event["created_at"]
    assert await Correction.objects.filter(message=message).acount() == 1
    await send_frame(comm_b, type="history", before=None, limit=10)
    page = await receive_until(comm_b, "history")
    assert page["messages"][0]["corrections"][0]["corrected"] == "I went"
    await comm_a.disconnect()
    await comm_b.disconnect()


async def test_a_correction_event_carries_the_language_of_its_message(match_room):
    room, user_a, user_b, _ = match_room
    message = await Message.objects.acreate(room=room, author=user_b, body="Ich habe gegangen",
                                            client_id="x", lang="de")
    comm_a, _ = await open_socket(room.pk, user_a)
    comm_b, _ = await open_socket(room.pk, user_b)
    await send_frame(comm_a, type="correction.send", message_id=message.pk,
                corrected="Ich bin gegangen")
    for comm in (comm_a, comm_b):
        assert (await receive_until(comm, "correction"))["lang"] == "de"
    # Sent again: the acknowledgement to its sender says it too.
    await send_frame(comm_a, type="correction.send", message_id=message.pk,
                corrected="Ich bin gegangen")
    assert (await receive_until(comm_a, "correction"))["lang"] == "de"
    # And the replay of a reconnect, and the corrections inside a message event.
    await comm_b.disconnect()
    comm_b, _ = await open_socket(room.pk, user_b,
                                  query=f"?after={message.pk}&corrections_after=0")
    assert (await receive_until(comm_b, "correction"))["lang"] == "de"
    await send_frame(comm_b, type="history", before=None, limit=10)
    page = await receive_until(comm_b, "history")
    assert page["messages"][0]["corrections"][0]["lang"] == "de"
    await comm_a.disconnect()
    await comm_b.disconnect()


async def test_correcting_ones_own_message_is_an_error_frame_and_reaches_nobody(match_room):
    room, user_a, user_b, _ = match_room
    mine = await Message.objects.acreate(room=room, author=user_a, body="I goed", client_id="o")
    comm_a, _ = await open_socket(room.pk, user_a)
    comm_b, _ = await open_socket(room.pk, user_b)
    await drain(comm_a)
    await send_frame(comm_a, type="correction.send", message_id=mine.pk, corrected="I went")
    error = await receive_until(comm_a, "error")
    assert error["code"] == "own_message"
    assert error["detail"] == "You cannot correct your own message: your partner can."
    assert not await Correction.objects.aexists()
    assert not [e for e in await drain(comm_b) if e["type"] == "correction"]
    await still_open(comm_a)
    await comm_a.disconnect()
    await comm_b.disconnect()


async def test_the_same_correction_twice_is_stored_once_and_acknowledged_to_its_sender(
    match_room,
):
    room, user_a, user_b, _ = match_room
    message = await Message.objects.acreate(room=room, author=user_b, body="I goed", client_id="x")
    comm_a, _ = await open_socket(room.pk, user_a)
    comm_b, _ = await open_socket(room.pk, user_b)
    await send_frame(comm_a, type="correction.send", message_id=message.pk, corrected="I went")
    first = await receive_until(comm_a, "correction")
    assert (await receive_until(comm_b, "correction"))["id"] == first["id"]
    await send_frame(comm_a, type="correction.send", message_id=message.pk, corrected="I went")
    again = await receive_until(comm_a, "correction")
    assert again["id"] == first["id"]
    assert await Correction.objects.filter(message=message).acount() == 1
    assert await comm_b.receive_nothing(timeout=0.3)
    await comm_a.disconnect()
    await comm_b.disconnect()
