"""The class room of an exchange holds both classes and both teachers: 30 pupils' and
2 teachers' sockets join it, room.joined lists everyone, each presence event carries
the whole online list (one per join, not one per member), and typing reaches everyone
once."""

import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.test import Client

from exchanges.models import RoomMember
from exchanges.services.pupils import pupil_remove
from tests.exchanges.chat_fixtures import communicator_for, drain, receive_until
from tests.exchanges.class_exchange_fixtures import active_exchange
from tests.exchanges.classroom_fixtures import PUPIL_BACKEND

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]
PER_CLASS = 15


def _class_of_30():
    exchange, pupils_a, pupils_b = active_exchange(PER_CLASS, PER_CLASS)
    teachers = [exchange.classroom_a.teacher, exchange.classroom_b.teacher]
    cookies = []
    for user in [p.user for p in pupils_a + pupils_b] + teachers:
        client = Client()
        client.force_login(user, backend=None if user in teachers else PUPIL_BACKEND)
        cookies.append((user.pk, client.cookies[settings.SESSION_COOKIE_NAME].value))
    return exchange.room, cookies, {t.pk for t in teachers}


async def test_a_class_of_30_and_both_teachers_share_the_class_room():
    room, cookies, teacher_ids = await sync_to_async(_class_of_30)()
    sockets = []
    try:
        for _user_id, cookie in cookies:
            comm = communicator_for(f"/ws/rooms/{room.pk}/", cookie=cookie)
            connected, _ = await comm.connect(timeout=10)
            assert connected
            joined = await comm.receive_json_from(timeout=10)
            assert joined["type"] == "room.joined", joined
            sockets.append(comm)
        members = joined["members"]
        assert len(members) == 2 * PER_CLASS + 2
        roles = {m["id"]: m["role"] for m in members}
        assert {uid for uid, role in roles.items()
                if role == RoomMember.Role.MODERATOR} == teacher_ids
        assert len(joined["online"]) == 2 * PER_CLASS + 2

        first_events = await drain(sockets[0], timeout=1)
        presence = [e for e in first_events if e["type"] == "presence"]
        # One presence event per socket that joined after it, each the whole list.
        assert len(presence) <= len(sockets)
        assert len(presence[-1]["online"]) == 2 * PER_CLASS + 2
        for comm in sockets[1:]:
            await drain(comm, timeout=0.2)

        typist = sockets[5]
        await typist.send_json_to({"type": "typing"})
        await typist.send_json_to({"type": "typing"})  # inside 2 s: dropped
        typist_id = cookies[5][0]
        for comm in sockets:
            events = [e for e in await drain(comm, timeout=0.5) if e["type"] == "typing"]
            assert len(events) == 1 and events[0]["user"]["id"] == typist_id
    finally:
        for comm in sockets:
            await comm.disconnect()


def _exchange_with_sessions():
    exchange, pupils_a, pupils_b = active_exchange(2, 2)
    leaving, staying = pupils_a[0], pupils_b[0]
    cookies = {}
    for participant in (leaving, staying):
        client = Client()
        client.force_login(participant.user, backend=PUPIL_BACKEND)
        cookies[participant.user.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return exchange, leaving, staying, cookies


async def _joined(room_id: int, cookie: str):
    comm = communicator_for(f"/ws/rooms/{room_id}/", cookie=cookie)
    connected, _ = await comm.connect(timeout=5)
    assert connected
    assert (await comm.receive_json_from(timeout=5))["type"] == "room.joined"
    return comm


async def test_a_pupil_removed_by_the_teacher_stops_reading_the_class_room_at_once():
    exchange, leaving, staying, cookies = await sync_to_async(_exchange_with_sessions)()
    room_id = await sync_to_async(lambda: exchange.room.pk)()
    teacher = await sync_to_async(lambda: exchange.classroom_a.teacher)()
    comm_gone = await _joined(room_id, cookies[leaving.user_id])
    comm_stays = await _joined(room_id, cookies[staying.user_id])
    await sync_to_async(pupil_remove)(pupil=leaving, by=teacher)
    while True:  # presence frames may come first
        output = await comm_gone.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            break
        assert "after the removal" not in output.get("text", "")
    assert output["code"] == 4401
    await comm_stays.send_json_to({"type": "message.send", "body": "after the removal",
                                   "client_id": "r1"})
    assert (await receive_until(comm_stays, "message"))["body"] == "after the removal"
    for comm in (comm_gone, comm_stays):
        await comm.disconnect()
