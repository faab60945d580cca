"""Reads for rooms: the dashboard list, access checks, the room page."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import pgettext

from exchanges.models import Room, RoomMember
from exchanges.pure.keys import is_key
from exchanges.realtime.protocol import CLOSE_NO_ROOM, CLOSE_ROOM_CLOSED
from exchanges.selectors.chat import HISTORY_MAX_LIMIT, history_page, last_correction_id
from exchanges.selectors.moderation import messages_reported_by, room_open_reports
from exchanges.selectors.presence import presence_online
from exchanges.selectors.room_languages import room_language_choices
from exchanges.selectors.twinning_rooms import room_twinning_reason

PAGE_HISTORY = 50


# Every ended match keeps its room, closed: the dashboard shows the open rooms and the
# newest closed ones, and the rooms page has them all, a page at a time.
ROOMS_CLOSED_SHOWN = 5
ROOMS_PER_PAGE = 25


def _rooms_of(user_id: int) -> QuerySet[Room]:
    return (
        Room.objects.filter(memberships__user_id=user_id)
        .select_related("match", "exchange")
        .order_by("-status", "-created_at", "-pk")  # "open" > "closed": open rooms first
    )


def rooms_for_dashboard(*, participant) -> tuple[list[Room], bool]:
    """The open rooms and the newest closed ones; and whether older closed ones exist."""
    rooms = _rooms_of(participant.user_id)
    closed = list(rooms.filter(status=Room.Status.CLOSED)[:ROOMS_CLOSED_SHOWN + 1])
    shown = list(rooms.filter(status=Room.Status.OPEN)) + closed[:ROOMS_CLOSED_SHOWN]
    return shown, len(closed) > ROOMS_CLOSED_SHOWN


def rooms_page(*, user, number, per_page: int = ROOMS_PER_PAGE) -> Page:
    """One page of every room ``user`` is a member of, open ones first."""
    return Paginator(_rooms_of(user.pk), per_page).get_page(number)


@dataclass(frozen=True)
class RoomAccess:
    """Who may do what in a room: ``error`` is a close code when access is refused."""

    room: Room | None
    role: str | None
    error: int | None


def room_access(*, room_id: int, user) -> RoomAccess:
    """The room and the user's role in it, checked once when a socket connects.

    A room that does not exist and one the user is not a member of get the same
    answer (``CLOSE_NO_ROOM``, in one query either way), so that room ids cannot be
    enumerated by their close code.
    """
    # An id past any database integer is refused here: SQLite raises OverflowError on it.
    if not is_key(room_id):
        return RoomAccess(room=None, role=None, error=CLOSE_NO_ROOM)
    membership = (
        RoomMember.objects.filter(room_id=room_id, user_id=user.pk).select_related("room").first()
    )
    if membership is None:
        return RoomAccess(room=None, role=None, error=CLOSE_NO_ROOM)
    room = membership.room
    if not room.is_open:
        return RoomAccess(room=room, role=membership.role, error=CLOSE_ROOM_CLOSED)
    return RoomAccess(room=room, role=membership.role, error=None)


def room_for_member(*, room_id: int, user) -> Room | None:
    """The room, if ``user`` is one of its members."""
    return Room.objects.filter(pk=room_id, memberships__user_id=user.pk).first()


def room_roster(*, room: Room, user_id: int, now) -> tuple[list[dict], object, bool]:
    """The room's members as the socket lists them, when ``user_id``'s own mute ends
    (None when not muted at ``now``), and whether ``user_id`` is still a member of the
    room while it is open, in one query."""
    rows = (
        RoomMember.objects.filter(room=room)
        .select_related("user")
        .annotate(room_status=F("room__status"))
        .order_by("role", "user_id")
    )
    members, muted_until, admitted = [], None, False
    for m in rows:
        members.append({"id": m.user_id, "name": m.user.public_name, "role": m.role})
        if m.user_id == user_id:
            admitted = m.room_status == Room.Status.OPEN
            if m.muted_until is not None and m.muted_until > now:
                muted_until = m.muted_until
    return members, muted_until, admitted


def room_partner(*, room: Room, user):
    """The other participant of a match room (whom ``user`` could block), else None."""
    if room.match_id is None:
        return None
    match = (
        Room.objects.select_related("match__participant_a__user", "match__participant_b__user")
        .get(pk=room.pk)
        .match
    )
    mine = next((p for p in match.members if p.user_id == user.pk), None)
    return match.partner_of(mine) if mine is not None else None


def room_closed_reason(room: Room) -> str:
    """Why the room closed, for the reader: the platform's own reasons are stored as
    fixed words and said in the active language; a teacher's or officer's words as written."""
    known = {
        "blocked": pgettext("room closed reason", "one of you blocked the other"),
        "closed by a teacher": pgettext("room closed reason", "closed by a teacher"),
        "class exchange ended": pgettext("room closed reason", "the class exchange has ended"),
        "ended by a partner": pgettext("room closed reason",
                                       "one of you ended the partnership"),
        "partner missed 3 sessions": pgettext("room closed reason",
                                              "a partner missed 3 sessions in a row"),
        "partner left the class": pgettext("room closed reason", "a partner left their class"),
    }
    if room.closed_reason in known:
        return known[room.closed_reason]
    return room_twinning_reason(room) or room.closed_reason


def room_page(*, room: Room, user, before: int | None = None) -> dict:
    """What the room page renders: members, recent history (or the page of it before
    message ``before``: a closed room has no socket to load older messages), who is
    online, the partner."""
    memberships = list(RoomMember.objects.filter(room=room).select_related("user"))
    messages, has_more = history_page(room=room, before=before, limit=PAGE_HISTORY)
    partner = room_partner(room=room, user=user)
    mine = next((m for m in memberships if m.user_id == user.pk), None)
    moderator = RoomMember.Role.MODERATOR
    now = timezone.now()
    writes = room.is_open and mine is not None and mine.role != moderator
    return {
        # Safe rooms: teachers read (and moderate) without writing; pupils are told so.
        "is_moderator": mine is not None and mine.role == moderator,
        "watched_by_teachers": any(m.role == moderator for m in memberships),
        "mutable_members": [m for m in memberships if m.role != moderator],
        # A mute is between the teachers and the pupil: the others are not shown it.
        "muted_ids": {m.user_id for m in memberships if m.muted_until and m.muted_until > now
                      and mine is not None and mine.role == moderator},
        "open_reports": room_open_reports(room=room) if mine and mine.role == moderator else [],
        "room": room,
        "closed_reason": room_closed_reason(room),
        "memberships": memberships,
        # Not "messages": that name is Django's messages framework (the flash notices).
        "chat_messages": messages,
        # The viewer's reported messages say so rather than offer a report again.
        "reported_ids": messages_reported_by(user=user, message_ids=[m.pk for m in messages]),
        "has_more": has_more,
        "online": presence_online(room=room),
        "partner": partner,
        "history_limit": HISTORY_MAX_LIMIT,
        # What the composer offers to say a message is written in (exchanges.selectors
        # .room_languages): only to those who write.
        "room_languages": room_language_choices(room=room) if writes else [],
        "last_message_id": messages[-1].pk if messages else None,
        "older_page": before is not None,
        # The socket asks for the corrections after it, as for messages after the last.
        "last_correction_id": last_correction_id(room=room),
    }

