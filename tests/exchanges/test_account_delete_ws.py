"""A real WebSocket client: when a partner deletes their account, the other's open socket
in their room is closed with 4410, and nothing of the room is left to reconnect to."""

import pytest
from asgiref.sync import sync_to_async

from exchanges.models import Match, Room
from exchanges.services.accounts import account_delete
from exchanges.services.rooms import room_open
from tests.exchanges.chat_fixtures import open_socket
from tests.factories import MatchFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


def _match_with_room() -> tuple[Match, Room]:
    match = MatchFactory(status=Match.Status.ACTIVE)
    return match, room_open(match=match)


async def test_the_partners_socket_closes_when_the_other_leaves():
    match, room = await sync_to_async(_match_with_room)()
    partner = await sync_to_async(lambda: match.participant_b.user)()
    leaving = await sync_to_async(lambda: match.participant_a.user)()
    comm, joined = await open_socket(room.pk, partner)
    assert joined["room"]["id"] == room.pk
    await sync_to_async(account_delete)(user=leaving, password="correct-horse-battery")
    while True:
        output = await comm.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            break
    assert output["code"] == 4410
    await comm.disconnect()
    assert not await Room.objects.filter(pk=room.pk).aexists()
