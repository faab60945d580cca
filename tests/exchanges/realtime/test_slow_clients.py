"""Slow and silent clients against a real uvicorn process on PostgreSQL and Redis.

A client that stops reading must not make the server hold its frames without bound:
the socket's queue is bounded and the socket is closed with 4408 (the page reconnects
and replays). And a socket the server has already closed (its keepalive ping went
unanswered) while frames were still queued for it drops them: nothing raises in the
application. The silent client is a raw TCP socket driven by the ``websockets``
sans-I/O client protocol: it answers no ping and reads nothing until told to.
"""

import datetime
import json
import socket
import time

import pytest
from django.conf import settings
from django.utils import timezone
from websockets.client import ClientProtocol
from websockets.frames import Close, Opcode
from websockets.uri import parse_uri

from exchanges.models import Message
from tests.exchanges.chat_servers import Server, login, next_of_type, room_socket
from tests.processes import PROCESS_TEST_MARKS

pytestmark = [*PROCESS_TEST_MARKS, pytest.mark.timeout(120)]

# A page of history: 100 messages of 2 000 "é", escaped to \u00e9 in JSON, about 1.2 MB.
LONG_BODY = "é" * 2000


class SilentClient:
    """A WebSocket client on a socket with a tiny receive buffer, which reads only when
    ``read_all`` is called (so it answers no ping until then)."""

    def __init__(self, server: Server, room_id: int, cookie: str):
        self.protocol = ClientProtocol(parse_uri(f"{server.ws_base}/ws/rooms/{room_id}/"),
                                       origin=server.origin, max_size=None)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.connect(("127.0.0.1", server.port))
        request = self.protocol.connect()
        request.headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
        self.protocol.send_request(request)
        self._flush()
        self.texts: list[dict] = []
        self.close: Close | None = None
        # The handshake and room.joined, then stop reading.
        while not any(t["type"] == "room.joined" for t in self.texts):
            self._read_once(timeout=10)

    def _flush(self) -> None:
        for data in self.protocol.data_to_send():
            if data:
                self.sock.sendall(data)

    def send_json(self, content: dict) -> None:
        self.protocol.send_text(json.dumps(content).encode())
        self._flush()

    def _read_once(self, timeout: float) -> bool:
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(1 << 20)
        except TimeoutError:
            return False
        if not data:
            self.protocol.receive_eof()
            return False
        self.protocol.receive_data(data)
        for event in self.protocol.events_received():
            if getattr(event, "opcode", None) == Opcode.TEXT:
                self.texts.append(json.loads(event.data))
            elif getattr(event, "opcode", None) == Opcode.CLOSE:
                self.close = Close.parse(event.data)
        return True

    def read_all(self, timeout: float = 30) -> None:
        """Read until the server closes the connection."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self._read_once(timeout=deadline - time.monotonic()):
            pass
        self.sock.close()


def _fill_room(room, author, count: int = 100) -> None:
    Message.objects.bulk_create(
        Message(room=room, author=author, body=LONG_BODY, client_id=f"seed-{i}")
        for i in range(count)
    )
    # An hour old: written now, they would hold the author at the rate limit (10 in
    # 10 s) and refuse the messages the tests send next.
    Message.objects.filter(room=room, client_id__startswith="seed-").update(
        created_at=timezone.now() - datetime.timedelta(hours=1))


def _ask_history(client: SilentClient, pages: int) -> None:
    for _ in range(pages):
        client.send_json({"type": "history", "before": None, "limit": 100})


def test_a_client_that_stops_reading_is_closed_4408_with_its_queue_bounded(
        server_env, members):
    room, user_a, user_b = members
    _fill_room(room, user_b)
    server = Server({**server_env, "JUMELAGE_WS_SEND_QUEUE_BYTES": "65536"})
    try:
        server.start()
        client = SilentClient(server, room.pk, login(server, user_a.email))
        # Twelve pages (about 14 MB) asked for and none read: the first ones fill the
        # socket's buffers, then the queue behind them passes 64 KiB.
        _ask_history(client, 12)
        time.sleep(3)
        client.read_all()
        assert client.close is not None and client.close.code == 4408, server.output()
        pages = [t for t in client.texts if t["type"] == "history"]
        assert len(pages) < 12  # the queued pages were dropped, not kept
        # The server goes on: the other member still chats.
        with room_socket(server, room.pk, login(server, user_b.email)) as ws_b:
            ws_b.send(json.dumps({"type": "message.send", "body": "still here",
                                  "client_id": "after-slow"}))
            assert next_of_type(ws_b, "message")["body"] == "still here"
        assert "Traceback" not in server.output(), server.output()
    finally:
        server.stop()


def test_frames_for_a_socket_closed_on_keepalive_timeout_are_dropped(
        server_env, members):
    room, user_a, user_b = members
    _fill_room(room, user_b)
    # A one-second keepalive and a queue large enough to never close the socket itself.
    server = Server({**server_env, "JUMELAGE_WS_SEND_QUEUE_BYTES": str(64 << 20)},
                    args=("--ws-ping-interval", "1", "--ws-ping-timeout", "1"))
    try:
        server.start()
        cookie_b = login(server, user_b.email)
        client = SilentClient(server, room.pk, login(server, user_a.email))
        _ask_history(client, 6)
        with room_socket(server, room.pk, cookie_b) as ws_b:
            # The silent socket's pong never comes: uvicorn closes it (1011) while its
            # frames wait behind full buffers; room messages keep coming for it.
            for n in range(5):
                time.sleep(0.8)
                ws_b.send(json.dumps({"type": "message.send", "body": f"m{n}",
                                      "client_id": f"b-{n}"}))
            # Reading now lets the buffers drain: the frames still queued meet a
            # socket uvicorn has closed.
            client.read_all()
            assert client.close is not None and client.close.code == 1011, client.close
            ws_b.send(json.dumps({"type": "message.send", "body": "after",
                                  "client_id": "b-after"}))
            while next_of_type(ws_b, "message")["body"] != "after":
                pass
        time.sleep(1)
        output = server.output()
        assert "Unexpected ASGI message" not in output, output
        assert "Exception in ASGI application" not in output, output
    finally:
        server.stop()
