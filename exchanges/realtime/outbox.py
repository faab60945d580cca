"""The frames a room socket has yet to write: one bounded queue and one writer task.

Every frame of a socket (its own answers, the room's messages from the fan-out, the
channel layer's events) and its close go through this queue in order, so that nothing
waits on a slow client but that client's own writer. When a client reads too slowly and
more than ``JUMELAGE_WS_SEND_QUEUE_BYTES`` of frames wait for it, the queue is dropped
and the socket is closed with ``CLOSE_TOO_SLOW`` (4408); the page reconnects with
``?after=<id>`` and replays from the database. A frame for a socket the server already
closed (a keepalive timeout, a close, a client gone) is dropped: delivery is at most once.
"""

import asyncio
import logging
from collections import deque

from channels.sessions import InstanceSessionWrapper
from django.conf import settings

from exchanges.realtime.protocol import CLOSE_TOO_SLOW

logger = logging.getLogger(__name__)

def queue_limit() -> int:
    return settings.JUMELAGE_WS_SEND_QUEUE_BYTES


class _Close:
    __slots__ = ("code",)

    def __init__(self, code):
        self.code = code


class OutboxMixin:
    """For an ASGI WebSocket consumer with ``base_send``; ``outbox_gone`` is true once
    the socket can take no more frames."""

    _outbox: deque | None = None
    _outbox_bytes = 0
    _outbox_wake: asyncio.Event | None = None
    _outbox_task: asyncio.Task | None = None
    outbox_gone = False

    def push_text(self, text: str) -> None:
        """Queue a text frame; never waits (the fan-out calls it for every socket)."""
        if self.outbox_gone:
            return
        # One frame alone may exceed the bound (a page of history): it is the frames
        # waiting behind a socket's unfinished write that count.
        if self._outbox_bytes and self._outbox_bytes + len(text) > queue_limit():
            self._too_slow()
            return
        self._outbox_bytes += len(text)
        self._outbox_push(text)

    def push_close(self, code: int | None) -> None:
        """Close the socket once the frames queued before are written."""
        if self.outbox_gone:
            return
        self._outbox_push(_Close(code))
        self.outbox_gone = True

    def _outbox_push(self, item) -> None:
        if self._outbox is None:
            self._outbox = deque()
            self._outbox_wake = asyncio.Event()
            self._outbox_task = asyncio.get_running_loop().create_task(self._outbox_write())
        self._outbox.append(item)
        self._outbox_wake.set()

    def _too_slow(self) -> None:
        logger.warning("socket %s: %d bytes waiting, closing with %d",
                    getattr(self, "channel_name", "?"), self._outbox_bytes, CLOSE_TOO_SLOW)
        if self._outbox is not None:
            self._outbox.clear()
        self._outbox_bytes = 0
        self.outbox_gone = True
        self.outbox_overflowed()
        # Not behind the writer, which may be stuck on the slow client: the server's
        # close handshake times out and drops the connection if the client never reads.
        task = asyncio.get_running_loop().create_task(self._send_close(CLOSE_TOO_SLOW))
        self._outbox_extra = task  # a strong reference until it is done

    def outbox_overflowed(self) -> None:
        """Hook: the queue overflowed and the socket is closing."""

    async def _send_close(self, code) -> None:
        message = {"type": "websocket.close"}
        if code is not None:
            message["code"] = code
        try:
            await self.base_send(message)
        except Exception:  # noqa: BLE001 - the socket is already gone
            logger.debug("close on a closed socket", exc_info=True)

    def _frame_send(self):
        """The server's own send for text frames. Channels' session middleware wraps
        ``base_send`` to save the session on an HTTP response or the accept; a text frame
        never saves one, and the wrapper's checks cost a fifth of a delivery."""
        send = self.base_send
        wrapper = getattr(send, "__self__", None)
        if isinstance(wrapper, InstanceSessionWrapper) and send == wrapper.send:
            return wrapper.real_send
        return send

    async def _outbox_write(self) -> None:
        queue, wake = self._outbox, self._outbox_wake
        send = self._frame_send()
        while True:
            while not queue:
                await wake.wait()
                wake.clear()
            item = queue.popleft()
            if isinstance(item, _Close):
                await self._send_close(item.code)
                return
            self._outbox_bytes -= len(item)
            try:
                await send({"type": "websocket.send", "text": item})
            except Exception:  # noqa: BLE001
                # The server closed the socket (uvicorn refuses a send after its close,
                # e.g. on a keepalive timeout) or the client is gone: the consumer's
                # disconnect follows; nothing more can be written.
                logger.debug("send on a closed socket dropped", exc_info=True)
                self.outbox_gone = True
                queue.clear()
                self._outbox_bytes = 0
                return

    def outbox_stop(self) -> None:
        if self._outbox_task is not None and not self._outbox_task.done():
            self._outbox_task.cancel()
