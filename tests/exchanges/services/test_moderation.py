"""Safe rooms for minors: teachers read every room of their exchange without writing,
hide messages, mute pupils and close rooms; pupils' contact details are refused before
they are saved (reports: test_reports.py)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from exchanges.models import (
    AuditEvent,
    City,
    Message,
    Participant,
    PupilGroup,
    PupilPairing,
    Room,
    RoomMember,
)
from exchanges.realtime.protocol import message_event
from exchanges.selectors.chat import history_page
from exchanges.selectors.moderation import (
    exchange_rooms,
    report_counts,
)
from exchanges.services import chat
from exchanges.services.moderation import (
    member_mute,
    message_hide,
    room_moderate_close,
    room_moderators_ensure,
)
from exchanges.services.rooms import room_open
from tests.exchanges.wall_fixtures import (
    make_exchange,
    make_exchange_room,
    make_pair_room,
    send_message,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_both_teachers_moderate_every_room_of_the_exchange_and_nothing_else():
    built, class_room = make_exchange_room()
    pair_room = make_pair_room(built)
    other, other_room = make_exchange_room()

    room_moderators_ensure(exchange=built.exchange)

    assert set(exchange_rooms(exchange=built.exchange)) == {class_room, pair_room}
    for room in (class_room, pair_room):
        roles = dict(RoomMember.objects.filter(room=room).values_list("user_id", "role"))
        assert roles[built.a.teacher.pk] == RoomMember.Role.MODERATOR
        assert roles[built.b.teacher.pk] == RoomMember.Role.MODERATOR
    assert not RoomMember.objects.filter(room=other_room, user=built.a.teacher).exists()
    assert room_moderators_ensure(exchange=built.exchange) == 0  # idempotent


def test_a_pupil_groups_room_belongs_to_the_exchange_a_room_of_its_pupils_alone_does_not():
    """A room is the exchange's by the exchange it records, not by its members: a room of
    the same pupils recorded nowhere (one of another exchange of the two classes, or too
    old to tell) is not moderated as this one's, nor is a room with an outsider."""
    built, class_room = make_exchange_room()
    trio_group = PupilGroup.objects.create(pairing=PupilPairing.objects.create(
        exchange=built.exchange, status=PupilPairing.Status.CONFIRMED))
    trio_group.members.set([user.participant for user in
                            (built.a.pupils[0], built.b.pupils[0], built.b.pupils[1])])
    trio = room_open(group=trio_group)
    unrecorded = Room.objects.create(title="the same pupils")
    mixed = Room.objects.create(title="with an adult")
    for user in (built.a.pupils[0], built.b.pupils[0]):
        RoomMember.objects.create(room=unrecorded, user=user)
    RoomMember.objects.create(room=mixed, user=built.a.pupils[1])
    RoomMember.objects.create(room=mixed, user=UserFactory())

    room_moderators_ensure(exchange=built.exchange)

    assert set(exchange_rooms(exchange=built.exchange)) == {class_room, trio}
    assert set(RoomMember.objects.filter(room=trio, role=RoomMember.Role.MODERATOR)
               .values_list("user_id", flat=True)) == {built.a.teacher.pk, built.b.teacher.pk}
    assert not RoomMember.objects.filter(room__in=[unrecorded, mixed],
                                         role=RoomMember.Role.MODERATOR).exists()


def test_a_moderator_cannot_send_a_message():
    built, room = make_exchange_room()
    with pytest.raises(chat.ChatError) as refused:
        send_message(room, built.a.teacher, "Hello class")
    assert refused.value.code == "read_only"
    assert refused.value.detail.startswith("moderators read only")
    assert not Message.objects.filter(room=room).exists()


def test_a_moderator_cannot_send_a_correction_either():
    built, room = make_exchange_room()
    message, _ = send_message(room, built.a.pupils[0], "I has a cat")
    with pytest.raises(chat.ChatError) as refused:
        chat.correction_send(room=room, author=built.b.teacher, message_id=message.pk,
                             corrected="I have a cat")
    assert refused.value.code == "read_only"


