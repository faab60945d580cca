"""Group commit of the room sockets' messages on PostgreSQL: one INSERT, one commit, for
every message that arrived while the previous batch was being written.

At hundreds of messages a second, one autocommit INSERT per message (a thread hop, the
ORM's cursor, a WAL flush each) costs more than the rest of a send. Here each process
keeps one writer task on its event loop with its own psycopg connection (autocommit).
Senders queue ``(room, author, body, client_id, lang)``; the writer takes everything queued,
at most one message per author and room (so the rate-limit count in the statement sees
the earlier ones), inserts the lot with the checks of the one-message statement, and,
once that statement has committed, publishes each new message's frame to its room in id
order, then answers each sender. A message is thus saved before anyone hears of it, and
the frame reaching its sender is the acknowledgement, as before. A message the statement
did not insert (a retry, a closed room, a non-member, a muted member, the rate limit)
gets ``None``: the caller takes the one-message path, which says why.
"""

import asyncio
import json
import logging
from collections import deque
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from exchanges.models import Message, Room, RoomMember
from exchanges.pure.per_loop import PerLoop
from exchanges.realtime.fanout import fanout
from exchanges.realtime.protocol import message_event
from exchanges.services.chat_refusals import RATE_LIMIT_COUNT, RATE_LIMIT_WINDOW

logger = logging.getLogger(__name__)

MAX_BATCH = 500

_BATCH_SQL = """
WITH v AS (
    SELECT * FROM unnest(%(rooms)s::bigint[], %(authors)s::bigint[], %(bodies)s::text[],
                         %(client_ids)s::text[], %(langs)s::text[], %(ords)s::int[])
        AS v(room_id, author_id, body, client_id, lang, ord)
)
INSERT INTO exchanges_message (room_id, author_id, body, client_id, lang, created_at)
SELECT v.room_id, v.author_id, v.body, v.client_id, v.lang, %(now)s FROM v
WHERE EXISTS (
    SELECT 1 FROM exchanges_roommember m JOIN exchanges_room r ON r.id = m.room_id
    WHERE m.room_id = v.room_id AND m.user_id = v.author_id AND r.status = %(open)s
      AND m.role = %(member)s AND (m.muted_until IS NULL OR m.muted_until <= %(now)s)
) AND (
    SELECT COUNT(*) FROM exchanges_message e
    WHERE e.author_id = v.author_id AND e.room_id = v.room_id AND e.created_at >= %(since)s
) < %(limit)s
ORDER BY v.ord
ON CONFLICT (room_id, author_id, client_id) DO NOTHING
RETURNING id, room_id, author_id, client_id
"""


@dataclass(eq=False)
class _Pending:
    room_id: int
    author: object
    body: str
    client_id: str
    lang: str
    future: asyncio.Future = field(repr=False)


class _Writer:
    def __init__(self):
        self.queue: deque[_Pending] = deque()
        self.wake = asyncio.Event()
        self.task: asyncio.Task | None = None
        self.conn = None

    def submit(self, pending: _Pending) -> None:
        self.queue.append(pending)
        self.wake.set()
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        try:
            await self._loop()
        finally:  # the loop is shutting down: give the connection back
            await self._drop_connection()

    async def _loop(self) -> None:
        while True:
            await self.wake.wait()
            self.wake.clear()
            while self.queue:
                batch = self._take()
                try:
                    await self._write(batch)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    # The senders' frames fail (server_error); a client retries by
                    # client_id, and the one-message path finds what was committed.
                    logger.exception("message batch of %d failed", len(batch))
                    await self._drop_connection()
                    for item in batch:
                        if not item.future.done():
                            item.future.set_exception(exc)

    def _take(self) -> list[_Pending]:
        batch, seen, later = [], set(), []
        while self.queue and len(batch) < MAX_BATCH:
            item = self.queue.popleft()
            key = (item.room_id, item.author.pk)
            if key in seen:
                later.append(item)  # after this batch has committed, in order
            else:
                seen.add(key)
                batch.append(item)
        self.queue.extendleft(reversed(later))
        return batch

    async def _connection(self):
        if self.conn is None or self.conn.closed:
            import psycopg

            params = connection.get_connection_params()
            params.pop("cursor_factory", None)
            params.pop("context", None)
            params.pop("prepare_threshold", None)
            self.conn = await psycopg.AsyncConnection.connect(autocommit=True, **params)
        return self.conn

    async def _drop_connection(self) -> None:
        if self.conn is not None:
            try:
                await self.conn.close()
            except Exception:
                logger.debug("closing a failed batch connection", exc_info=True)
        self.conn = None

    async def _write(self, batch: list[_Pending]) -> None:
        now = timezone.now()
        params = {
            "rooms": [p.room_id for p in batch],
            "authors": [p.author.pk for p in batch],
            "bodies": [p.body for p in batch],
            "client_ids": [p.client_id for p in batch],
            "langs": [p.lang for p in batch],
            "ords": list(range(len(batch))),
            "now": now,
            "since": now - RATE_LIMIT_WINDOW,
            "limit": RATE_LIMIT_COUNT,
            "open": Room.Status.OPEN.value,
            "member": RoomMember.Role.MEMBER.value,
        }
        conn = await self._connection()
        async with conn.cursor() as cursor:
            await cursor.execute(_BATCH_SQL, params)
            rows = await cursor.fetchall()
        # Committed (autocommit). Frames in id order, then the answers.
        inserted = {(room_id, author_id, client_id): message_id
                    for message_id, room_id, author_id, client_id in rows}
        frames, answers = [], []
        for item in batch:
            message_id = inserted.get((item.room_id, item.author.pk, item.client_id))
            answers.append((item, message_id))
            if message_id is not None:
                message = Message(id=message_id, room_id=item.room_id, author=item.author,
                                  body=item.body, client_id=item.client_id, lang=item.lang,
                                  created_at=now)
                frames.append((message_id, item.room_id,
                               json.dumps(message_event(message, corrections=[]))))
        frames.sort(key=lambda f: f[0])
        try:
            await fanout().publish([(room_id, text) for _, room_id, text in frames])
        finally:
            # Saved either way: a sender whose frame was not published still has its
            # message (it reappears on ?after= replay), so the answer is the id.
            for item, message_id in answers:
                if not item.future.done():
                    item.future.set_result(message_id)


_writers = PerLoop(_Writer)


_available: bool | None = None


def batching_available() -> bool:
    global _available  # the database of a process does not change: looked up once
    if _available is None:
        _available = connection.vendor == "postgresql"
    return _available


async def message_insert_batched(*, room_id: int, author, body: str, client_id: str,
                                 lang: str = "") -> int | None:
    """Queue a cleaned message (see :func:`chat.message_clean`) for the next batch; its
    id once committed and published, None when the batch statement did not insert it."""
    future = asyncio.get_running_loop().create_future()
    _writers.get().submit(_Pending(room_id, author, body, client_id, lang, future))
    return await future
