"""RoomConsumer message protocol: send/ack, retry, history, replay, reports and every
error code (the socket stays open after each error); corrections are in
test_consumers_corrections.py."""

import json

import pytest
from asgiref.sync import sync_to_async

from exchanges.models import Correction, Message, Report
from exchanges.services.chat import RATE_LIMIT_COUNT
from tests.exchanges.chat_fixtures import (
    drain,
    make_match_room,
    open_socket,
    receive_until,
    send_frame,
    still_open,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


async def _error(comm) -> dict:
    return await receive_until(comm, "error")


async def test_message_is_saved_then_broadcast_to_both_members(match_room):
    room, user_a, user_b, _ = match_room
    comm_a, _ = await open_socket(room.pk, user_a)
    comm_b, _ = await open_socket(room.pk, user_b)
    await send_frame(comm_a, type="message.send", body="  Hallo Anna!  ", client_id="c-1")
    ack = await receive_until(comm_a, "message")
    seen = await receive_until(comm_b, "message")
    assert ack == seen
    stored = await Message.objects.aget(pk=ack["id"])
    assert stored.body == "Hallo Anna!" == ack["body"]  # trimmed
    assert ack["author"] == {"id": user_a.pk, "name": user_a.public_name}
    assert ack["client_id"] == "c-1" and ack["corrections"] == []
    assert ack["created_at"].startswith(str(stored.created_at.date()))
    await comm_a.disconnect()
    await comm_b.disconnect()


async def test_retry_with_same_client_id_returns_original_to_sender_only(match_room):
    room, user_a, user_b, _ = match_room
    comm_a, _ = await open_socket(room.pk, user_a)
    comm_b, _ = await open_socket(room.pk, user_b)
    await send_frame(comm_a, type="message.send", body="once", client_id="same")
    first = await receive_until(comm_a, "message")
    await receive_until(comm_b, "message")
    await send_frame(comm_a, type="message.send", body="once", client_id="same")
    retry = await receive_until(comm_a, "message")
    assert retry["id"] == first["id"]
    assert await Message.objects.filter(room=room).acount() == 1
    assert not [e for e in await drain(comm_b) if e["type"] == "message"]
    await comm_a.disconnect()
    await comm_b.disconnect()


async def test_history_pages_backwards_with_has_more_and_clamps_limit(match_room):
    room, user_a, *_ = match_room
    ids = []
    for i in range(5):
        message = await Message.objects.acreate(
            room=room, author=user_a, body=f"m{i}", client_id=f"h{i}"
        )
        ids.append(message.pk)
    comm, _ = await open_socket(room.pk, user_a)
    await send_frame(comm, type="history", before=None, limit=2)
    page = await receive_until(comm, "history")
    assert [m["id"] for m in page["messages"]] == ids[3:] and page["has_more"] is True
    await send_frame(comm, type="history", before=ids[3], limit=2)
    page = await receive_until(comm, "history")
    assert [m["id"] for m in page["messages"]] == ids[1:3] and page["has_more"] is True
    await send_frame(comm, type="history", before=ids[1], limit=2)
    page = await receive_until(comm, "history")
    assert [m["id"] for m in page["messages"]] == ids[:1] and page["has_more"] is False
    # A limit above 100 is clamped to 100, not refused.
    await send_frame(comm, type="history", before=None, limit=500)
    page = await receive_until(comm, "history")
    assert len(page["messages"]) == 5 and page["has_more"] is False
    await comm.disconnect()


async def test_history_says_which_messages_the_reader_reported_and_not_who_else(match_room):
    """Older messages loaded over the socket say whether their reader reported them
    (the page then shows "Reported", not a second "Report"); another member's report of a
    message is never told."""
    room, user_a, user_b, _ = match_room
    theirs = [await Message.objects.acreate(room=room, author=user_b, body=f"b{i}",
                                            client_id=f"b{i}") for i in range(2)]
    mine = await Message.objects.acreate(room=room, author=user_a, body="a0", client_id="a0")
    await Report.objects.acreate(message=theirs[1], reporter=user_a, reason="rude")
    await Report.objects.acreate(message=mine, reporter=user_b, reason="spam")
    seen = {}
    for user in (user_a, user_b):
        comm, _ = await open_socket(room.pk, user)
        await send_frame(comm, type="history", before=None, limit=10)
        page = await receive_until(comm, "history")
        seen[user.pk] = {m["id"]: m["reported"] for m in page["messages"]}
        await comm.disconnect()
    assert seen[user_a.pk] == {theirs[0].pk: False, theirs[1].pk: True, mine.pk: False}
    assert seen[user_b.pk] == {theirs[0].pk: False, theirs[1].pk: False, mine.pk: True}


async def test_history_limit_clamped_to_100_with_has_more(match_room):
    room, user_a, *_ = match_room
    await Message.objects.abulk_create(
        [Message(room=room, author=user_a, body=str(i), client_id=str(i)) for i in range(105)]
    )
    comm, _ = await open_socket(room.pk, user_a)
    await send_frame(comm, type="history", before=None, limit=1000)
    page = await receive_until(comm, "history")
    assert len(page["messages"]) == 100 and page["has_more"] is True
    await comm.disconnect()


async def test_connect_with_after_replays_every_later_message(match_room):
    room, user_a, user_b, _ = match_room
    messages = [
        await Message.objects.acreate(room=room, author=user_b, body=f"r{i}", client_id=f"r{i}")
        for i in range(4)
    ]
    comm, joined = await open_socket(room.pk, user_a, query=f"?after={messages[0].pk}")
    replayed = [await receive_until(comm, "message") for _ in range(3)]
    assert [m["id"] for m in replayed] == [m.pk for m in messages[1:]]
    assert joined["last_message_id"] == messages[-1].pk
    await comm.disconnect()


async def test_a_replay_says_which_messages_the_reader_reported_and_not_who_else(match_room):
    """Messages replayed on a reconnect (``?after=``) carry ``reported`` as history's do:
    one reported from the reader's other tab shows "Reported"; another member's report of
    a message is never told."""
    room, user_a, user_b, _ = match_room
    first = await Message.objects.acreate(room=room, author=user_b, body="b0", client_id="b0")
    theirs = [await Message.objects.acreate(room=room, author=user_b, body=f"b{i}",
                                            client_id=f"b{i}") for i in (1, 2)]
    mine = await Message.objects.acreate(room=room, author=user_a, body="a0", client_id="a0")
    await Report.objects.acreate(message=theirs[1], reporter=user_a, reason="rude")
    await Report.objects.acreate(message=mine, reporter=user_b, reason="spam")
    seen = {}
    for user in (user_a, user_b):
        comm, _ = await open_socket(room.pk, user, query=f"?after={first.pk}")
        replayed = [await receive_until(comm, "message") for _ in range(3)]
        seen[user.pk] = {m["id"]: m["reported"] for m in replayed}
        await comm.disconnect()
    assert seen[user_a.pk] == {theirs[0].pk: False, theirs[1].pk: True, mine.pk: False}
    assert seen[user_b.pk] == {theirs[0].pk: False, theirs[1].pk: False, mine.pk: True}


async def test_an_absurd_after_is_ignored_and_the_socket_joins(match_room):
    room, user_a, *_ = match_room
    comm, joined = await open_socket(room.pk, user_a, query="?after=" + "9" * 5000)
    assert joined["type"] == "room.joined"
    await still_open(comm)
    await comm.disconnect()


async def test_report_is_stored_and_acknowledged_to_reporter(match_room):
    room, user_a, user_b, _ = match_room
    message = await Message.objects.acreate(room=room, author=user_b, body="rude", client_id="y")
    comm, _ = await open_socket(room.pk, user_a)
    await send_frame(comm, type="message.report", message_id=message.pk, reason="insult")
    ack = await receive_until(comm, "message.reported")
    assert ack["message_id"] == message.pk
    report = await Report.objects.aget(message=message)
    assert report.reporter_id == user_a.pk and report.reason == "insult"
    await comm.disconnect()


async def test_reporting_ones_own_message_is_an_error_frame_and_stores_nothing(match_room):
    room, user_a, *_ = match_room
    mine = await Message.objects.acreate(room=room, author=user_a, body="oops", client_id="o")
    comm, _ = await open_socket(room.pk, user_a)
    await send_frame(comm, type="message.report", message_id=mine.pk, reason="")
    error = await _error(comm)
    assert error["code"] == "own_message"
    assert error["detail"] == "You cannot report your own message."
    assert not await Report.objects.aexists()
    await still_open(comm)
    await comm.disconnect()


async def test_correction_or_report_of_message_in_other_room_is_not_found(match_room):
    room, user_a, *_ = match_room
    other_room, other_user, *_ = await sync_to_async(make_match_room)()
    foreign = await Message.objects.acreate(
        room=other_room, author=other_user, body="elsewhere", client_id="z"
    )
    comm, _ = await open_socket(room.pk, user_a)
    await send_frame(comm, type="correction.send", message_id=foreign.pk, corrected="x")
    assert (await _error(comm))["code"] == "not_found"
    await send_frame(comm, type="message.report", message_id=foreign.pk, reason="x")
    assert (await _error(comm))["code"] == "not_found"
    assert not await Correction.objects.aexists() and not await Report.objects.aexists()
    await still_open(comm)
    await comm.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", "invalid_json"),
        ({"type": "dance"}, "unknown_type"),
        ({"body": "no type"}, "invalid"),
        ({"type": "message.send", "body": "no client id"}, "invalid"),
        ({"type": "message.send", "body": 42, "client_id": "a"}, "invalid"),
        ({"type": "message.send", "body": "   ", "client_id": "a"}, "invalid"),
        ({"type": "message.send", "body": "\u200b", "client_id": "a"}, "invalid"),
        ({"type": "message.send", "body": "\u200b\u200b ", "client_id": "a"}, "invalid"),
        ({"type": "correction.send", "message_id": 1, "corrected": "\u200b"}, "invalid"),
        ({"type": "message.send", "body": "x", "client_id": "k" * 65}, "invalid"),
        ({"type": "message.send", "body": "x" * 2001, "client_id": "a"}, "too_long"),
        ({"type": "history", "before": "yesterday", "limit": 10}, "invalid"),
        ({"type": "history", "before": None, "limit": 0}, "invalid"),
        ({"type": "correction.send", "message_id": "1", "corrected": "x"}, "invalid"),
        ({"type": "correction.send", "message_id": 1}, "invalid"),
        ({"type": "message.report"}, "invalid"),
    ],
)
async def test_bad_frames_get_an_error_and_the_socket_stays_open(match_room, frame, code):
    room, user_a, *_ = match_room
    comm, _ = await open_socket(room.pk, user_a)
    if isinstance(frame, str):
        await comm.send_to(text_data=frame)
    else:
        await comm.send_to(text_data=json.dumps(frame))
    error = await _error(comm)
    assert error["code"] == code and error["detail"]
    await still_open(comm)
    assert not await Message.objects.filter(room=room).aexists()
    await comm.disconnect()


