"""RoomConsumer through WebsocketCommunicator against config.asgi.application.

Connection, events and close codes; the message protocol is in test_consumers_messages.
"""

import pytest
from asgiref.sync import sync_to_async

from exchanges.models import Message, Presence, Room
from exchanges.realtime.broadcast import room_group
from exchanges.services import attendance
from exchanges.services.rooms import room_close
from tests.exchanges.chat_fixtures import (
    communicator_for,
    drain,
    make_outsider,
    open_socket,
    receive_until,
    session_cookie,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


async def _close_code(comm) -> int:
    output = await comm.receive_output(timeout=5)
    assert output["type"] == "websocket.close", output
    return output["code"]


async def test_anonymous_socket_is_closed_4401(match_room):
    room, *_ = match_room
    comm = communicator_for(f"/ws/rooms/{room.pk}/")
    connected, _ = await comm.connect(timeout=5)
    assert connected  # accepted first so that the client sees the close code
    assert await _close_code(comm) == 4401
    await comm.disconnect()


async def test_non_member_is_closed_4404_and_cannot_send(match_room):
    room, *_ = match_room
    outsider = await sync_to_async(make_outsider)()
    cookie = await sync_to_async(session_cookie)(outsider)
    comm = communicator_for(f"/ws/rooms/{room.pk}/", cookie=cookie)
    await comm.connect(timeout=5)
    assert await _close_code(comm) == 4404
    await comm.disconnect()
    assert not await Message.objects.filter(room=room).aexists()


@pytest.mark.parametrize("room_id", ["existing", "missing", "closed", "huge"])
async def test_non_member_gets_the_same_close_code_whether_the_room_exists(
    match_room, room_id
):
    """Room ids cannot be enumerated: 4404 for a room that exists (open or closed), one
    that does not, and an id beyond any database integer."""
    room, *_ = match_room
    if room_id == "closed":
        await sync_to_async(room_close)(room=room, reason="ended")
    path_id = {"existing": room.pk, "closed": room.pk, "missing": room.pk + 1000,
               "huge": 10**30}[room_id]
    outsider = await sync_to_async(make_outsider)()
    cookie = await sync_to_async(session_cookie)(outsider)
    comm = communicator_for(f"/ws/rooms/{path_id}/", cookie=cookie)
    await comm.connect(timeout=5)
    assert await _close_code(comm) == 4404
    await comm.disconnect()


async def test_unknown_room_is_closed_4404(match_room):
    _, user_a, *_ = match_room
    cookie = await sync_to_async(session_cookie)(user_a)
    comm = communicator_for("/ws/rooms/999999/", cookie=cookie)
    await comm.connect(timeout=5)
    assert await _close_code(comm) == 4404
    await comm.disconnect()


async def test_closed_room_is_closed_4410_on_connect(match_room):
    room, user_a, *_ = match_room
    await sync_to_async(room_close)(room=room, reason="ended")
    cookie = await sync_to_async(session_cookie)(user_a)
    comm = communicator_for(f"/ws/rooms/{room.pk}/", cookie=cookie)
    await comm.connect(timeout=5)
    assert await _close_code(comm) == 4410
    await comm.disconnect()


async def test_room_closed_while_connected_closes_both_sockets_4410(match_room):
    room, user_a, user_b, _ = match_room
    comm_a, _ = await open_socket(room.pk, user_a)
    comm_b, _ = await open_socket(room.pk, user_b)
    await sync_to_async(room_close)(room=room, reason="programme ended")
    for comm in (comm_a, comm_b):
        while True:
            output = await comm.receive_output(timeout=5)
            if output["type"] == "websocket.close":
                assert output["code"] == 4410
                break
        await comm.disconnect()
    refreshed = await Room.objects.aget(pk=room.pk)
    assert refreshed.status == Room.Status.CLOSED
    assert refreshed.closed_reason == "programme ended"


async def test_other_origin_is_refused(match_room):
    room, user_a, *_ = match_room
    cookie = await sync_to_async(session_cookie)(user_a)
    comm = communicator_for(f"/ws/rooms/{room.pk}/", cookie=cookie, origin="https://evil.test")
    connected, _ = await comm.connect(timeout=5)
    assert not connected
    await comm.disconnect()


async def test_joined_event_has_members_online_and_last_message_id(match_room):
    room, user_a, user_b, _ = match_room
    message = await Message.objects.acreate(room=room, author=user_b, body="hi", client_id="c1")
    comm, joined = await open_socket(room.pk, user_a)
    assert joined["room"]["id"] == room.pk
    assert {m["id"] for m in joined["members"]} == {user_a.pk, user_b.pk}
    assert all(m["name"] for m in joined["members"])
    assert [p["id"] for p in joined["online"]] == [user_a.pk]
    assert joined["last_message_id"] == message.pk
    await comm.disconnect()


async def _presence_reaches(comm, expected: set[int]) -> bool:
    for _ in range(5):
        presence = await receive_until(comm, "presence")
        if {p["id"] for p in presence["online"]} == expected:
            return True
    return False


async def test_presence_event_on_join_and_leave(match_room):
    room, user_a, user_b, _ = match_room
    comm_a, _ = await open_socket(room.pk, user_a)
    comm_b, joined_b = await open_socket(room.pk, user_b)
    assert {p["id"] for p in joined_b["online"]} == {user_a.pk, user_b.pk}
    # comm_a first hears its own join, then b's join, then b's leave.
    assert await _presence_reaches(comm_a, {user_a.pk, user_b.pk})
    await comm_b.disconnect()
    assert await _presence_reaches(comm_a, {user_a.pk})
    assert not await Presence.objects.filter(room=room, user=user_b).aexists()
    await comm_a.disconnect()


async def test_connect_and_disconnect_record_attendance(match_room, monkeypatch):
    room, user_a, *_ = match_room
    calls = []
    monkeypatch.setattr(attendance, "attendance_join", lambda **kw: calls.append(("join", kw)))
    monkeypatch.setattr(attendance, "attendance_leave", lambda **kw: calls.append(("leave", kw)))
    comm, _ = await open_socket(room.pk, user_a)
    await comm.disconnect()
    assert [name for name, _ in calls] == ["join", "leave"]
    assert calls[0][1]["room"].pk == room.pk and calls[0][1]["user_id"] == user_a.pk
    assert calls[0][1]["at"] <= calls[1][1]["at"]


async def test_room_broadcast_group_event_is_sent_as_is(match_room, fresh_channel_layer):
    room, user_a, *_ = match_room
    comm, _ = await open_socket(room.pk, user_a)
    payload = {"type": "session.switch", "language": "de", "at": "2027-01-01T10:30:00+00:00"}
    await fresh_channel_layer.group_send(
        room_group(room.pk), {"type": "room.broadcast", "payload": payload}
    )
    assert await receive_until(comm, "session.switch") == payload
    await comm.disconnect()


async def test_typing_is_relayed_and_throttled(match_room):
    room, user_a, user_b, _ = match_room
    comm_a, _ = await open_socket(room.pk, user_a)
    comm_b, _ = await open_socket(room.pk, user_b)
    await drain(comm_b)
    for _ in range(3):
        await comm_a.send_json_to({"type": "typing"})
    typing = [e for e in await drain(comm_b) if e["type"] == "typing"]
    assert len(typing) == 1  # three within 2 s: one relayed
    assert typing[0]["user"]["id"] == user_a.pk
    assert not await Message.objects.filter(room=room).aexists()  # typing is not stored
    await comm_a.disconnect()
    await comm_b.disconnect()


async def test_a_send_into_a_room_closed_meanwhile_is_refused_by_client_id_then_closed(
    match_room,
):
    room, user_a, *_ = match_room
    comm, _ = await open_socket(room.pk, user_a)
    # Closed in the database before the socket heard of it (the close event in flight).
    await Room.objects.filter(pk=room.pk).aupdate(status=Room.Status.CLOSED)
    await comm.send_json_to({"type": "message.send", "body": "still there?",
                             "client_id": "late-1"})
    error = await receive_until(comm, "error")
    assert error["code"] == "room_closed" and error["client_id"] == "late-1"
    assert error["detail"] == "This room is closed"
    assert await _close_code(comm) == 4410
    assert not await Message.objects.filter(room=room).aexists()
    await comm.disconnect()
