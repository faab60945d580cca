"""Builders for the chat tests; their fixtures are in conftest.py."""

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from exchanges.models import Match
from exchanges.services.rooms import room_open
from tests.factories import MatchFactory, UserFactory

ORIGIN = "http://localhost"


def make_match_room():
    """An active match with its open room; returns (room, user_a, user_b, match)."""
    match = MatchFactory(status=Match.Status.ACTIVE)
    room = room_open(match=match)
    return room, match.participant_a.user, match.participant_b.user, match


def make_outsider():
    return UserFactory()


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def communicator_for(path: str, *, cookie: str | None = None, origin: str = ORIGIN):
    from config.asgi import application

    headers = [(b"origin", origin.encode()), (b"host", b"localhost")]
    if cookie:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def open_socket(room_id: int, user, *, query: str = ""):
    """A connected, joined socket; returns (communicator, room.joined event)."""
    cookie = await sync_to_async(session_cookie)(user)
    comm = communicator_for(f"/ws/rooms/{room_id}/{query}", cookie=cookie)
    connected, _ = await comm.connect(timeout=5)
    assert connected
    joined = await comm.receive_json_from(timeout=5)
    assert joined["type"] == "room.joined", joined
    return comm, joined


async def receive_until(comm, event_type: str, *, timeout: float = 5):
    """The next event of ``event_type``, skipping others (presence, typing…)."""
    while True:
        event = await comm.receive_json_from(timeout=timeout)
        if event["type"] == event_type:
            return event


async def send_frame(comm, **frame):
    await comm.send_json_to(frame)


async def still_open(comm):
    """The socket still answers (after an error frame, say)."""
    await comm.send_json_to({"type": "history", "before": None, "limit": 1})
    assert (await receive_until(comm, "history"))["type"] == "history"


async def drain(comm, *, timeout: float = 0.3) -> list[dict]:
    """Every event that arrives within ``timeout`` of the previous one."""
    events = []
    while not await comm.receive_nothing(timeout=timeout):
        events.append(await comm.receive_json_from(timeout=timeout))
    return events


ADULT_MARK, PUPIL_MARK = "[Sie] ", "[du] "


def mark_registers(monkeypatch, msgids, *, language: str = "de") -> None:
    """Give ``msgids`` a recognisable translation in ``language``'s loaded catalogue: the
    plain entry starts with ADULT_MARK, the one in context "to a pupil" with PUPIL_MARK,
    so a test sees which register reached the reader whatever the .po files hold."""
    from django.utils.translation import trans_real

    entries = trans_real.translation(language)._catalog._catalogs[0]
    for msgid in msgids:
        monkeypatch.setitem(entries, msgid, ADULT_MARK + msgid)
        monkeypatch.setitem(entries, f"to a pupil\x04{msgid}", PUPIL_MARK + msgid)
