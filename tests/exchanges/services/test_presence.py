import datetime

import pytest
from django.utils import timezone

from exchanges.models import Presence
from exchanges.selectors.presence import PRESENCE_TTL, presence_online
from exchanges.services import presence

pytestmark = pytest.mark.django_db


def test_presence_join_heartbeat_leave_and_stale_rows_expire(room_ab):
    room, user_a, user_b = room_ab
    presence.presence_join(room=room, user=user_a, channel_name="proc1.a")
    online = presence.presence_join(room=room, user=user_b, channel_name="proc2.b")
    assert {p["id"] for p in online} == {user_a.pk, user_b.pk}
    # Process 2 dies: its row stops being refreshed and goes stale.
    Presence.objects.filter(channel_name="proc2.b").update(
        seen_at=timezone.now() - PRESENCE_TTL - datetime.timedelta(seconds=1)
    )
    assert [p["id"] for p in presence_online(room=room)] == [user_a.pk]
    presence.presence_heartbeat_many([(room, user_a, "proc1.a")])
    assert not Presence.objects.filter(channel_name="proc2.b").exists()  # purged
    presence.presence_leave(room=room, channel_name="proc1.a")
    assert presence_online(room=room) == []


def test_heartbeat_recreates_a_purged_row(room_ab):
    room, user_a, _ = room_ab
    presence.presence_heartbeat_many([(room, user_a, "lost")])
    assert [p["id"] for p in presence_online(room=room)] == [user_a.pk]


def test_one_beat_refreshes_every_socket_of_a_process_and_recreates_purged_rows(room_ab):
    """More sockets than one statement's chunk on SQLite (500); on PostgreSQL one UPDATE
    with an array parameter."""
    room, user_a, user_b = room_ab
    old = timezone.now() - PRESENCE_TTL / 2
    kept = [f"proc1.kept{i}" for i in range(700)]
    purged = [f"proc1.purged{i}" for i in range(600)]
    Presence.objects.bulk_create(
        Presence(room=room, user=user_a, channel_name=name, seen_at=old) for name in kept
    )
    Presence.objects.create(
        room=room,
        user=user_b,
        channel_name="proc2.dead",
        seen_at=timezone.now() - PRESENCE_TTL - datetime.timedelta(1),
    )
    before = timezone.now()
    presence.presence_heartbeat_many([(room, user_a, name) for name in kept + purged])
    rows = dict(Presence.objects.values_list("channel_name", "seen_at"))
    assert set(rows) == set(kept) | set(purged)  # the dead process's row is gone
    assert all(seen_at >= before for seen_at in rows.values())
