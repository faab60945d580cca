"""Room services: open (match, classroom exchange), close, block."""

import datetime as dt

import pytest

from exchanges.models import (
    Block,
    Classroom,
    ClassroomExchange,
    Match,
    Reminder,
    Room,
    RoomMember,
    Session,
    SlotProposal,
)
from exchanges.services.rooms import block_create, room_close, room_open
from exchanges.services.sessions import session_move_propose
from exchanges.services.slots import slot_propose
from tests.exchanges.scheduling_fixtures import (
    NOW,
    another_slot,
    beat_materializes,
    scheduled_match,
)
from tests.factories import MatchFactory, ParticipantFactory, TwinningFactory, UserFactory

pytestmark = pytest.mark.django_db


def _members(room) -> dict[int, str]:
    return dict(RoomMember.objects.filter(room=room).values_list("user_id", "role"))


def test_room_open_for_match_is_idempotent_with_both_partners():
    match = MatchFactory(status=Match.Status.ACTIVE)
    room = room_open(match=match)
    assert room_open(match=match).pk == room.pk
    assert Room.objects.count() == 1
    assert _members(room) == {
        match.participant_a.user_id: "member",
        match.participant_b.user_id: "member",
    }
    assert room.is_open


def test_room_open_for_exchange_has_pupils_and_teachers_as_moderators():
    twinning = TwinningFactory()
    teacher_a, teacher_b = UserFactory(), UserFactory()
    class_a = Classroom.objects.create(
        teacher=teacher_a, city=twinning.city_a, school="A", name="5a"
    )
    class_b = Classroom.objects.create(
        teacher=teacher_b, city=twinning.city_b, school="B", name="6b"
    )
    pupils = [ParticipantFactory(classroom=c) for c in (class_a, class_a, class_b)]
    exchange = ClassroomExchange.objects.create(
        twinning=twinning, classroom_a=class_a, classroom_b=class_b, status="active"
    )
    room = room_open(exchange=exchange)
    expected = {p.user_id: "member" for p in pupils}
    expected.update({teacher_a.pk: "moderator", teacher_b.pk: "moderator"})
    assert _members(room) == expected
    late = ParticipantFactory(classroom=class_b)  # joins the class afterwards
    assert room_open(exchange=exchange).pk == room.pk
    assert _members(room)[late.user_id] == "member"


def test_room_open_needs_exactly_one_owner():
    with pytest.raises(ValueError):
        room_open()


def test_room_close_sets_status_and_closes_sockets_after_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    room = room_open(match=MatchFactory(status=Match.Status.ACTIVE))
    sent = []
    monkeypatch.setattr("exchanges.realtime.broadcast._send",
                        lambda rid, ev: sent.append((rid, ev)))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        room_close(room=room, reason="programme over")
    assert sent == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert sent == [(room.pk, {"type": "room.close", "code": 4410})]
    room.refresh_from_db()
    assert room.status == Room.Status.CLOSED and room.closed_at
    assert room.closed_reason == "programme over"


def test_block_ends_match_closes_room_and_records_exclusion(django_capture_on_commit_callbacks):
    match = MatchFactory(status=Match.Status.ACTIVE)
    room = room_open(match=match)
    with django_capture_on_commit_callbacks(execute=False):
        block = block_create(blocker=match.participant_b, blocked=match.participant_a)
    match.refresh_from_db()
    room.refresh_from_db()
    assert match.status == Match.Status.ENDED and match.ended_reason == "blocked" and match.ended_at
    assert room.status == Room.Status.CLOSED and room.closed_reason == "blocked"
    assert Block.objects.filter(blocker=match.participant_b, blocked=match.participant_a).exists()
    again = block_create(blocker=match.participant_b, blocked=match.participant_a)
    assert again.pk == block.pk and Block.objects.count() == 1


def test_block_leaves_other_matches_alone():
    match = MatchFactory(status=Match.Status.ACTIVE)
    other = MatchFactory(status=Match.Status.ACTIVE, participant_a=match.participant_a)
    other_room = room_open(match=other)
    block_create(blocker=match.participant_a, blocked=match.participant_b)
    other.refresh_from_db()
    other_room.refresh_from_db()
    assert other.status == Match.Status.ACTIVE and other_room.is_open


def test_block_cancels_future_sessions_reminders_proposals_and_moves():
    match, sessions = scheduled_match()
    nora, bruno = match.participant_a, match.participant_b
    beat_materializes(sessions[:1])
    session_move_propose(session=sessions[1], by=nora,
                         new_start=sessions[1].starts_at + dt.timedelta(days=1))
    slot_propose(match=match, by=nora, **another_slot(match), now=NOW)
    block_create(blocker=bruno, blocked=nora)
    rows = Session.objects.filter(match=match)
    assert set(rows.values_list("status", flat=True)) == {Session.Status.CANCELLED}
    assert all(s.sequence == 1 for s in rows)  # calendars see the change
    assert not rows.filter(move_to__isnull=False).exists()
    assert not Reminder.objects.filter(session__match=match, cancelled=False).exists()
    assert not SlotProposal.objects.filter(match=match, status="proposed").exists()
