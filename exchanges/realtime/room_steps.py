"""The room socket's database steps, each run in a worker thread by the consumer
(``exchanges.realtime.db``): join, leave, replay and a page of history."""

from django.utils import timezone

from exchanges.realtime import protocol
from exchanges.selectors.chat import (
    corrections_after,
    hidden_message_ids,
    history_page,
    last_message_id,
    member_may_write,
    messages_after,
)
from exchanges.selectors.moderation import messages_reported_by
from exchanges.selectors.room_languages import room_languages
from exchanges.selectors.rooms import room_roster
from exchanges.services import attendance, presence, room_sockets


def join(room, user, channel_name: str, session):
    """None, writing nothing, when the session ended since the handshake read it (a
    logout in that gap closed no socket: this one was not in its user's group yet); a
    close code, writing nothing, when the room closed or the user left it since the
    handshake's access check (its close event went out before the socket was in the
    room's group). Else what ``room.joined`` says."""
    key = getattr(session, "session_key", None)
    if key is not None and not session.exists(key):
        return None
    # Read before any write: the socket is already in the room's group, so a close
    # committed after this read still reaches it.
    members, muted_until, admitted = room_roster(room=room, user_id=user.pk,
                                                 now=timezone.now())
    if not admitted:
        member = any(m["id"] == user.pk for m in members)
        return protocol.CLOSE_ROOM_CLOSED if member else protocol.CLOSE_NO_ROOM
    online = presence.presence_join(room=room, user=user, channel_name=channel_name)
    attendance.attendance_join(room=room, user_id=user.pk, at=timezone.now())
    return (members, online, last_message_id(room=room), hidden_message_ids(room=room),
            muted_until)


def leave(room, user, channel_name: str) -> None:
    room_sockets.room_socket_closed(room=room, user_id=user.pk, channel_name=channel_name,
                                    at=timezone.now())


def replay(room, user, after_id: int) -> list[dict]:
    """The messages after ``after_id`` for a reconnecting reader, flagged as history's
    are: one they reported meanwhile (from another tab) shows "Reported"."""
    messages = messages_after(room=room, after_id=after_id)
    reported = messages_reported_by(user=user, message_ids=[m.pk for m in messages])
    return [protocol.read_message_event(m, reported_ids=reported) for m in messages]


def replay_corrections(room, after_id: int, up_to_message_id: int) -> list[dict]:
    return [protocol.correction_event(c) for c in corrections_after(
        room=room, after_id=after_id, up_to_message_id=up_to_message_id)]


def history(room, user, before, limit) -> dict:
    messages, has_more = history_page(room=room, before=before, limit=limit)
    reported = messages_reported_by(user=user, message_ids=[m.pk for m in messages])
    return protocol.history_event(messages, has_more=has_more, reported_ids=reported)


def languages(room) -> list[str]:
    return room_languages(room=room)


def may_type(room_id: int, user_id: int) -> bool:
    return member_may_write(room_id=room_id, user_id=user_id)
