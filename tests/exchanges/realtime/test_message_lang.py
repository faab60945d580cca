"""The language a message is written in, over real sockets: a uvicorn process on
PostgreSQL and Redis (the batched INSERT of exchanges.services.chat_batch), ``websockets``
clients. A send's ``lang`` is stored and broadcast; one that is not among the room's
languages is refused with an error frame and nothing is stored; a send without it (an
older page) is stored with a blank one."""

import json

import pytest

from exchanges.models import Message
from exchanges.selectors.room_languages import room_languages
from tests.exchanges.chat_servers import Server, login, next_of_type, room_socket
from tests.processes import PROCESS_TEST_MARKS

pytestmark = [*PROCESS_TEST_MARKS, pytest.mark.timeout(120)]


def _send(ws, **frame) -> None:
    ws.send(json.dumps({"type": "message.send", **frame}))


def test_a_sends_lang_is_stored_and_broadcast_a_foreign_one_refused(server_env, members):
    room, user_a, user_b = members
    languages = room_languages(room=room)
    assert len(languages) == 2  # the tandem's two languages
    written_in = languages[0]
    server = Server(server_env)
    try:
        server.start()
        cookie_a, cookie_b = login(server, user_a.email), login(server, user_b.email)
        with (
            room_socket(server, room.pk, cookie_a) as ws_a,
            room_socket(server, room.pk, cookie_b) as ws_b,
        ):
            _send(ws_a, body="Guten Abend", client_id="a-1", lang=written_in)
            ack = next_of_type(ws_a, "message")
            seen = next_of_type(ws_b, "message")
            assert ack["lang"] == seen["lang"] == written_in
            assert Message.objects.get(pk=ack["id"]).lang == written_in

            # Not a language of this room: refused, said why, nothing stored.
            _send(ws_a, body="Bonsoir", client_id="a-2", lang="fr")
            error = next_of_type(ws_a, "error")
            assert error["code"] == "unknown_language" and error["client_id"] == "a-2"
            assert error["detail"]
            assert not Message.objects.filter(room=room, client_id="a-2").exists()

            # An older page sends no lang: stored blank, broadcast blank.
            _send(ws_b, body="Hello", client_id="b-1")
            plain = next_of_type(ws_a, "message")
            assert plain["client_id"] == "b-1" and plain["lang"] == ""
            assert Message.objects.get(pk=plain["id"]).lang == ""

            # History and the reconnect's replay carry it too.
            ws_b.send(json.dumps({"type": "history", "before": None, "limit": 10}))
            history = next_of_type(ws_b, "history")
            assert [m["lang"] for m in history["messages"]] == [written_in, ""]
        with room_socket(server, room.pk, cookie_b, query="?after=0") as ws_b:
            assert next_of_type(ws_b, "message")["lang"] == written_in
        assert "Traceback" not in server.output(), server.output()
    finally:
        server.stop()
