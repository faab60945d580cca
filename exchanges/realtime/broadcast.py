"""Push events to a room's connected sockets, from any process, after commit.

Group events carry a ``type`` that the room consumer handles:
``room.broadcast`` sends ``payload`` to every socket as is; ``room.close`` closes
every socket with ``code`` (4410 when the room closed). Every socket also joins its
user's group, where ``user.logout`` closes it with 4401 (logout, password change) and
``member.event`` sends ``payload`` to the user's sockets of ``room_id`` only (a mute).
"""

import asyncio
import logging
import os

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from exchanges.realtime.protocol import CLOSE_NOT_LOGGED_IN, CLOSE_ROOM_CLOSED


def room_group(room_id: int) -> str:
    return f"room.{room_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


logger = logging.getLogger(__name__)
_in_flight: set[asyncio.Task] = set()  # strong references until each send is done


def _serving_loop() -> asyncio.AbstractEventLoop | None:
    """The running event loop this thread works for, when it is a ``sync_to_async``
    thread (a consumer's ``db()`` call, a view under ASGI); None elsewhere."""
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    if (loop is None or not loop.is_running()
            or getattr(SyncToAsync.threadlocal, "main_event_loop_pid", None) != os.getpid()):
        return None
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return loop
    return None


def _start_send(layer, group: str, event: dict) -> None:
    task = asyncio.get_running_loop().create_task(layer.group_send(group, event))
    _in_flight.add(task)
    task.add_done_callback(_sent)


def _sent(task: asyncio.Task) -> None:
    _in_flight.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logger.error("group_send failed", exc_info=task.exception())


def _send_group(group: str, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    loop = _serving_loop()
    if loop is not None:
        # Hand the send to the event loop and free the thread at once: waiting for a
        # busy loop held a database thread per message and per join (the send itself
        # is at most once either way). Sends start in the order they are handed over.
        loop.call_soon_threadsafe(_start_send, layer, group, event)
        return
    async_to_sync(layer.group_send)(group, event)


def _send(room_id: int, event: dict) -> None:
    _send_group(room_group(room_id), event)


def broadcast_to_room(*, room_id: int, payload: dict) -> None:
    """Send ``payload`` (a protocol server event) to the room once the transaction commits."""
    transaction.on_commit(lambda: _send(room_id, {"type": "room.broadcast", "payload": payload}))


def send_to_member(*, room_id: int, user_id: int, payload: dict) -> None:
    """Send ``payload`` to the user's own sockets in the room, in every process, once the
    transaction commits: nobody else in the room hears it."""
    event = {"type": "member.event", "room_id": room_id, "payload": payload}
    transaction.on_commit(lambda: _send_group(user_group(user_id), event))


def close_room_sockets(*, room_id: int, code: int = CLOSE_ROOM_CLOSED) -> None:
    transaction.on_commit(lambda: _send(room_id, {"type": "room.close", "code": code}))


def close_user_sockets(*, user_id: int, code: int = CLOSE_NOT_LOGGED_IN) -> None:
    """Close every open socket of the user, in every process, once the transaction
    commits (at once outside one)."""
    transaction.on_commit(
        lambda: _send_group(user_group(user_id), {"type": "user.logout", "code": code})
    )
