"""Reads for the safe rooms of classroom exchanges: which rooms belong to an exchange,
who moderates a room, and the report counts officers see (counts, never content)."""

from django.db.models import Count, Q

from exchanges.models import (
    ClassroomExchange,
    Message,
    Report,
    Room,
    RoomMember,
)


def exchange_teacher_ids(exchange: ClassroomExchange) -> list[int]:
    return list(
        ClassroomExchange.objects.filter(pk=exchange.pk).values_list(
            "classroom_a__teacher_id", "classroom_b__teacher_id"
        )[0]
    )


def exchange_rooms(*, exchange: ClassroomExchange):
    """Every room of the exchange: its class room, and each pupils' room (a pair's or a
    trio's), its group still there or dissolved by a removal.

    By the exchange the room records, not by who is in it: the same two classes may meet
    again once this exchange has ended, with the same pupils, and a room of their next
    exchange is that exchange's. A room older than the record whose exchange could not
    be told (migration 0035) belongs to none.
    """
    return Room.objects.filter(Q(exchange=exchange) | Q(pupils_exchange=exchange))


def room_moderator_ids(*, room: Room) -> list[int]:
    return list(
        RoomMember.objects.filter(room=room, role=RoomMember.Role.MODERATOR).values_list(
            "user_id", flat=True
        )
    )


def room_membership(*, room: Room, user) -> RoomMember | None:
    return RoomMember.objects.filter(room=room, user_id=user.pk).first()


def room_pupil_members(*, room: Room) -> list[RoomMember]:
    """The members a moderator may mute (everyone but the moderators)."""
    return list(
        RoomMember.objects.filter(room=room, role=RoomMember.Role.MEMBER)
        .select_related("user")
        .order_by("user__display_name", "user_id")
    )


def in_exchange_rooms(exchanges) -> Q:
    """Reports made in the rooms of ``exchanges`` (a queryset of their pks): the class
    room, and each pupils' room (a pair's, a trio's) of the exchange's pupil groups, or
    of a group a removal dissolved (the room records its exchange).

    By the room, not by the author's class: a class in two exchanges (two programs)
    writes in each exchange's rooms, and each report counts in that exchange only.
    """
    return (Q(message__room__exchange__in=exchanges)
            | Q(message__room__pupil_group__pairing__exchange__in=exchanges)
            | Q(message__room__pupils_exchange__in=exchanges))


def report_counts(*, exchanges) -> dict[str, int]:
    """Open and resolved reports in the rooms of ``exchanges``: what an officer sees.

    Only pupils write in those rooms (teachers read), so they are the reports on pupils'
    messages of the exchanges' classes. Counts only: no message, no reporter, no pupil's
    name leaves this function. ``exchanges`` is a queryset or a list.
    """
    exchange_ids = ClassroomExchange.objects.filter(
        pk__in=[e.pk for e in exchanges] if isinstance(exchanges, list | tuple) else exchanges
    ).values("pk")
    counts = Report.objects.filter(
        in_exchange_rooms(exchange_ids), message__author__is_pupil=True
    ).aggregate(
        open=Count("pk", filter=Q(status=Report.Status.OPEN), distinct=True),
        resolved=Count("pk", filter=Q(status=Report.Status.RESOLVED), distinct=True),
    )
    return {"open": counts["open"], "resolved": counts["resolved"]}


def report_counts_for_officer(*, programs) -> dict[str, int]:
    """Report counts over the classroom exchanges of an officer's programs (by program,
    or, for an exchange of no program, inside one of the programs' twinnings: another
    program's exchange on a shared twinning counts for that program only)."""
    exchanges = ClassroomExchange.objects.filter(
        Q(program__in=programs) | Q(program__isnull=True, twinning__programs__in=programs)
    ).values("pk")
    return report_counts(exchanges=exchanges)


def room_open_reports(*, room: Room) -> list[Report]:
    """The room's open reports, for its moderators, oldest first."""
    return list(
        Report.objects.filter(message__room=room, status=Report.Status.OPEN)
        .select_related("reporter", "message__author")
        .order_by("created_at", "pk")
    )


def messages_reported_by(*, user, message_ids: list[int]) -> set[int]:
    """Which of these messages ``user`` reported (a second report is refused): their own
    reports only, whoever else reported a message is for its moderators to know."""
    return set(Report.objects.filter(reporter=user, message_id__in=message_ids)
               .values_list("message_id", flat=True))


def _teacher_open_reports(user):
    # By moderator membership, not by the room's exchange: a pupils' own room (a pair's,
    # a trio's) belongs to no exchange row, and its reports are the teachers' to handle.
    rooms = RoomMember.objects.filter(user_id=user.pk, role=RoomMember.Role.MODERATOR)
    return Report.objects.filter(message__room__in=rooms.values("room_id"),
                                 status=Report.Status.OPEN)


def open_reports_for_teacher(*, user, limit: int | None = None) -> list[Report]:
    """Open reports in every room ``user`` moderates, newest first (for the teacher's
    home page)."""
    reports = (
        _teacher_open_reports(user)
        .select_related("reporter", "message__author", "message__room")
        .order_by("-created_at", "-pk")
    )
    return list(reports[:limit] if limit is not None else reports)


def open_report_count_for_teacher(*, user) -> int:
    return _teacher_open_reports(user).count()


def moderated_room(*, room_id: int, user) -> Room | None:
    """The room, if ``user`` is a member of it (the services check the moderator role)."""
    return Room.objects.filter(pk=room_id, memberships__user_id=user.pk).first()


def moderated_message(*, room: Room, message_id: int) -> Message | None:
    return Message.objects.filter(room=room, pk=message_id).first()


def moderated_report(*, room: Room, report_id: int) -> Report | None:
    return Report.objects.filter(message__room=room, pk=report_id).first()
