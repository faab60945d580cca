"""Presence writes: a socket joins, beats and leaves (reads: selectors/presence.py).

Presence rows live in the database so that every process sees them, and a process
that dies leaves rows that expire once their heartbeat goes stale.
"""

from django.db import connection, transaction
from django.utils import timezone

from exchanges.models import Presence, Room
from exchanges.realtime.broadcast import broadcast_to_room
from exchanges.realtime.protocol import presence_event
from exchanges.selectors.presence import PRESENCE_TTL, presence_online


def _presence_broadcast(room: Room) -> None:
    broadcast_to_room(room_id=room.pk, payload=presence_event(presence_online(room=room)))


def presence_join(*, room: Room, user, channel_name: str) -> list[dict]:
    """Record one open socket; returns who is online and tells the room.

    Two statements, as a restart reconnects thousands of sockets at once: the row is one
    INSERT (a socket's channel name is new, and the beat that could re-create its row
    starts after the join), and the online list is read once for the answer and the
    broadcast. Stale rows of dead processes are the beat's to purge: the list reads fresh
    rows only."""
    Presence.objects.create(room=room, user=user, channel_name=channel_name,
                            seen_at=timezone.now())
    online = presence_online(room=room)
    broadcast_to_room(room_id=room.pk, payload=presence_event(online))
    return online


def _touch(names: list[str], now) -> set[str]:
    """Refresh the rows of ``names``; the names that had a row."""
    if connection.vendor == "postgresql":
        # One array parameter: the ORM's IN list of 1 500 parameters took its thread
        # (holding the GIL) long enough to stall the process's sockets at every beat.
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Presence._meta.db_table} SET seen_at = %s "  # noqa: S608 - our table
                "WHERE channel_name = ANY(%s) RETURNING channel_name",
                [now, names],
            )
            return {name for (name,) in cursor.fetchall()}
    if Presence.objects.filter(channel_name__in=names).update(seen_at=now) == len(names):
        return set(names)
    return set(
        Presence.objects.filter(channel_name__in=names).values_list("channel_name", flat=True)
    )


def presence_heartbeat_many(sockets) -> None:
    """The heartbeat of every socket of a process at once: ``sockets`` is a list of
    ``(room, user, channel_name)``.

    A few statements whatever the number of sockets (one UPDATE on PostgreSQL, one per
    500 on SQLite), each committing alone: refresh the rows, re-create any purged while
    this process was stalled, drop stale rows of any process (a dead process stops
    refreshing its rows), and tell the rooms whose presence changed.
    """
    now = timezone.now()
    changed: dict[int, Room] = {}
    if connection.vendor == "postgresql":
        chunks = [sockets]
    else:  # SQLite's bound on a statement's parameters
        chunks = [sockets[start : start + 500] for start in range(0, len(sockets), 500)]
    for chunk in chunks:
        names = [channel_name for _, _, channel_name in chunk]
        present = _touch(names, now)
        if len(present) < len(chunk):
            missing = [
                Presence(room=room, user=user, channel_name=channel_name, seen_at=now)
                for room, user, channel_name in chunk
                if channel_name not in present
            ]
            Presence.objects.bulk_create(missing, ignore_conflicts=True)
            changed.update((p.room.pk, p.room) for p in missing)
    stale = Presence.objects.filter(seen_at__lt=now - PRESENCE_TTL)
    stale_rooms = set(stale.values_list("room_id", flat=True).distinct())
    if stale_rooms and stale.delete()[0]:
        for room in Room.objects.filter(pk__in=stale_rooms - changed.keys()):
            changed[room.pk] = room
    for room in changed.values():
        _presence_broadcast(room)


@transaction.atomic(savepoint=False)  # inside room_sockets' transaction: no savepoint
def presence_leave(*, room: Room, channel_name: str) -> None:
    Presence.objects.filter(channel_name=channel_name).delete()
    _presence_broadcast(room)
