"""A few autocommit asyncio psycopg connections per event loop (PostgreSQL only).

The chat send runs its single checked INSERT here, on the consumer's own event loop,
instead of hopping to a database thread. Connections open on first use.
"""

import asyncio
import weakref

from django.db import connections

ASYNC_CONNECTIONS = 8


class _AsyncConnections:
    def __init__(self, params: dict, size: int):
        self.params = params
        self.free: asyncio.Queue = asyncio.Queue()
        for _ in range(size):
            self.free.put_nowait(None)  # a slot: a connection is opened when needed
        self.size = size

    async def execute_one(self, sql: str, params: list):
        import psycopg

        conn = await self.free.get()
        try:
            if conn is None or conn.closed:
                conn = await psycopg.AsyncConnection.connect(autocommit=True, **self.params)
            cursor = await conn.execute(sql, params)
            return await cursor.fetchone()
        except BaseException:
            # A broken or interrupted connection is not reused: the statement may or
            # may not have committed (a retry by client_id finds out).
            if conn is not None:
                await conn.close()
            conn = None
            raise
        finally:
            self.free.put_nowait(conn)

    async def close(self) -> None:
        for _ in range(self.size):
            conn = await self.free.get()
            if conn is not None:
                await conn.close()


_async_connections: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _AsyncConnections]" = (
    weakref.WeakKeyDictionary()
)


def _for_running_loop() -> _AsyncConnections:
    loop = asyncio.get_running_loop()
    pool = _async_connections.get(loop)
    if pool is None:
        params = connections["default"].get_connection_params()
        for key in ("cursor_factory", "context"):  # Django's sync cursor and adapters
            params.pop(key, None)
        pool = _async_connections[loop] = _AsyncConnections(params, ASYNC_CONNECTIONS)
    return pool


async def execute_one(sql: str, params: list):
    """Run one statement in autocommit on this event loop's connections; its first row."""
    return await _for_running_loop().execute_one(sql, params)


async def aclose_async_connections() -> None:
    """Close this event loop's connections (tests, shutdown)."""
    pool = _async_connections.pop(asyncio.get_running_loop(), None)
    if pool is not None:
        await pool.close()
