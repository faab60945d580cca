"""Push events to a room's connected sockets, from any process, after commit.

Group events carry a ``type`` that the room consumer handles:
``room.broadcast`` sends ``payload`` to every socket as is; ``room.close`` closes
every socket with ``code`` (4410 when the room closed).
"""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from exchanges.realtime.protocol import CLOSE_ROOM_CLOSED


def room_group(room_id: int) -> str:
    return f"room.{room_id}"


def _send(room_id: int, event: dict) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(room_group(room_id), event)


def broadcast_to_room(*, room_id: int, payload: dict) -> None:
    """Send ``payload`` (a protocol server event) to the room once the transaction commits."""
    transaction.on_commit(lambda: _send(room_id, {"type": "room.broadcast", "payload": payload}))


def close_room_sockets(*, room_id: int, code: int = CLOSE_ROOM_CLOSED) -> None:
    transaction.on_commit(lambda: _send(room_id, {"type": "room.close", "code": code}))
