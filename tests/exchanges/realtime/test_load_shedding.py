"""Load shedding against a real uvicorn process on PostgreSQL and Redis: past the
process's bound of frames in flight, a frame is refused with ``server_busy``, the socket
stays open, nothing of the refused frame is saved, and what was acknowledged is kept.

The frame in flight is held by the database: the test locks the messages table, so the
batched INSERT of the first message waits (pg_locks shows it waiting) while the second
socket sends.
"""

import json
import time

import pytest
from django.db import connection, transaction

from exchanges.models import Message
from tests.exchanges.chat_servers import Server, login, next_of_type, room_socket
from tests.processes import PROCESS_TEST_MARKS, wait_for_a_blocked_insert

pytestmark = [*PROCESS_TEST_MARKS, pytest.mark.timeout(120)]


def test_past_the_bound_a_frame_gets_server_busy_and_nothing_acknowledged_is_lost(
    server_env,
    members,
):
    room, user_a, user_b = members
    server = Server({**server_env, "JUMELAGE_WS_FRAMES_IN_FLIGHT": "1"})
    try:
        server.start()
        cookie_a, cookie_b = login(server, user_a.email), login(server, user_b.email)
        with (
            room_socket(server, room.pk, cookie_a) as ws_a,
            room_socket(server, room.pk, cookie_b) as ws_b,
        ):
            table = Message._meta.db_table
            with transaction.atomic():
                connection.cursor().execute(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')
                ws_a.send(json.dumps({"type": "message.send", "body": "first", "client_id": "a-1"}))
                wait_for_a_blocked_insert(table)
                # One frame in flight, the bound is one: the next is refused unhandled.
                ws_b.send(
                    json.dumps({"type": "message.send", "body": "second", "client_id": "b-1"})
                )
                busy = next_of_type(ws_b, "error")
                assert busy["code"] == "server_busy"
                assert busy["client_id"] == "b-1"
                assert busy["detail"]
            # The lock is gone: the first message is saved, then acknowledged to both.
            ack = next_of_type(ws_a, "message")
            assert ack["client_id"] == "a-1" and ack["body"] == "first"
            assert next_of_type(ws_b, "message")["client_id"] == "a-1"
            # The refused socket is still open; its retry with the same client_id goes in.
            retried = _send_until_accepted(ws_b, body="second", client_id="b-1")
            assert retried["client_id"] == "b-1" and retried["body"] == "second"
            assert next_of_type(ws_a, "message")["id"] == retried["id"]
        saved = list(
            Message.objects.filter(room=room).order_by("id").values_list("client_id", "body")
        )
        assert saved == [("a-1", "first"), ("b-1", "second")]
        assert "Traceback" not in server.output(), server.output()
    finally:
        server.stop()


def _send_until_accepted(ws, *, body: str, client_id: str, attempts: int = 20) -> dict:
    """Send as the room page does: a ``server_busy`` refusal is sent again. The first
    frame's ack reaches the room a moment before its slot is counted out, so a retry sent
    on that ack can still meet the bound of one."""
    frame = json.dumps({"type": "message.send", "body": body, "client_id": client_id})
    for _ in range(attempts):
        ws.send(frame)
        while True:
            event = json.loads(ws.recv(timeout=10))
            if event["type"] == "message" and event["client_id"] == client_id:
                return event
            if event["type"] == "error":
                assert event["code"] == "server_busy", event
                break
        time.sleep(0.05)
    raise AssertionError(f"{client_id} refused {attempts} times")
