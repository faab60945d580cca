"""What a reconnect's correction replay reads: one query, and of the corrected message only
the columns its event uses (a message may be 2 000 characters; its text is not sent again
with its corrections)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exchanges.models import Correction, Message
from exchanges.realtime import room_steps

pytestmark = pytest.mark.django_db


def _selected_columns(sql: str) -> str:
    return sql.split(" FROM ", 1)[0]


def test_the_correction_replay_reads_neither_the_messages_text_nor_the_authors_password(room_ab):
    room, user_a, user_b = room_ab
    long = Message.objects.create(room=room, author=user_b, body="I goed " * 280,
                                  client_id="x", lang="en")
    other = Message.objects.create(room=room, author=user_a, body="Ich habe gegangen",
                                   client_id="y", lang="de")
    first = Correction.objects.create(message=long, author=user_a, corrected="I went")
    second = Correction.objects.create(message=other, author=user_b, corrected="Ich bin gegangen")
    with CaptureQueriesContext(connection) as queries:
        events = room_steps.replay_corrections(room, 0, other.pk)
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]
    columns = _selected_columns(queries.captured_queries[0]["sql"])
    assert '"exchanges_message"."body"' not in columns
    assert '"exchanges_user"."password"' not in columns
    assert [(e["id"], e["message_id"], e["author"], e["corrected"], e["lang"])
            for e in events] == [
        (first.pk, long.pk, {"id": user_a.pk, "name": user_a.public_name}, "I went", "en"),
        (second.pk, other.pk, {"id": user_b.pk, "name": user_b.public_name},
         "Ich bin gegangen", "de"),
    ]
    assert [e["created_at"] for e in events] == [first.created_at.isoformat(),
                                                  second.created_at.isoformat()]