async def test_more_than_ten_messages_in_ten_seconds_is_rate_limited(match_room):
    room, user_a, *_ = match_room
    comm, _ = await open_socket(room.pk, user_a)
    for i in range(RATE_LIMIT_COUNT):
        await send_frame(comm, type="message.send", body=f"m{i}", client_id=f"rl{i}")
        await receive_until(comm, "message")
    await send_frame(comm, type="message.send", body="one too many", client_id="rl-extra")
    error = await _error(comm)
    assert error["code"] == "rate_limited" and error["client_id"] == "rl-extra"
    assert await Message.objects.filter(room=room).acount() == RATE_LIMIT_COUNT
    await still_open(comm)
    await comm.disconnect()


async def test_a_frame_past_the_processs_bound_in_flight_gets_server_busy_unsaved(
    match_room, settings
):
    """Load shedding (exchanges/realtime/admission.py); with a real server and a frame
    really in flight in tests/exchanges/realtime/test_load_shedding.py."""
    room, user_a, user_b, _ = match_room
    comm_a, _ = await open_socket(room.pk, user_a)
    comm_b, _ = await open_socket(room.pk, user_b)
    await drain(comm_a)
    await drain(comm_b)
    settings.JUMELAGE_WS_FRAMES_IN_FLIGHT = 0
    await send_frame(comm_a, type="message.send", body="not now", client_id="busy-1")
    error = await _error(comm_a)
    assert error["code"] == "server_busy" and error["client_id"] == "busy-1"
    assert error["detail"]
    await send_frame(comm_a, type="history", before=None, limit=1)
    assert (await _error(comm_a))["code"] == "server_busy"
    assert await comm_b.receive_nothing(timeout=0.3)
    assert not await Message.objects.filter(room=room).aexists()
    # The socket stayed open: the same message goes in once the process has room again.
    settings.JUMELAGE_WS_FRAMES_IN_FLIGHT = 256
    await send_frame(comm_a, type="message.send", body="not now", client_id="busy-1")
    ack = await receive_until(comm_a, "message")
    assert ack["client_id"] == "busy-1"
    assert (await receive_until(comm_b, "message"))["id"] == ack["id"]
    assert await Message.objects.filter(room=room).acount() == 1
    await comm_a.disconnect()
    await comm_b.disconnect()


