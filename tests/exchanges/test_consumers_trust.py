"""RoomConsumer against hostile input: frames that used to drop the socket, presence
rows left behind, floods of every frame type. Each bad frame gets an ``error`` frame
and the socket stays open."""


import json

import pytest
from asgiref.sync import sync_to_async

from exchanges.models import Correction, Message, Presence, Report
from exchanges.realtime import consumers, protocol, rate_limit
from exchanges.realtime.presence_beat import presence_beat
from exchanges.services import chat
from tests.exchanges.chat_fixtures import (
    communicator_for,
    open_socket,
    receive_until,
    session_cookie,
    still_open,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


async def _message(room, author) -> Message:
    return await Message.objects.acreate(room=room, author=author, body="hi", client_id="m")


# --- Inputs that crashed -------------------------------------------------------------

@pytest.mark.parametrize(
    ("frame", "field", "what"),
    [
        ('{"type": "message.send", "body": "a\\ud800b", "client_id": "c"}', "body",
         "surrogate"),
        ('{"type": "message.send", "body": "\\udfff", "client_id": "c"}', "body", "surrogate"),
        ('{"type": "message.send", "body": "ok", "client_id": "\\ud800"}', "client_id",
         "surrogate"),
        ('{"type": "message.send", "body": "a\\u0000b", "client_id": "c"}', "body", "NUL"),
        ('{"type": "message.send", "body": "ok", "client_id": "c\\u0000"}', "client_id",
         "NUL"),
        ('{"type": "correction.send", "message_id": MID, "corrected": "\\ud800"}',
         "corrected", "surrogate"),
        ('{"type": "correction.send", "message_id": MID, "corrected": "x\\u0000"}',
         "corrected", "NUL"),
        ('{"type": "message.report", "message_id": MID, "reason": "\\ud800"}', "reason",
         "surrogate"),
        ('{"type": "message.report", "message_id": MID, "reason": "\\u0000"}', "reason", "NUL"),
    ],
)
async def test_unstorable_text_gets_an_error_naming_the_field(match_room, frame, field, what):
    room, user_a, user_b, _ = match_room
    message = await _message(room, user_b)
    comm, _ = await open_socket(room.pk, user_a)
    await comm.send_to(text_data=frame.replace("MID", str(message.pk)))
    error = await receive_until(comm, "error")
    assert error["code"] == "invalid"
    assert field in error["detail"] and what in error["detail"]
    await still_open(comm)
    assert await Message.objects.acount() == 1
    assert not await Correction.objects.aexists() and not await Report.objects.aexists()
    await comm.disconnect()


async def test_a_paired_surrogate_escape_is_an_emoji_and_is_stored(match_room):
    room, user_a, *_ = match_room
    comm, _ = await open_socket(room.pk, user_a)
    await comm.send_to(
        text_data='{"type": "message.send", "body": "\\ud83d\\ude00", "client_id": "e"}'
    )
    assert (await receive_until(comm, "message"))["body"] == "\N{GRINNING FACE}"
    await comm.disconnect()


@pytest.mark.parametrize("text", ["[" * 100_000, '{"a":' * 50_000, "[" * 999 + "]" * 999])
async def test_deeply_nested_json_gets_an_error_not_a_recursion_error(match_room, text):
    room, user_a, *_ = match_room
    comm, _ = await open_socket(room.pk, user_a)
    await comm.send_to(text_data=text[: protocol.MAX_FRAME_BYTES])
    error = await receive_until(comm, "error")
    assert error["code"] in {"invalid_json", "invalid"}
    await still_open(comm)
    await comm.disconnect()


@pytest.mark.parametrize("char", ["x", "\N{EURO SIGN}", "\N{GRINNING FACE}"])
async def test_a_frame_over_the_size_cap_in_bytes_is_refused_unparsed(match_room, char):
    room, user_a, *_ = match_room
    comm, _ = await open_socket(room.pk, user_a)
    body = char * (protocol.MAX_FRAME_BYTES // len(char.encode()) + 1)
    frame = json.dumps({"type": "message.send", "body": body, "client_id": "big"},
                       ensure_ascii=False)
    await comm.send_to(text_data=frame)
    error = await receive_until(comm, "error")
    assert error["code"] == "too_long" and str(protocol.MAX_FRAME_BYTES) in error["detail"]
    await still_open(comm)
    assert not await Message.objects.aexists()
    await comm.disconnect()


async def test_the_longest_valid_message_fits_under_the_cap(match_room):
    """2 000 four-byte characters: the longest body a message may have, in bytes."""
    room, user_a, *_ = match_room
    comm, _ = await open_socket(room.pk, user_a)
    body = "\N{GRINNING FACE}" * 2000
    frame = json.dumps({"type": "message.send", "body": body, "client_id": "k" * 64},
                       ensure_ascii=False)
    await comm.send_to(text_data=frame)
    assert (await receive_until(comm, "message"))["body"] == body
    await comm.disconnect()


async def test_binary_frames_and_unknown_types_with_surrogates_get_errors(match_room):
    room, user_a, *_ = match_room
    comm, _ = await open_socket(room.pk, user_a)
    await comm.send_to(bytes_data=b"\x00\xff")
    assert (await receive_until(comm, "error"))["code"] == "invalid_json"
    await comm.send_to(text_data='{"type": "\\ud800\\u0000"}')
    assert (await receive_until(comm, "error"))["code"] == "unknown_type"
    await still_open(comm)
    await comm.disconnect()


async def test_after_with_non_ascii_digits_is_ignored(match_room):
    room, user_a, *_ = match_room
    comm, joined = await open_socket(room.pk, user_a, query="?after=%C2%B2&after=\u00b2")
    assert joined["type"] == "room.joined"
    await still_open(comm)
    await comm.disconnect()


async def test_a_failing_handler_answers_server_error_and_keeps_the_socket(
    match_room, monkeypatch
):
    room, user_a, user_b, _ = match_room
    message = await _message(room, user_b)

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(chat, "correction_send", broken)
    comm, _ = await open_socket(room.pk, user_a)
    await comm.send_json_to({"type": "correction.send", "message_id": message.pk,
                             "corrected": "x"})
    assert (await receive_until(comm, "error"))["code"] == "server_error"
    await still_open(comm)
    await comm.disconnect()


# --- Presence rows never outlive their socket ----------------------------------------

async def _channel_of(room, user) -> str:
    return await Presence.objects.filter(room=room, user=user).values_list(
        "channel_name", flat=True
    ).aget()


async def test_a_consumer_that_crashes_leaves_no_presence_row_nor_heartbeat(
    match_room, fresh_channel_layer
):
    room, user_a, *_ = match_room
    comm, _ = await open_socket(room.pk, user_a)
    channel = await _channel_of(room, user_a)
    assert channel in presence_beat().sockets
    # An event no handler knows makes the consumer raise, as any bug would.
    await fresh_channel_layer.send(channel, {"type": "no.such.handler"})
    with pytest.raises(ValueError, match="No handler"):
        await comm.wait(timeout=5)
    assert channel not in presence_beat().sockets
    assert not await Presence.objects.filter(room=room).aexists()


async def test_a_connect_that_fails_after_joining_leaves_no_presence_row(
    match_room, monkeypatch
):
    room, user_a, *_ = match_room

    def broken(**kwargs):
        raise RuntimeError("joined event failed")

    monkeypatch.setattr(consumers.protocol, "joined_event", broken)
    cookie = await sync_to_async(session_cookie)(user_a)
    comm = communicator_for(f"/ws/rooms/{room.pk}/", cookie=cookie)
    await comm.connect(timeout=5)  # accepted before the join
    with pytest.raises(RuntimeError, match="joined event failed"):
        await comm.wait(timeout=5)
    assert not presence_beat().sockets
    assert not await Presence.objects.filter(room=room).aexists()


async def test_disconnect_removes_the_row_even_when_the_heartbeat_removal_fails(
    match_room, monkeypatch
):
    room, user_a, *_ = match_room
    comm, _ = await open_socket(room.pk, user_a)
    beat = presence_beat()

    async def broken_remove(channel_name):
        raise RuntimeError("beat failed")

    monkeypatch.setattr(beat, "remove", broken_remove)
    await comm.disconnect()
    assert not await Presence.objects.filter(room=room).aexists()


# --- Every frame type is rate-limited --------------------------------------------------

@pytest.fixture
def tight_limits(monkeypatch):
    """Small limits with a long window, so that a test reaches them in a few frames."""
    limits = {name: rate_limit.Limit(3, 60) for name in rate_limit.FRAME_LIMITS}
    monkeypatch.setattr(rate_limit, "FRAME_LIMITS", limits)
    return limits


def _frames(message_id: int) -> dict[str, callable]:
    return {
        "message.send": lambda i: {"type": "message.send", "body": f"m{i}", "client_id": f"c{i}"},
        "history": lambda i: {"type": "history", "before": None, "limit": 1},
        "typing": lambda i: {"type": "typing"},
        "correction.send": lambda i: {"type": "correction.send", "message_id": message_id,
                                      "corrected": f"fix {i}"},
        "message.report": lambda i: {"type": "message.report", "message_id": message_id,
                                     "reason": f"r{i}"},
        "invalid": lambda i: {"type": f"bogus{i}"},
    }


@pytest.mark.parametrize(
    "frame_type",
    ["message.send", "history", "typing", "correction.send", "message.report", "invalid"],
)
async def test_every_frame_type_is_rate_limited_and_the_socket_stays_open(
    match_room, tight_limits, frame_type
):
    room, user_a, user_b, _ = match_room
    message = await _message(room, user_b)
    make = _frames(message.pk)[frame_type]
    comm, _ = await open_socket(room.pk, user_a)
    for i in range(3):
        await comm.send_json_to(make(i))
    await comm.send_json_to(make(99))
    error = await receive_until(comm, "error", timeout=5)
    while error["code"] != "rate_limited":  # the bogus frames' own errors come first
        error = await receive_until(comm, "error", timeout=5)
    label = "invalid frames" if frame_type == "invalid" else frame_type
    assert error["detail"].startswith(label) and "at most 3 in 60 seconds" in error["detail"]
    if frame_type == "message.send":
        assert error["client_id"] == "c99"
        assert not await Message.objects.filter(client_id="c99").aexists()
    if frame_type == "correction.send":
        assert await Correction.objects.acount() == 3
    # Other frame types have their own budget: the socket still answers history.
    if frame_type != "history":
        await still_open(comm)
    await comm.disconnect()


async def test_the_limit_is_per_user_and_shared_by_the_users_sockets(match_room, tight_limits):
    room, user_a, user_b, _ = match_room
    first, _ = await open_socket(room.pk, user_a)
    second, _ = await open_socket(room.pk, user_a)
    other, _ = await open_socket(room.pk, user_b)
    frame = {"type": "history", "before": None, "limit": 1}
    for comm in (first, second, first):
        await comm.send_json_to(frame)
        await receive_until(comm, "history")
    await second.send_json_to(frame)  # the user's fourth, on another socket
    assert (await receive_until(second, "error"))["code"] == "rate_limited"
    await other.send_json_to(frame)  # the partner has a budget of their own
    assert (await receive_until(other, "history"))["type"] == "history"
    for comm in (first, second, other):
        await comm.disconnect()


async def test_rate_limit_counts_live_in_the_shared_cache(match_room, tight_limits):
    """The counter is in Django's cache (Redis when REDIS_URL is set), so that every
    server process sees it; a count set there from outside the socket limits it."""
    room, user_a, *_ = match_room
    comm, _ = await open_socket(room.pk, user_a)
    for _ in range(3):
        await rate_limit.frame_allowed(user_id=user_a.pk, room_id=room.pk,
                                       frame_type="history")
    await comm.send_json_to({"type": "history", "before": None, "limit": 1})
    assert (await receive_until(comm, "error"))["code"] == "rate_limited"
    await comm.disconnect()


def test_default_limits_cover_every_frame_type():
    assert set(consumers.RoomConsumer._handlers) <= set(rate_limit.FRAME_LIMITS)


async def test_a_cache_outage_lets_frames_through_instead_of_dropping_the_socket(
    match_room, monkeypatch
):
    room, user_a, *_ = match_room

    def cache_down(key, timeout):
        raise ConnectionError("redis is gone")

    monkeypatch.setattr(rate_limit, "_hit", sync_to_async(cache_down))
    comm, _ = await open_socket(room.pk, user_a)
    await still_open(comm)
    await comm.disconnect()


@pytest.mark.parametrize("frame", [
    {"type": "history", "before": 2**70, "limit": 1},
    {"type": "history", "before": -(2**70), "limit": 1},
    {"type": "correction.send", "message_id": 2**64, "corrected": "x"},
    {"type": "message.report", "message_id": 2**63, "reason": "x"},
])
async def test_an_id_beyond_the_databases_integers_is_invalid_not_a_server_error(
    match_room, frame
):
    room, user_a, *_ = match_room
    comm, _ = await open_socket(room.pk, user_a)
    await comm.send_to(text_data=json.dumps(frame))
    error = await receive_until(comm, "error")
    assert error["code"] in {"invalid", "not_found"}, error
    await still_open(comm)
    await comm.disconnect()
