"""Two real ASGI server processes on PostgreSQL and Redis: chat crosses processes, an
acknowledged message survives the server being killed, a logout on one process closes
the user's socket on the other, and the Origin check holds on a real port.

The servers and clients are tests/exchanges/chat_servers.py; the fixtures (server_env,
members) are in tests/exchanges/conftest.py.
"""

import json
import time

import pytest
from django.conf import settings
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect as ws_connect

from exchanges.models import Message
from tests.exchanges.chat_servers import Server, login, logout, next_of_type, room_socket
from tests.processes import PROCESS_TEST_MARKS

pytestmark = [*PROCESS_TEST_MARKS, pytest.mark.timeout(180)]


def test_message_crosses_between_two_server_processes(server_env, members):
    room, user_a, user_b = members
    one, two = Server(server_env), Server(server_env)
    try:
        one.start()
        two.start()
        cookie_a, cookie_b = login(one, user_a.email), login(two, user_b.email)
        with (
            room_socket(one, room.pk, cookie_a) as ws_a,
            room_socket(two, room.pk, cookie_b) as ws_b,
        ):
            ws_a.send(json.dumps({"type": "message.send", "body": "über Prozesse",
                                  "client_id": "x-1"}))
            ack = next_of_type(ws_a, "message")
            received = next_of_type(ws_b, "message")
            assert received["id"] == ack["id"] and received["body"] == "über Prozesse"
            assert received["author"]["id"] == user_a.pk
            # And back the other way, from process two to process one.
            ws_b.send(json.dumps({"type": "message.send", "body": "zurück", "client_id": "y"}))
            assert next_of_type(ws_a, "message")["body"] == "zurück"
    finally:
        one.stop()
        two.stop()


def test_acknowledged_message_survives_server_kill_and_is_replayed(server_env, members):
    room, user_a, user_b = members
    server = Server(server_env)
    try:
        server.start()
        cookie_a, cookie_b = login(server, user_a.email), login(server, user_b.email)
        with room_socket(server, room.pk, cookie_b) as ws_b:
            ws_b.send(json.dumps({"type": "message.send", "body": "before", "client_id": "b1"}))
            earlier = next_of_type(ws_b, "message")["id"]
        with room_socket(server, room.pk, cookie_a) as ws_a:
            ws_a.send(json.dumps({"type": "message.send", "body": "keep me", "client_id": "k1"}))
            ack = next_of_type(ws_a, "message")
            server.kill()  # SIGKILL right after the acknowledgement
            # Frames the server sent before it died may still be read; then it closes.
            with pytest.raises(ConnectionClosed):
                for _ in range(50):
                    ws_a.recv(timeout=10)
        assert Message.objects.get(pk=ack["id"]).body == "keep me"

        server = Server(server_env, port=server.port).start()
        with room_socket(server, room.pk, cookie_b, query=f"?after={earlier}") as ws_b:
            replayed = next_of_type(ws_b, "message")
            assert replayed["id"] == ack["id"] and replayed["body"] == "keep me"
    finally:
        server.stop()


def test_logout_on_one_process_closes_the_socket_on_the_other_4401(server_env, members):
    room, user_a, user_b = members
    one, two = Server(server_env), Server(server_env)
    try:
        one.start()
        two.start()
        cookie_a, cookie_b = login(one, user_a.email), login(two, user_b.email)
        with (
            room_socket(two, room.pk, cookie_a) as ws_a,
            room_socket(two, room.pk, cookie_b) as ws_b,
        ):
            logout(one, cookie_a)
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    ws_a.recv(timeout=10)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
            # The partner's socket on the same process is still open and answered.
            ws_b.send(json.dumps({"type": "history", "before": None, "limit": 1}))
            assert next_of_type(ws_b, "history")["type"] == "history"
        # The logged-out session cannot open a socket again.
        with pytest.raises(ConnectionClosed) as refused, room_socket(two, room.pk, cookie_a):
            pass
        assert refused.value.rcvd.code == 4401
    finally:
        one.stop()
        two.stop()


def test_a_page_of_another_port_cannot_open_a_socket(server_env, members):
    """The Origin check compares the port: a page served on another port of the same
    host (another app on the machine) is refused at the handshake."""
    room, user_a, _ = members
    server = Server(server_env)
    try:
        server.start()
        cookie_a = login(server, user_a.email)
        with pytest.raises(InvalidStatus) as refused:
            ws_connect(
                f"{server.ws_base}/ws/rooms/{room.pk}/",
                additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie_a}"},
                origin=f"http://127.0.0.1:{server.port + 1}", open_timeout=10,
            )
        assert refused.value.response.status_code == 403
    finally:
        server.stop()


def test_frame_rate_limit_is_shared_by_the_users_sockets_on_two_processes(server_env, members):
    """The history limit (10 in 10 s) counts in Redis: five frames on each process, then
    the eleventh, on either, is refused and the socket stays open."""
    room, user_a, _ = members
    one, two = Server(server_env), Server(server_env)
    history = json.dumps({"type": "history", "before": None, "limit": 1})
    try:
        one.start()
        two.start()
        cookie = login(one, user_a.email)
        with (
            room_socket(one, room.pk, cookie) as ws_one,
            room_socket(two, room.pk, cookie) as ws_two,
        ):
            # Start early in a fixed 10 s window, so that all eleven frames fall in it.
            while time.time() % 10 > 4:
                time.sleep(0.2)
            for ws in (ws_one, ws_two) * 5:
                ws.send(history)
                assert next_of_type(ws, "history")["type"] == "history"
            ws_two.send(history)
            error = next_of_type(ws_two, "error")
            assert error["code"] == "rate_limited" and error["detail"].startswith("history")
            # The refused socket is still open: another frame type has its own budget.
            ws_two.send(json.dumps({"type": "typing"}))
            ws_two.send(json.dumps({"type": "no.such.type"}))
            assert next_of_type(ws_two, "error")["code"] == "unknown_type"
    finally:
        one.stop()
        two.stop()
