"""How the WebSocket consumers reach the ORM: ``db(func)``, a leaner
``database_sync_to_async``."""

import time

from asgiref.sync import SyncToAsync
from django.db import close_old_connections, connection, connections

# A connection that answered a query this recently skips Django's health-check ping
# (CONN_HEALTH_CHECKS would otherwise add a ``SELECT 1`` round trip to every call).
HEALTH_CHECK_SECONDS = 5.0


class _DatabaseCall(SyncToAsync):
    """Channels' ``database_sync_to_async`` (connections cleaned before and after each
    call), except that a connection which completed a call less than
    ``HEALTH_CHECK_SECONDS`` ago is not pinged again before the next one.

    Django resets its health check at every ``close_old_connections()``, so each call
    would start with a ``SELECT 1`` round trip. A connection that fails anyway raises
    (the caller's frame gets an error, a client retries by client_id), is marked by
    Django as errored, and is checked or replaced by the next cleanup.
    """

    def thread_handler(self, loop, *args, **kwargs):
        close_old_connections()
        now = time.monotonic()
        for conn in connections.all(initialized_only=True):
            if (conn.connection is not None and not conn.errors_occurred
                    and now - getattr(conn, "_jumelage_ok_at", -1e9) < HEALTH_CHECK_SECONDS):
                conn.health_check_done = True
        try:
            return super().thread_handler(loop, *args, **kwargs)
        finally:
            now = time.monotonic()
            for conn in connections.all(initialized_only=True):
                if conn.connection is not None and not conn.errors_occurred:
                    conn._jumelage_ok_at = now
            close_old_connections()


def db(func):
    """``database_sync_to_async`` (see :class:`_DatabaseCall`), in a thread pool on
    PostgreSQL.

    Every write waits for its commit to reach the disk; on Channels' single database
    thread the sends, joins and heartbeats of a thousand sockets would queue behind
    each other. Each call is self-contained (its own transaction), so any thread will
    do. SQLite has one writer anyway and keeps the single thread.
    """
    parallel = connection.vendor == "postgresql"
    return _DatabaseCall(func, thread_sensitive=not parallel)
