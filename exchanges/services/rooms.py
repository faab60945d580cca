"""Room lifecycle: open a room for a match or a classroom exchange, close it, block.

Side effects on connected sockets (closing them with 4410) happen after commit through
:mod:`exchanges.realtime.broadcast`, so they reach every server process.
"""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from exchanges.models import (
    Block,
    ClassroomExchange,
    Match,
    Participant,
    PupilGroup,
    Room,
    RoomMember,
)
from exchanges.realtime.broadcast import close_room_sockets
from exchanges.realtime.protocol import CLOSE_ROOM_CLOSED
from exchanges.selectors.twinning_rooms import CLOSES_WITH_ITS_REASON
from exchanges.services.notifications import notification_create
from exchanges.services.participants import pool_words
from exchanges.services.session_series import match_sessions_stop


def _ensure_members(room: Room, roles: dict[int, str]) -> None:
    """Add the missing members (idempotent; never demotes nor removes anyone)."""
    existing = set(RoomMember.objects.filter(room=room).values_list("user_id", flat=True))
    RoomMember.objects.bulk_create(
        [
            RoomMember(room=room, user_id=user_id, role=role)
            for user_id, role in roles.items()
            if user_id not in existing
        ],
        ignore_conflicts=True,  # a concurrent room_open may add the same member
    )


def _exchange_roles(exchange: ClassroomExchange) -> dict[int, str]:
    classrooms = [exchange.classroom_a_id, exchange.classroom_b_id]
    roles = {
        user_id: RoomMember.Role.MEMBER
        for user_id in Participant.objects.filter(classroom_id__in=classrooms).values_list(
            "user_id", flat=True
        )
    }
    # Teachers read and moderate their pupils' room.
    roles[exchange.classroom_a.teacher_id] = RoomMember.Role.MODERATOR
    roles[exchange.classroom_b.teacher_id] = RoomMember.Role.MODERATOR
    return roles


def _group_room(group: PupilGroup) -> tuple[Room, dict[int, str]]:
    """A pupil pair's or trio's room: the pupils, and both teachers as moderators."""
    group = PupilGroup.objects.select_for_update().get(pk=group.pk)
    members = list(group.members.select_related("user").order_by("pk"))
    title = " · ".join(member.user.public_name for member in members)[:200]
    exchange = ClassroomExchange.objects.select_related("classroom_a", "classroom_b").get(
        pupil_pairings__groups=group
    )
    if group.room_id is None:
        # The room says whose it is: the group may be dissolved while the room stays.
        room = Room.objects.create(title=title, pupils_exchange=exchange)
        group.room = room
        group.save(update_fields=["room"])
    elif group.room.title != title:
        # A pupil who joined the group later is named with the others.
        group.room.title = title
        group.room.save(update_fields=["title"])
    roles = {member.user_id: RoomMember.Role.MEMBER for member in members}
    roles[exchange.classroom_a.teacher_id] = RoomMember.Role.MODERATOR
    roles[exchange.classroom_b.teacher_id] = RoomMember.Role.MODERATOR
    return group.room, roles


def pupil_rooms_retitle_without(*, users) -> int:
    """Title the pupils' rooms (a pair's or a trio's) these pupils are in after the other
    pupils in them, or after the exchange once none is left: a room is titled with its
    pupils' names, and a child's name does not outlive the account. Call it before the
    accounts go. Returns how many rooms."""
    leaving = {user.pk for user in users}
    # Neither a match's nor a class exchange's: a pupils' group room, its group still
    # there or dissolved by a removal (the room stays, closed, with its history).
    rooms = list(Room.objects.filter(memberships__user_id__in=leaving, match__isnull=True,
                                     exchange__isnull=True).distinct().order_by("pk"))
    for room in rooms:
        staying = (RoomMember.objects.filter(room=room, role=RoomMember.Role.MEMBER)
                   .exclude(user_id__in=leaving).select_related("user")
                   .order_by("user__participant__pk"))
        title = " · ".join(member.user.public_name for member in staying)
        room.title = (title or _pupil_room_neutral_title(room))[:200]
        room.save(update_fields=["title"])
    return len(rooms)


def pupils_leave_rooms(*, rooms, users) -> int:
    """Take these pupils out of these rooms, which stay for their teachers (the
    moderators); returns how many memberships went."""
    deleted, _by_model = RoomMember.objects.filter(
        room__in=rooms, user__in=users, role=RoomMember.Role.MEMBER).delete()
    return deleted


def pupil_rooms_retitle_neutral(*, rooms, exchange: ClassroomExchange) -> int:
    """Title these pupils' rooms of the exchange after it, naming no pupil: its pupils'
    data goes at the retention deadline, the names of those who stay included. Returns
    how many rooms."""
    return rooms.filter(match__isnull=True, exchange__isnull=True).update(
        title=str(exchange)[:200])


def _pupil_room_neutral_title(room: Room) -> str:
    """The name of the room's exchange (its two classes): the one it records, its
    group's, or, for a room older than the record whose group a removal dissolved, the
    exchange of its pupils' classes (still members, leaving or not) that both of the
    room's teachers (its moderators) teach in. Blank if none."""
    exchanges = ClassroomExchange.objects.select_related("classroom_a", "classroom_b")
    exchange = (exchanges.filter(pupil_rooms=room).first()
                or exchanges.filter(pupil_pairings__groups__room=room).first())
    if exchange is None:
        classes = Participant.objects.filter(user__room_memberships__room=room).values(
            "classroom_id")
        teachers = RoomMember.objects.filter(
            room=room, role=RoomMember.Role.MODERATOR).values("user_id")
        exchange = (exchanges.filter(Q(classroom_a_id__in=classes)
                                     | Q(classroom_b_id__in=classes))
                    .filter(classroom_a__teacher_id__in=teachers,
                            classroom_b__teacher_id__in=teachers)
                    .order_by("-pk").first())
    return str(exchange) if exchange is not None else ""


