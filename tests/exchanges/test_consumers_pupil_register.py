"""Error frames speak to a pupil as the room page does (context "to a pupil": German
"du", French "tu") and to an adult formally, in the page's language: the services'
refusals and the consumer's own (busy, rate limited)."""

import pytest
from asgiref.sync import sync_to_async

from exchanges.models import Message, User
from exchanges.realtime import rate_limit
from exchanges.services.moderation import member_mute
from tests.exchanges.chat_fixtures import (
    ADULT_MARK,
    PUPIL_MARK,
    make_match_room,
    mark_registers,
    receive_until,
)
from tests.exchanges.wall_fixtures import make_exchange_room
from tests.exchanges.wall_fixtures import open_member_socket as open_socket

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]

REFUSALS = [
    "Write something visible before sending.",
    "The text is longer than %(count)d characters.",
    "No such message in this room",
    "You cannot report your own message.",
    "You already reported this message.",
    "You cannot correct your own message: your partner can.",
    "The correction is the message as it was: change what should be corrected.",
    "A teacher muted you until %(time)s",
    "The server is busy; try again in a moment.",
    "%(frame)s: at most %(count)d in %(seconds)d seconds",
]


@pytest.fixture
def registers(monkeypatch):
    mark_registers(monkeypatch, REFUSALS)
    # The history frames' budget as it is (10), in a window a loaded machine cannot
    # outlast between the first frame and the one too many.
    limits = {**rate_limit.FRAME_LIMITS, "history": rate_limit.Limit(10, 600)}
    monkeypatch.setattr(rate_limit, "FRAME_LIMITS", limits)


async def _german(*users):
    for user in users:
        await User.objects.filter(pk=user.pk).aupdate(language="de")


async def _refusals(comm, writer, other, settings) -> list[str]:
    """The details of one refusal of each kind the writer can meet, in order."""
    theirs = await Message.objects.acreate(room_id=other["room"], author=other["user"],
                                           body="I goed home", client_id="o1")
    mine = await Message.objects.acreate(room_id=other["room"], author=writer,
                                         body="hello", client_id="w1")
    frames = [
        {"type": "message.send", "body": "\u200b", "client_id": "c1"},
        {"type": "message.send", "body": "x" * 2001, "client_id": "c2"},
        {"type": "message.report", "message_id": mine.pk + 1000},
        {"type": "message.report", "message_id": mine.pk},
        {"type": "message.report", "message_id": theirs.pk, "reason": "rude"},
        {"type": "message.report", "message_id": theirs.pk, "reason": "again"},
        {"type": "correction.send", "message_id": mine.pk, "corrected": "Hello"},
        {"type": "correction.send", "message_id": theirs.pk, "corrected": "I goed home"},
    ]
    details = []
    for frame in frames:
        await comm.send_json_to(frame)
        event = await receive_until(comm, "error") if frame.get("reason") != "rude" else None
        if event is not None:
            details.append(event["detail"])
    for _ in range(10):  # the history frames' budget (10), then one too many
        await comm.send_json_to({"type": "history", "before": None, "limit": 1})
        await receive_until(comm, "history")
    await comm.send_json_to({"type": "history", "before": None, "limit": 1})
    details.append((await receive_until(comm, "error"))["detail"])
    settings.JUMELAGE_WS_FRAMES_IN_FLIGHT = 0
    await comm.send_json_to({"type": "message.send", "body": "later", "client_id": "c3"})
    details.append((await receive_until(comm, "error"))["detail"])
    return details


async def test_a_pupils_refusals_are_in_the_pupil_register(registers, settings):
    built, room = await sync_to_async(make_exchange_room)()
    pupil, partner = built.a.pupils[0], built.b.pupils[0]
    await _german(pupil)
    comm, _ = await open_socket(room.pk, pupil)
    details = await _refusals(comm, pupil, {"room": room.pk, "user": partner}, settings)
    await comm.disconnect()
    assert len(details) == 9
    assert all(d.startswith(PUPIL_MARK) for d in details), details
    assert "2000" in details[1] and "history: at most 10 in 600 seconds" in details[7]


async def test_an_adults_refusals_stay_formal(registers, settings):
    room, user_a, user_b, _ = await sync_to_async(make_match_room)()
    await _german(user_a)
    comm, _ = await open_socket(room.pk, user_a)
    details = await _refusals(comm, user_a, {"room": room.pk, "user": user_b}, settings)
    await comm.disconnect()
    assert len(details) == 9
    assert all(d.startswith(ADULT_MARK) for d in details), details


async def test_a_muted_pupil_is_told_in_the_pupil_register(registers):
    built, room = await sync_to_async(make_exchange_room)()
    pupil = built.b.pupils[1]
    await _german(pupil)
    await sync_to_async(member_mute)(room=room, user_id=pupil.pk, by=built.b.teacher,
                                     minutes=10)
    comm, _ = await open_socket(room.pk, pupil)
    await comm.send_json_to({"type": "message.send", "body": "Hallo", "client_id": "p1"})
    error = await receive_until(comm, "error")
    await comm.disconnect()
    assert error["code"] == "muted" and error["detail"].startswith(PUPIL_MARK + "A teacher")