# U+0958 DEVANAGARI LETTER QA is excluded from composition: NFC writes it as two
# characters (KA + NUKTA), so 1 001 of them, under the limit as typed, are 2 002 stored.
_LENGTHENED = "\u0958" * 1001


async def test_a_message_that_nfc_lengthens_past_the_limit_gets_too_long(match_room):
    room, user_a, *_ = match_room
    comm, _ = await open_socket(room.pk, user_a)
    await send_frame(comm, type="message.send", body=_LENGTHENED, client_id="nfc")
    error = await _error(comm)
    assert error["code"] == "too_long" and error["client_id"] == "nfc"
    assert not await Message.objects.aexists()
    await send_frame(comm, type="message.send", body="\u0958" * 1000, client_id="fits")
    assert len((await receive_until(comm, "message"))["body"]) == 2000
    await comm.disconnect()


async def test_a_correction_that_nfc_lengthens_past_the_limit_gets_too_long(match_room):
    room, user_a, user_b, _ = match_room
    comm_a, _ = await open_socket(room.pk, user_a)
    comm_b, _ = await open_socket(room.pk, user_b)
    await send_frame(comm_a, type="message.send", body="namaste", client_id="m")
    message = await receive_until(comm_b, "message")
    await send_frame(comm_b, type="correction.send", message_id=message["id"],
                corrected=_LENGTHENED)
    assert (await _error(comm_b))["code"] == "too_long"
    assert not await Correction.objects.aexists()
    await comm_a.disconnect()
    await comm_b.disconnect()
