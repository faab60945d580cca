"""Reads of a room's messages: history pages, reconnect replays, the last id."""

from django.db.models import Q
from django.utils import timezone

from exchanges.models import Correction, Message, Room, RoomMember

HISTORY_MAX_LIMIT = 100


def _messages(room: Room):
    return Message.objects.filter(room=room).select_related("author").prefetch_related(
        "corrections__author"
    )


def history_page(*, room: Room, before=None, limit: int = 50) -> tuple[list[Message], bool]:
    """Up to ``limit`` messages before id ``before`` (the newest when None), oldest
    first, and whether older ones exist. ``limit`` is clamped to 1..100."""
    limit = max(1, min(int(limit), HISTORY_MAX_LIMIT))
    qs = _messages(room)
    if before is not None:
        qs = qs.filter(pk__lt=before)
    page = list(qs.order_by("-pk")[: limit + 1])
    has_more = len(page) > limit
    return list(reversed(page[:limit])), has_more


def own_messages_by_client_id(*, room: Room, author_id: int,
                               client_ids: list[str]) -> list[Message]:
    """The author's messages of the room sent with one of ``client_ids``, oldest first: a
    page whose socket ended for good asks which of its pending messages were saved."""
    return list(_messages(room).filter(author_id=author_id, client_id__in=client_ids)
                .order_by("pk"))


def messages_after(*, room: Room, after_id: int, chunk: int = 500) -> list[Message]:
    """Every message of the room after ``after_id``, oldest first (a reconnect replay)."""
    return list(_messages(room).filter(pk__gt=after_id).order_by("pk")[:chunk])


def corrections_after(*, room: Room, after_id: int, up_to_message_id: int,
                      chunk: int = 500) -> list[Correction]:
    """The room's corrections after id ``after_id`` on messages up to ``up_to_message_id``
    (later messages are replayed with theirs), oldest first: a reconnecting socket missed
    them. Hidden messages' corrections stay out (they quote the hidden text).

    Only the columns of ``protocol.correction_event`` are read: a message's text may be
    2 000 characters, and a room's worth of them is replayed per reconnect."""
    return list(
        Correction.objects.filter(
            message__room=room, message_id__lte=up_to_message_id, pk__gt=after_id,
            message__hidden_at__isnull=True,
        ).select_related("author", "message")
        .only("message", "author", "corrected", "created_at", "message__lang",
              "author__display_name", "author__email")
        .order_by("pk")[:chunk]
    )


def last_correction_id(*, room: Room) -> int | None:
    return (
        Correction.objects.filter(message__room=room).order_by("-pk")
        .values_list("pk", flat=True).first()
    )


def hidden_message_ids(*, room: Room, limit: int = 500) -> list[int]:
    """The room's most recently written messages that a moderator hid, so a socket that
    reconnects takes down the text it showed before the hiding (it missed the event)."""
    return list(
        Message.objects.filter(room=room, hidden_at__isnull=False)
        .order_by("-pk")
        .values_list("pk", flat=True)[:limit]
    )


def last_message_id(*, room: Room) -> int | None:
    return Message.objects.filter(room=room).order_by("-pk").values_list("pk", flat=True).first()


def message_with_author(message_id: int) -> Message:
    return (
        Message.objects.select_related("author")
        .prefetch_related("corrections__author")
        .get(pk=message_id)
    )


def member_may_write(*, room_id: int, user_id: int) -> bool:
    """Whether the user may write in the room now: a member (not a moderator) who is not
    muted. Only a hint's check (typing): sends check it again as they write."""
    return RoomMember.objects.filter(
        Q(muted_until__isnull=True) | Q(muted_until__lte=timezone.now()),
        room_id=room_id, user_id=user_id, role=RoomMember.Role.MEMBER,
    ).exists()
