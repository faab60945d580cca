"""The frames a room socket has yet to write: written at once, or one bounded queue and
one writer task while the socket's transport is full.

Every frame of a socket (its own answers, the room's messages from the fan-out, the
channel layer's events) and its close go out in order. While nothing waits, a frame goes
to the server's send in the caller (the server writes it to the transport without
suspending); only when that send has to wait (the transport's buffer is full) do that
frame and the later ones queue behind a writer task, so that nothing waits on a slow
client but that client's own writer. When a client reads too slowly and
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


class _Resume:
    """Await a coroutine that already ran up to its first suspension (where it yielded
    ``pending``, as an awaited future yields to its task), continuing it in the awaiting
    task: what the task would have done had the coroutine started there."""

    __slots__ = ("coro", "pending")

    def __init__(self, coro, pending):
        self.coro, self.pending = coro, pending

    def __await__(self):
        coro, pending = self.coro, self.pending
        while True:
            try:
                value = yield pending
            except BaseException as exc:  # noqa: BLE001 - cancellation goes on into coro
                try:
                    pending = coro.throw(exc)
                except StopIteration as stop:
                    return stop.value
            else:
                try:
                    pending = coro.send(value)
                except StopIteration as stop:
                    return stop.value


class OutboxMixin:
    """For an ASGI WebSocket consumer with ``base_send``; ``outbox_gone`` is true once
    the socket can take no more frames."""

    _outbox: deque | None = None
    _outbox_bytes = 0
    _outbox_task: asyncio.Task | None = None  # the writer, while frames wait
    _outbox_send = None
    outbox_gone = False

    def push_text(self, text: str) -> None:
        """Write or queue a text frame; never waits (the fan-out calls it for every
        socket)."""
        if self.outbox_gone:
            return
        if self._outbox_task is None:
            self._write_now(text)
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

    def _write_now(self, text: str) -> None:
        """Nothing waits: hand the frame to the server's send here. A writer task costs a
        wake-up and a step of the event loop per delivery; the send finishes without
        suspending unless the transport's buffer is full."""
        send = self._outbox_send
        if send is None:
            send = self._outbox_send = self._frame_send()
        coro = send({"type": "websocket.send", "text": text})
        try:
            pending = coro.send(None)
        except StopIteration:
            return  # written
        except Exception:  # noqa: BLE001
            self._send_failed()
            return
        # The send waits for the transport to drain: it goes on in the writer task, and
        # the frames after it queue behind it (and count against the bound).
        self._outbox_start(_Resume(coro, pending))

    def _outbox_push(self, item) -> None:
        if self._outbox_task is None:
            self._outbox_start(None)
        self._outbox.append(item)

    def _outbox_start(self, unfinished) -> None:
        if self._outbox is None:
            self._outbox = deque()
        loop = asyncio.get_running_loop()
        self._outbox_task = loop.create_task(self._outbox_write(unfinished))

    def _too_slow(self) -> None:
        logger.warning(
            "socket %s: %d bytes waiting, closing with %d",
            getattr(self, "channel_name", "?"),
            self._outbox_bytes,
            CLOSE_TOO_SLOW,
        )
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

    def _send_failed(self) -> None:
        # The server closed the socket (uvicorn refuses a send after its close, e.g. on
        # a keepalive timeout) or the client is gone: the consumer's disconnect follows;
        # nothing more can be written.
        logger.debug("send on a closed socket dropped", exc_info=True)
        self.outbox_gone = True
        if self._outbox is not None:
            self._outbox.clear()
        self._outbox_bytes = 0

    async def _outbox_write(self, unfinished) -> None:
        """Write what queued, then end: the next frame is written at once again."""
        queue = self._outbox
        send = self._outbox_send or self._frame_send()
        try:
            if unfinished is not None:
                await unfinished
            while queue:
                item = queue.popleft()
                if isinstance(item, _Close):
                    await self._send_close(item.code)
                    return
                self._outbox_bytes -= len(item)
                await send({"type": "websocket.send", "text": item})
        except Exception:  # noqa: BLE001
            self._send_failed()
        finally:
            if self._outbox_task is asyncio.current_task():
                self._outbox_task = None

    def outbox_stop(self) -> None:
        if self._outbox_task is not None and not self._outbox_task.done():
            self._outbox_task.cancel()
