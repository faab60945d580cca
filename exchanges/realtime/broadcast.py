"""Push events to a room's connected sockets, from any process, after commit.

Group events carry a ``type`` that the room consumer handles:
``room.broadcast`` sends ``payload`` to every socket as is; ``room.close`` closes
every socket with ``code`` (4410 when the room closed). Every socket also joins its
user's group, where ``user.logout`` closes it with 4401 (logout, password change).
"""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from exchanges.realtime.protocol import CLOSE_NOT_LOGGED_IN, CLOSE_ROOM_CLOSED


def room_group(room_id: int) -> str:
    return f"room.{room_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def _send_group(group: str, event: dict) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, event)


def _send(room_id: int, event: dict) -> None:
    _send_group(room_group(room_id), event)


def broadcast_to_room(*, room_id: int, payload: dict) -> None:
    """Send ``payload`` (a protocol server event) to the room once the transaction commits."""
    transaction.on_commit(lambda: _send(room_id, {"type": "room.broadcast", "payload": payload}))


def close_room_sockets(*, room_id: int, code: int = CLOSE_ROOM_CLOSED) -> None:
    transaction.on_commit(lambda: _send(room_id, {"type": "room.close", "code": code}))


def close_user_sockets(*, user_id: int, code: int = CLOSE_NOT_LOGGED_IN) -> None:
    """Close every open socket of the user, in every process, once the transaction
    commits (at once outside one)."""
    transaction.on_commit(
        lambda: _send_group(user_group(user_id), {"type": "user.logout", "code": code})
    )