@pytest.mark.parametrize(
    "body", ["lena at gmail dot com", "+44 7700 900123", "www.example.org", "insta: lena.k"]
)
def test_a_pupils_contact_detail_is_refused_before_it_is_saved(body):
    built, room = make_exchange_room()
    with pytest.raises(chat.ChatError) as refused:
        send_message(room, built.a.pupils[0], body)
    assert refused.value.code == "contact_detail"
    assert "Contact details cannot be shared" in refused.value.detail
    assert not Message.objects.filter(room=room).exists()


def test_an_adults_room_is_unchanged_by_the_contact_detail_rule(match_room):
    room, user_a, _user_b, _match = match_room
    message, created = send_message(room, user_a, "write to me at anna@example.org")
    assert created and message.body == "write to me at anna@example.org"


def test_a_muted_pupil_is_refused_until_the_mute_ends():
    built, room = make_exchange_room()
    pupil = built.a.pupils[0]
    member_mute(room=room, user_id=pupil.pk, by=built.a.teacher, minutes=15)
    with pytest.raises(chat.ChatError) as refused:
        send_message(room, pupil, "hello?")
    assert refused.value.code == "muted"
    send_message(room, built.b.pupils[0], "I can still write", client_id="other")

    RoomMember.objects.filter(room=room, user=pupil).update(
        muted_until=timezone.now() - dt.timedelta(seconds=1)
    )
    _message, created = send_message(room, pupil, "hello again", client_id="c2")
    assert created
    audit = AuditEvent.objects.get(verb="member.mute")
    assert audit.actor == built.a.teacher and audit.data["user"] == pupil.pk


def _muted_text(room, pupil, *, until, language):
    RoomMember.objects.filter(room=room, user=pupil).update(muted_until=until)
    with pytest.raises(chat.ChatError) as refused:
        send_message(room, pupil, "hello?", client_id=f"c-{language}")
    with translation.override(language):
        return refused.value.text()


def test_a_muted_pupil_reads_the_mute_end_in_their_own_zone_and_language():
    built, room = make_exchange_room()
    pupil = built.a.pupils[0]
    Participant.objects.filter(user=pupil).update(tz="Asia/Tokyo")
    now = timezone.now()
    # 20 minutes from now, seen from Tokyo (UTC+9, no summer time).
    until = now + dt.timedelta(minutes=20)
    tokyo = until.astimezone(ZoneInfo("Asia/Tokyo"))
    text = _muted_text(room, pupil, until=until, language="en")
    assert tokyo.strftime("%H:%M") in text and "UTC" not in text
    assert until.astimezone(dt.UTC).strftime("%H:%M") not in text

    # Ending on another day there: the date is written as the language writes dates.
    later = until + dt.timedelta(days=1)
    later_tokyo = later.astimezone(ZoneInfo("Asia/Tokyo"))
    text = _muted_text(room, pupil, until=later, language="ja")
    assert f"{later_tokyo.month}月{later_tokyo.day}日" in text
    assert later_tokyo.strftime("%H:%M") in text


def test_a_muted_person_without_a_zone_reads_the_end_in_utc_and_says_so():
    built, room = make_exchange_room()
    pupil = built.a.pupils[0]
    Participant.objects.filter(user=pupil).update(tz="")
    City.objects.filter(pk=pupil.participant.city_id).update(tz="")
    until = timezone.now() + dt.timedelta(minutes=20)
    text = _muted_text(room, pupil, until=until, language="en")
    assert f"{until.astimezone(dt.UTC):%H:%M} UTC" in text


def test_only_a_moderator_mutes_and_only_a_pupil_is_muted():
    built, room = make_exchange_room()
    with pytest.raises(PermissionDenied):
        member_mute(room=room, user_id=built.b.pupils[0].pk, by=built.a.pupils[0], minutes=5)
    with pytest.raises(ValidationError):
        member_mute(room=room, user_id=built.b.teacher.pk, by=built.a.teacher, minutes=5)
    with pytest.raises(ValidationError):
        member_mute(room=room, user_id=built.a.pupils[0].pk, by=built.a.teacher,
                    minutes=60 * 24 * 8)