@transaction.atomic
def room_open(
    *,
    match: Match | None = None,
    exchange: ClassroomExchange | None = None,
    group: PupilGroup | None = None,
) -> Room:
    """The room of a match, of a classroom exchange or of a pupil group, created once
    (idempotent).

    Calling it again returns the same room and adds members who joined since (a pupil
    who entered the class later).
    """
    if sum(x is not None for x in (match, exchange, group)) != 1:
        raise ValueError("room_open needs exactly one of match, exchange or group")
    if group is not None:
        room, roles = _group_room(group)
    elif match is not None:
        room, _ = Room.objects.get_or_create(
            match=match,
            # Partners see each other's public names, never an address (str() falls back
            # to the e-mail of an account without a display name).
            defaults={"title": f"{match.participant_a.user.public_name} ↔ "
                               f"{match.participant_b.user.public_name}"},
        )
        roles = {
            match.participant_a.user_id: RoomMember.Role.MEMBER,
            match.participant_b.user_id: RoomMember.Role.MEMBER,
        }
    else:
        room, _ = Room.objects.get_or_create(
            exchange=exchange,
            defaults={"title": f"{exchange.classroom_a} ↔ {exchange.classroom_b}"},
        )
        roles = _exchange_roles(exchange)
    _ensure_members(room, roles)
    return room


@transaction.atomic
def room_close(*, room: Room, reason: str, by_twinning: bool = False) -> Room:
    """Close the room and, after commit, every socket connected to it (code 4410).

    ``by_twinning`` is for its twinning's suspension or termination, which reactivation
    undoes. A room already closed keeps its first reason, except that one closed only by
    its twinning takes the reason of a close of its own (a teacher's, from a page opened
    before the suspension): it would be closed for that reason anyway, and reactivation
    leaves it closed whichever came first."""
    room = Room.objects.select_for_update().get(pk=room.pk)
    if room.status != Room.Status.CLOSED:
        room.status = Room.Status.CLOSED
        room.closed_at = timezone.now()
        room.closed_reason = reason[:200]
        room.closed_by_twinning = by_twinning
        room.save(update_fields=["status", "closed_at", "closed_reason", "closed_by_twinning"])
    elif room.closed_by_twinning and not by_twinning:
        room.closed_reason = reason[:200]
        room.closed_by_twinning = False
        room.save(update_fields=["closed_reason", "closed_by_twinning"])
    # Also when already closed: a socket that raced the first close is closed now.
    close_room_sockets(room_id=room.pk, code=CLOSE_ROOM_CLOSED)
    return room


@transaction.atomic
def block_create(*, blocker: Participant, blocked: Participant) -> Block:
    """``blocker`` blocks ``blocked``: their live matches end, their future sessions are
    cancelled and their rooms close.

    The Block row is what the matching adapter reads to never pair them again.
    Idempotent: blocking twice returns the first Block.
    """
    if blocker.pk == blocked.pk:
        raise ValueError("One cannot block oneself.")
    block, _ = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    pair = Q(participant_a=blocker, participant_b=blocked) | Q(
        participant_a=blocked, participant_b=blocker
    )
    now = timezone.now()
    live = Match.objects.select_for_update().filter(
        pair, status__in=[Match.Status.PROPOSED, Match.Status.ACTIVE]
    ).order_by("pk")
    partnership_ended = False
    for match in live:
        partnership_ended |= match.status == Match.Status.ACTIVE
        match.status = Match.Status.ENDED
        match.ended_reason = "blocked"
        match.ended_at = now
        match.save(update_fields=["status", "ended_reason", "ended_at"])
        # Nothing stays planned between them: no session, reminder, proposal or move.
        match_sessions_stop(match=match, now=now)
    if partnership_ended:
        # Their calendar changed: they are told so, as when a partner ends it (the room
        # already says that one of them blocked the other; nothing more is said).
        notification_create(
            user=blocked.user, kind="match.ended",
            message=pool_words(
                blocked,
                staying=gettext_noop("Your partnership with %(name)s has ended: your upcoming "
                                     "sessions are cancelled. You stay in the pool for the next "
                                     "run."),
                paused=gettext_noop("Your partnership with %(name)s has ended: your upcoming "
                                    "sessions are cancelled. New matches are paused for you: "
                                    "resume them on your dashboard when you are ready."),
                closed=gettext_noop("Your partnership with %(name)s has ended: your upcoming "
                                    "sessions are cancelled. No matching run can propose you a "
                                    "new partner for now: none of your programs is open for "
                                    "matching in your city.")),
            params={"name": blocker.user.public_name}, url=reverse("dashboard"),
        )
    # A room closed by its twinning's suspension takes this reason too (as match_end's).
    for room in Room.objects.filter(CLOSES_WITH_ITS_REASON,
                                    match__in=Match.objects.filter(pair)):
        room_close(room=room, reason="blocked")
    return block
