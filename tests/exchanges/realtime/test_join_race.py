"""A room closed, or a member taken out of it, between the socket's access check and its
join of the room's group: the close event went to the group before the socket was in it,
so the join itself finds out and closes the socket instead of letting it in."""

import pytest
from asgiref.sync import sync_to_async

from exchanges.models import Presence, Room, RoomMember
from exchanges.realtime import consumers
from exchanges.selectors.rooms import room_access
from tests.exchanges.chat_fixtures import communicator_for, session_cookie

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


def _access_then(change):
    """The real access check, then ``change`` as if it committed right after it (its
    close event, if any, reached nobody: the socket was in no group yet)."""
    def checked(*, room_id, user):
        access = room_access(room_id=room_id, user=user)
        change(room_id, user)
        return access
    return checked


async def _outputs(room, user):
    cookie = await sync_to_async(session_cookie)(user)
    comm = communicator_for(f"/ws/rooms/{room.pk}/", cookie=cookie)
    connected, _ = await comm.connect(timeout=5)
    assert connected
    outputs = []
    # Until the close, or until the socket has nothing more to say (it was let in).
    while not await comm.receive_nothing(timeout=1):
        output = await comm.receive_output(timeout=1)
        outputs.append(output)
        if output["type"] == "websocket.close":
            break
    await comm.disconnect()
    return outputs


async def test_a_room_closed_during_the_handshake_closes_the_socket_4410(match_room,
                                                                         monkeypatch):
    room, user_a, *_ = match_room
    monkeypatch.setattr(consumers, "room_access", _access_then(
        lambda room_id, user: Room.objects.filter(pk=room_id).update(
            status=Room.Status.CLOSED)))
    outputs = await _outputs(room, user_a)
    assert outputs[-1] == {"type": "websocket.close", "code": 4410}, outputs
    assert not any(o.get("text") for o in outputs), outputs  # no room.joined
    assert not await Presence.objects.filter(room=room).aexists()


async def test_a_member_removed_during_the_handshake_is_closed_4404(match_room, monkeypatch):
    room, user_a, *_ = match_room
    monkeypatch.setattr(consumers, "room_access", _access_then(
        lambda room_id, user: RoomMember.objects.filter(room_id=room_id,
                                                        user_id=user.pk).delete()))
    outputs = await _outputs(room, user_a)
    assert outputs[-1] == {"type": "websocket.close", "code": 4404}, outputs
    assert not any(o.get("text") for o in outputs), outputs
    assert not await Presence.objects.filter(room=room).aexists()
