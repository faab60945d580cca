"""A report reaches every socket of its reporter in the room, however it was made (over
the socket or the page's HTTP fallback): the reporter's other tabs stop offering a second
report. Nobody else hears of it."""

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from django.urls import reverse

from exchanges.models import Message
from tests.exchanges.chat_fixtures import drain, open_socket, receive_until

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


def _reported(events) -> list[int]:
    return [e["message_id"] for e in events if e["type"] == "message.reported"]


async def test_a_report_over_the_socket_reaches_the_reporters_other_tab_only(match_room):
    room, user_a, user_b, _ = match_room
    message = await Message.objects.acreate(room=room, author=user_b, body="rude", client_id="r")
    tab, _ = await open_socket(room.pk, user_a)
    other_tab, _ = await open_socket(room.pk, user_a)
    author, _ = await open_socket(room.pk, user_b)
    await drain(author)

    await tab.send_json_to({"type": "message.report", "message_id": message.pk,
                            "reason": "insult", "client_id": f"report-{message.pk}"})
    assert (await receive_until(tab, "message.reported"))["message_id"] == message.pk
    assert (await receive_until(other_tab, "message.reported"))["message_id"] == message.pk
    assert _reported(await drain(author)) == []
    for comm in (tab, other_tab, author):
        await comm.disconnect()


async def test_a_report_over_http_reaches_the_reporters_open_socket(match_room):
    room, user_a, user_b, _ = match_room
    message = await Message.objects.acreate(room=room, author=user_b, body="rude", client_id="r")
    tab, _ = await open_socket(room.pk, user_a)
    author, _ = await open_socket(room.pk, user_b)
    await drain(author)

    def report_over_http():
        client = Client()
        client.force_login(user_a)
        return client.post(reverse("room_message_report", args=[room.pk, message.pk]),
                           {"reason": "insult"}, HTTP_ACCEPT="application/json")

    response = await sync_to_async(report_over_http)()
    assert response.status_code == 200, response.content
    assert (await receive_until(tab, "message.reported"))["message_id"] == message.pk
    assert _reported(await drain(author)) == []
    for comm in (tab, author):
        await comm.disconnect()


async def test_a_refused_report_tells_no_other_tab(match_room):
    room, user_a, _user_b, _ = match_room
    mine = await Message.objects.acreate(room=room, author=user_a, body="mine", client_id="m")
    tab, _ = await open_socket(room.pk, user_a)
    other_tab, _ = await open_socket(room.pk, user_a)
    await drain(other_tab)
    await tab.send_json_to({"type": "message.report", "message_id": mine.pk, "reason": ""})
    assert (await receive_until(tab, "error"))["code"] == "own_message"
    assert _reported(await drain(other_tab)) == []
    for comm in (tab, other_tab):
        await comm.disconnect()
