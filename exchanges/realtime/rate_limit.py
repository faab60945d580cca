"""Per-frame-type rate limits of the room WebSocket, shared by every server process.

A fixed-window counter per (user, room, frame type) in Django's cache: Redis in
production, so that a client opening sockets on several processes still has one
budget; the in-process locmem cache in the embedded default, which is one process.
``message.send`` also keeps its own limit in the database (services/chat.py); this one
is the outer bound that makes a flood cost the sender, not the server.
"""

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache

from exchanges.pure.per_loop import PerLoop

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @property
    def detail(self) -> str:
        return f"at most {self.count} in {self.seconds} seconds"


# A person chatting stays far below these: the page sends typing at most every 2 s and
# asks for one history page per scroll; the database limit of message.send (10 in 10 s)
# is the one a fast typist meets first.
FRAME_LIMITS: dict[str, Limit] = {
    "message.send": Limit(20, 10),
    "history": Limit(10, 10),
    "typing": Limit(10, 10),
    "correction.send": Limit(5, 10),
    "message.report": Limit(5, 60),
    # Frames that fail to parse or name no known type still cost an answer each.
    "invalid": Limit(20, 10),
}


def _hit_sync(key: str, timeout: int) -> int:
    """Count one frame in the window of ``key``; returns the count so far."""
    try:
        return cache.incr(key)
    except ValueError:  # the first frame of the window (or the key just expired)
        if cache.add(key, 1, timeout=timeout):
            return 1
        try:
            return cache.incr(key)
        except ValueError:
            return 1


# Off the event loop and off Channels' single database thread: every frame of every
# socket counts, and cache round trips must not queue behind each other.
_hit_in_thread = sync_to_async(_hit_sync, thread_sensitive=False)

# On Redis, one round trip from the event loop instead: a thread per frame competed with
# the database calls for the same few threads. A counter (and its Redis client) per event
# loop, since a pool belongs to the loop that opened it: _paths below.
class _Counter:
    """The frames' counts of one event loop, in batches: every key that arrives while a
    round trip is under way goes in the next one (one MULTI of SET NX + INCR pairs on one
    connection). A pipeline per frame spent more of the process than the frame itself."""

    MAX_BATCH = 1000

    def __init__(self, url: str):
        import redis.asyncio

        self.client = redis.asyncio.Redis.from_url(url)
        self.queue: list[tuple[str, int, asyncio.Future]] = []
        self.wake = asyncio.Event()
        self.task: asyncio.Task | None = None

    def hit(self, key: str, timeout: int) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.queue.append((key, timeout, future))
        self.wake.set()
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run())
        return future

    async def _run(self) -> None:
        try:
            while True:
                await self.wake.wait()
                self.wake.clear()
                while self.queue:
                    batch = self.queue[: self.MAX_BATCH]
                    del self.queue[: self.MAX_BATCH]
                    await self._count(batch)
        finally:  # the loop is shutting down
            await self.client.aclose()

    async def _count(self, batch) -> None:
        try:
            async with self.client.pipeline(transaction=True) as pipe:
                for key, timeout, _future in batch:
                    pipe.set(key, 0, ex=timeout, nx=True)
                    pipe.incr(key)
                replies = await pipe.execute()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the callers fail open, each with its warning
            for _key, _timeout, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for index, (_key, _timeout, future) in enumerate(batch):
            if not future.done():
                future.set_result(int(replies[2 * index + 1]))


def _redis_path() -> tuple[_Counter, Callable[[str], str]] | None:
    """The Redis counter and the cache's key function, or None when the cache is not one
    Redis server."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache) and len(backend._servers) == 1:
        return _Counter(backend._servers[0]), backend.make_key
    return None


# Per event loop, looked up once: ``caches[...]`` goes through asgiref's context-local
# storage, a cost on every frame.
_paths = PerLoop(_redis_path)


async def _hit(key: str, timeout: int) -> int:
    path = _paths.get()
    if path is None:
        return await _hit_in_thread(key, timeout)
    # The key as Django's cache names it (prefix, version; the keys here are short
    # ASCII, so the memcached-safety check is skipped); SET NX starts the window with
    # its expiry, INCR counts (an integer, as cache.incr stores it).
    counter, make_key = path
    return await counter.hit(make_key(key), timeout)


async def frame_allowed(*, user_id: int, room_id: int, frame_type: str) -> Limit | None:
    """None when the frame may go on, else the :class:`Limit` it exceeds."""
    limit = FRAME_LIMITS.get(frame_type) or FRAME_LIMITS["invalid"]
    window = int(time.time() // limit.seconds)
    bucket = frame_type if frame_type in FRAME_LIMITS else "invalid"
    key = f"ws-rate:{bucket}:{room_id}:{user_id}:{window}"
    try:
        count = await _hit(key, limit.seconds + 1)
    except Exception:
        # The cache is down (Redis gone): the frame goes on rather than the socket
        # failing; message.send still has its limit in the database.
        logger.warning("rate limit cache unavailable; %s frame not counted", bucket, exc_info=True)
        return None
    return limit if count > limit.count else None
