"""Safe rooms over the socket: a hidden message disappears live for everyone, a pupil's
contact detail is refused with an error frame that says why, teachers read only."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from exchanges.models import Message, RoomMember
from exchanges.services.moderation import member_mute, message_hide
from tests.exchanges.chat_fixtures import drain, receive_until
from tests.exchanges.wall_fixtures import make_exchange_room
from tests.exchanges.wall_fixtures import open_member_socket as open_socket

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_channel_layer"),
]


async def test_a_hidden_message_disappears_live_for_everyone_and_from_history():
    built, room = await sync_to_async(make_exchange_room)()
    pupil_a, pupil_b, teacher = built.a.pupils[0], built.b.pupils[0], built.b.teacher
    comm_a, _ = await open_socket(room.pk, pupil_a)
    comm_b, _ = await open_socket(room.pk, pupil_b)
    comm_t, joined = await open_socket(room.pk, teacher)
    roles = {m["id"]: m["role"] for m in joined["members"]}
    assert roles[teacher.pk] == "moderator"  # the teacher is marked as a moderator

    await comm_a.send_json_to({"type": "message.send", "body": "you are stupid",
                               "client_id": "m1"})
    sent = await receive_until(comm_b, "message")
    message = await Message.objects.aget(pk=sent["id"])

    await sync_to_async(message_hide)(message=message, by=teacher)

    for comm in (comm_a, comm_b, comm_t):
        hidden = await receive_until(comm, "message.hidden")
        assert hidden["id"] == message.pk and "teacher" in hidden["placeholder"]
    await comm_b.send_json_to({"type": "history", "before": None, "limit": 10})
    history = await receive_until(comm_b, "history")
    [item] = history["messages"]
    assert item["hidden"] is True and item["body"] == "" and "stupid" not in str(history)
    for comm in (comm_a, comm_b, comm_t):
        await comm.disconnect()


async def test_a_pupils_contact_detail_is_refused_with_an_error_frame_that_says_why():
    built, room = await sync_to_async(make_exchange_room)()
    comm, _ = await open_socket(room.pk, built.a.pupils[0])
    await comm.send_json_to({"type": "message.send", "body": "my snap is lena_k13",
                             "client_id": "c1"})
    error = await receive_until(comm, "error")
    assert error["code"] == "contact_detail" and error["client_id"] == "c1"
    assert "social-media" in error["detail"]
    assert not await Message.objects.filter(room=room).aexists()
    # The socket stays open and an ordinary message goes through.
    await comm.send_json_to({"type": "message.send", "body": "I like football",
                             "client_id": "c2"})
    assert (await receive_until(comm, "message"))["body"] == "I like football"
    await comm.disconnect()


async def test_a_teacher_reads_but_gets_an_error_frame_when_sending():
    built, room = await sync_to_async(make_exchange_room)()
    comm, _ = await open_socket(room.pk, built.a.teacher)
    await comm.send_json_to({"type": "message.send", "body": "Hello", "client_id": "t1"})
    error = await receive_until(comm, "error")
    assert error["code"] == "read_only" and "moderators read only" in error["detail"]
    await comm.disconnect()


async def test_a_muted_pupil_gets_an_error_frame_when_sending():
    built, room = await sync_to_async(make_exchange_room)()
    pupil = built.b.pupils[1]
    await sync_to_async(member_mute)(room=room, user_id=pupil.pk, by=built.b.teacher,
                                     minutes=10)
    comm, _ = await open_socket(room.pk, pupil)
    await comm.send_json_to({"type": "message.send", "body": "Hello", "client_id": "p1"})
    error = await receive_until(comm, "error")
    assert error["code"] == "muted" and error["client_id"] == "p1"
    await comm.disconnect()


async def test_a_socket_that_reconnects_learns_which_messages_were_hidden_meanwhile():
    built, room = await sync_to_async(make_exchange_room)()
    comm, _ = await open_socket(room.pk, built.a.pupils[0])
    await comm.send_json_to({"type": "message.send", "body": "mean words", "client_id": "m"})
    sent = await receive_until(comm, "message")
    await comm.disconnect()
    message = await Message.objects.aget(pk=sent["id"])
    await sync_to_async(message_hide)(message=message, by=built.a.teacher)

    comm, joined = await open_socket(room.pk, built.b.pupils[0])
    assert joined["hidden_ids"] == [message.pk]
    await comm.disconnect()


async def test_a_muted_pupils_or_a_teachers_typing_reaches_nobody():
    built, room = await sync_to_async(make_exchange_room)()
    muted, partner, teacher = built.b.pupils[1], built.a.pupils[0], built.b.teacher
    await sync_to_async(member_mute)(room=room, user_id=muted.pk, by=teacher, minutes=10)
    comm_p, _ = await open_socket(room.pk, partner)
    comm_m, _ = await open_socket(room.pk, muted)
    comm_t, _ = await open_socket(room.pk, teacher)
    await comm_m.send_json_to({"type": "typing"})
    await comm_t.send_json_to({"type": "typing"})
    assert not [e for e in await drain(comm_p, timeout=0.5) if e["type"] == "typing"]
    # The mute lifted, the same pupil's typing is shown again.
    await sync_to_async(member_mute)(room=room, user_id=muted.pk, by=teacher, minutes=0)
    await asyncio.sleep(2.1)  # past the socket's typing throttle
    await comm_m.send_json_to({"type": "typing"})
    assert (await receive_until(comm_p, "typing"))["user"]["id"] == muted.pk
    for comm in (comm_p, comm_m, comm_t):
        await comm.disconnect()


async def test_every_open_socket_of_a_pupil_hears_at_once_of_a_mute_and_its_lifting():
    built, room = await sync_to_async(make_exchange_room)()
    pupil, partner, teacher = built.b.pupils[1], built.a.pupils[0], built.b.teacher
    first, joined = await open_socket(room.pk, pupil)
    assert joined["muted_until"] is None
    second, _ = await open_socket(room.pk, pupil)
    comm_p, _ = await open_socket(room.pk, partner)

    member = await sync_to_async(member_mute)(room=room, user_id=pupil.pk, by=teacher,
                                              minutes=10)
    for comm in (first, second):
        muted = await receive_until(comm, "member.muted", timeout=2)
        assert muted["until"] == member.muted_until.isoformat()
    # Nobody else learns of it.
    assert not [e for e in await drain(comm_p, timeout=0.5) if e["type"].startswith("member.")]
    # A socket opened while muted is told in its room.joined.
    third, joined = await open_socket(room.pk, pupil)
    assert joined["muted_until"] == member.muted_until.isoformat()

    await sync_to_async(member_mute)(room=room, user_id=pupil.pk, by=teacher, minutes=0)
    for comm in (first, second, third):
        assert (await receive_until(comm, "member.unmuted", timeout=2)) == {
            "type": "member.unmuted"}
    for comm in (first, second, third, comm_p):
        await comm.disconnect()


async def test_a_mute_in_one_room_reaches_no_socket_of_the_pupil_in_another_room():
    built, room = await sync_to_async(make_exchange_room)()
    _other_built, other_room = await sync_to_async(make_exchange_room)()
    pupil = built.b.pupils[1]
    await RoomMember.objects.acreate(room=other_room, user=pupil)
    here, _ = await open_socket(room.pk, pupil)
    elsewhere, _ = await open_socket(other_room.pk, pupil)
    await sync_to_async(member_mute)(room=room, user_id=pupil.pk, by=built.b.teacher,
                                     minutes=10)
    await receive_until(here, "member.muted", timeout=2)
    assert not [e for e in await drain(elsewhere, timeout=0.5)
                if e["type"].startswith("member.")]
    await here.disconnect()
    await elsewhere.disconnect()
