"""The presence heartbeat of one server process, batched for all its sockets."""

import asyncio
import contextlib
import logging
import random

from exchanges.pure.per_loop import PerLoop
from exchanges.realtime.db import db
from exchanges.services import presence

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 20


class _PresenceBeat:
    """The presence heartbeat of every socket of one event loop (one server process):
    one batch of statements every ~``HEARTBEAT_SECONDS`` instead of a commit per
    socket (1 000 sockets would be 50 commits a second).

    Rows stay per socket in the database, so presence is the same from every process,
    and the rows of a process that dies go stale and are purged by the others.
    """

    def __init__(self):
        self.sockets: dict[str, tuple] = {}  # channel_name -> (room, user)
        self.task: asyncio.Task | None = None
        self.inflight: asyncio.Future | None = None

    def add(self, room, user, channel_name: str) -> None:
        self.sockets[channel_name] = (room, user)
        if self.task is None:
            self.task = asyncio.create_task(self._run())

    async def remove(self, channel_name: str) -> None:
        """Forget a socket; returns once no beat that may still see it is running, so
        that the caller's delete of its row comes after any re-creation by a beat."""
        self.sockets.pop(channel_name, None)
        if self.inflight is not None and not self.inflight.done():
            await asyncio.wait([self.inflight])
        if not self.sockets and self.task is not None:
            task, self.task = self.task, None
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS * random.uniform(0.8, 1.0))
            sockets = [(room, user, name) for name, (room, user) in self.sockets.items()]
            if not sockets:
                continue
            self.inflight = asyncio.ensure_future(db(presence.presence_heartbeat_many)(sockets))
            try:
                await asyncio.shield(self.inflight)
            except asyncio.CancelledError:
                raise
            except Exception:  # a failed beat is retried by the next one
                logger.exception("presence heartbeat failed for %d sockets", len(sockets))


_beats = PerLoop(_PresenceBeat)


def presence_beat() -> _PresenceBeat:
    return _beats.get()