def test_hiding_a_message_keeps_its_place_with_a_placeholder_and_is_audited():
    built, room = make_exchange_room()
    message, _ = send_message(room, built.a.pupils[0], "something unkind")

    message_hide(message=message, by=built.b.teacher)
    message_hide(message=message, by=built.a.teacher)  # idempotent

    page, _ = history_page(room=room)
    event = message_event(page[0])
    assert event["hidden"] is True and event["body"] == "" and event["id"] == message.pk
    assert "unkind" not in str(event)
    audits = AuditEvent.objects.filter(verb="message.hide")
    assert audits.count() == 1 and audits[0].actor == built.b.teacher
    assert audits[0].target == f"message:{message.pk}"


def test_a_hidden_message_cannot_be_corrected():
    built, room = make_exchange_room()
    message, _ = send_message(room, built.a.pupils[0], "something unkind")
    message_hide(message=message, by=built.a.teacher)
    with pytest.raises(chat.ChatError) as refused:
        chat.correction_send(room=room, author=built.b.pupils[0], message_id=message.pk,
                             corrected="something kind")
    assert refused.value.code == "hidden"


def test_a_pupil_cannot_hide_a_message():
    built, room = make_exchange_room()
    message, _ = send_message(room, built.a.pupils[0], "hello")
    with pytest.raises(PermissionDenied):
        message_hide(message=message, by=built.b.pupils[0])
    assert Message.objects.get(pk=message.pk).hidden_at is None


def test_a_teacher_closes_a_room_and_the_closing_is_audited():
    built, room = make_exchange_room()
    room_moderate_close(room=room, by=built.a.teacher, reason="End of term")
    room.refresh_from_db()
    assert room.status == Room.Status.CLOSED and room.closed_reason == "End of term"
    assert AuditEvent.objects.filter(verb="room.close", actor=built.a.teacher).exists()
    with pytest.raises(PermissionDenied):
        room_moderate_close(room=room, by=built.a.pupils[0], reason="")


def test_officers_see_report_counts_only():
    built, room = make_exchange_room()
    message, _ = send_message(room, built.b.pupils[0], "rude words")
    chat.message_report(room=room, reporter=built.a.pupils[0], message_id=message.pk,
                        reason="rude")
    other = make_exchange()
    assert report_counts(exchanges=[built.exchange]) == {"open": 1, "resolved": 0}
    assert report_counts(exchanges=[other.exchange]) == {"open": 0, "resolved": 0}


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_one_statement_insert_also_refuses_moderators_and_muted():
    # message_send's fast path checks membership in its INSERT; the refusal must hold
    # there too, and say why.
    built, room = make_exchange_room()
    with pytest.raises(chat.ChatError) as refused:
        send_message(room, built.b.teacher, "Hello")
    assert refused.value.code == "read_only"
    member_mute(room=room, user_id=built.a.pupils[1].pk, by=built.a.teacher, minutes=5)
    with pytest.raises(chat.ChatError) as refused:
        send_message(room, built.a.pupils[1], "Hello")
    assert refused.value.code == "muted"
    _message, created = send_message(room, built.a.pupils[0], "Hello")
    assert created
    assert Message.objects.filter(room=room).count() == 1


def test_a_close_reason_loses_direction_overrides_and_an_invisible_one_is_no_reason():
    built, room = make_exchange_room()
    room_moderate_close(room=room, by=built.a.teacher, reason="\u200b\u200b ")
    room.refresh_from_db()
    assert room.closed_reason == "closed by a teacher"
    other_built, other = make_exchange_room()
    room_moderate_close(room=other, by=other_built.b.teacher, reason="نهاية \u202eالفصل\u202c")
    other.refresh_from_db()
    assert other.closed_reason == "نهاية الفصل"
