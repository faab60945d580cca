"""A room's message frames to its sockets: one pub/sub subscription per room and process.

The hot path of a room (a new message) skips the channel layer. The frame is encoded
once, published once on the room's Redis channel, and each process that holds sockets
of the room hands the same text to each of them (:class:`Sink`): no per-socket channel,
message decoding or JSON encoding. Without Redis (the embedded default, one process)
the frame goes straight to the local sockets. Delivery is at most once, as through the
channel layer; a socket that reconnects with ``?after=<id>`` replays from the database.

The other room events (presence, corrections, close, logout) still travel through the
channel layer groups (exchanges.realtime.broadcast).
"""

import asyncio
import contextlib
import logging
from typing import Protocol

from django.conf import settings

from exchanges.pure.per_loop import PerLoop

logger = logging.getLogger(__name__)


class Sink(Protocol):
    def push_text(self, text: str) -> None:
        """Queue ``text`` for the socket without waiting (see the consumer's outbox)."""


def _channel_prefix() -> str:
    # Redis pub/sub channels ignore the database number: name the database too, so
    # that servers of other databases (tests, other checkouts) on the same Redis never
    # hear each other's rooms.
    name = settings.DATABASES["default"].get("NAME", "")
    return f"jumelage:{settings.REDIS_URL}:{name}:room."


class _Fanout:
    """The rooms' subscriptions of one event loop (one server process)."""

    def __init__(self, redis_url: str | None):
        self.rooms: dict[int, set] = {}
        self.subscribing: dict[int, asyncio.Future] = {}  # rooms whose SUBSCRIBE is in flight
        self.redis_url = redis_url
        self.prefix = _channel_prefix() if redis_url else ""
        self.publisher = None
        self.pubsub = None
        self.reader: asyncio.Task | None = None
        # redis-py's PubSub opens its connection in the first command: two joins at once
        # would open two, and one room's subscription would sit on the orphan.
        self.lock = asyncio.Lock()

    # --- Sockets of this process ----------------------------------------------------

    async def join(self, room_id: int, sink: Sink) -> None:
        """Add ``sink`` to the room; once this returns, every later PUBLISH reaches it."""
        sinks = self.rooms.get(room_id)
        if sinks is None:
            sinks = self.rooms[room_id] = set()
            if self.redis_url:
                self.subscribing[room_id] = asyncio.ensure_future(self._subscribe(room_id))
        sinks.add(sink)
        pending = self.subscribing.get(room_id)
        if pending is not None:
            # Every socket joining while the room's SUBSCRIBE is in flight waits for it,
            # not only the first: a message committed in that instant would be missed.
            # Shielded: one socket giving up does not cancel the others' subscription.
            await asyncio.shield(pending)

    async def _subscribe(self, room_id: int) -> None:
        try:
            async with self.lock:
                if room_id in self.rooms:  # nobody left meanwhile
                    await self._pubsub().subscribe(self.prefix + str(room_id))
            self._ensure_reader()
        finally:
            if self.subscribing.get(room_id) is asyncio.current_task():
                del self.subscribing[room_id]

    async def leave(self, room_id: int, sink: Sink) -> None:
        sinks = self.rooms.get(room_id)
        if sinks is None:
            return
        sinks.discard(sink)
        if not sinks:
            del self.rooms[room_id]
            if self.redis_url and self.pubsub is not None:
                with contextlib.suppress(Exception):  # the reader reconnects on failure
                    async with self.lock:
                        if room_id not in self.rooms:  # nobody came back meanwhile
                            await self.pubsub.unsubscribe(self.prefix + str(room_id))

    def deliver(self, room_id: int, text: str) -> None:
        for sink in tuple(self.rooms.get(room_id, ())):
            sink.push_text(text)

    # --- Between processes ----------------------------------------------------------

    async def publish(self, frames: list[tuple[int, str]]) -> None:
        """Send each ``(room_id, text)`` to the room's sockets in every process, in order
        (one pipelined round trip)."""
        if not frames:
            return
        if not self.redis_url:
            for room_id, text in frames:
                self.deliver(room_id, text)
            return
        if self.publisher is None:
            import redis.asyncio as aioredis

            self.publisher = aioredis.Redis.from_url(self.redis_url)
        async with self.publisher.pipeline(transaction=False) as pipe:
            for room_id, text in frames:
                pipe.publish(self.prefix + str(room_id), text)
            await pipe.execute()

    def _pubsub(self):
        if self.pubsub is None:
            import redis.asyncio as aioredis

            client = aioredis.Redis.from_url(self.redis_url)
            self.pubsub = client.pubsub(ignore_subscribe_messages=True)
        return self.pubsub

    def _ensure_reader(self) -> None:
        if self.reader is None or self.reader.done():
            self.reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        try:
            await self._read_loop()
        finally:  # the loop is shutting down
            with contextlib.suppress(Exception):
                await self.pubsub.aclose()
            with contextlib.suppress(Exception):
                if self.publisher is not None:
                    await self.publisher.aclose()

    async def _read_loop(self) -> None:
        skip = len(self.prefix)
        while True:
            try:
                if self.pubsub is None:  # no room left to resubscribe
                    await asyncio.sleep(0.5)
                    continue
                message = await self.pubsub.get_message(timeout=None)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("room fan-out: the Redis subscription failed; resubscribing")
                await asyncio.sleep(1)
                await self._resubscribe()
                continue
            if message is None or message.get("type") != "message":
                continue
            channel = message["channel"]
            try:
                room_id = int(channel[skip:])
            except ValueError:
                continue
            data = message["data"]
            self.deliver(room_id, data.decode() if isinstance(data, bytes) else data)

    async def _resubscribe(self) -> None:
        async with self.lock:
            with contextlib.suppress(Exception):
                await self.pubsub.aclose()
            self.pubsub = None
            rooms = [self.prefix + str(r) for r in self.rooms]
            if rooms:
                with contextlib.suppress(Exception):
                    await self._pubsub().subscribe(*rooms)


_fanouts = PerLoop(lambda: _Fanout(getattr(settings, "REDIS_URL", None) or None))


def fanout() -> _Fanout:
    """The fan-out of the running event loop (Redis clients are bound to their loop)."""
    return _fanouts.get()
