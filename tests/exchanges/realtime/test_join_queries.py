"""What a socket's join costs the database: the reads and writes between the handshake
and ``room.joined`` (the access check, then the join's steps). A server restart reconnects
every socket at once, so each query here is paid thousands of times in a burst."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exchanges.models import Presence
from exchanges.realtime import room_steps
from exchanges.selectors.rooms import room_access

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


def test_a_join_takes_few_queries(match_room):
    room, user_a, user_b, _ = match_room
    session = SessionStore()
    session["k"] = 1
    session.create()
    with CaptureQueriesContext(connection) as queries:
        access = room_access(room_id=room.pk, user=user_a)
        joined = room_steps.join(access.room, user_a, "chan-1", session)
    # The access check, the session's existence, the presence row, who is online, the
    # attendance's session lookup, the members (and the joining one's mute), the last
    # message, the hidden ones.
    assert len(queries) <= 8, [q["sql"][:80] for q in queries.captured_queries]
    assert access.error is None
    members, online, _, _, muted_until = joined
    assert {m["id"] for m in members} == {user_a.pk, user_b.pk}
    assert online == [{"id": user_a.pk, "name": user_a.public_name}]
    assert muted_until is None
    assert Presence.objects.filter(channel_name="chan-1", user=user_a).exists()
