"""What people's history a row holds, counted by kind: a row that holds any is kept.

Deleting a program, a twinning, a match, a class exchange, a room, a session or a city
cascades (on_delete=CASCADE) through people's matches, sessions, conversations, pupil
pairs, walls, attendance and the past figures counted from them; the platform itself
never deletes these rows but ends, cancels or closes them. So the admin deletes only a
row that holds none (one created by mistake) and says what to do with the others
(exchanges/admin/deletion.py).
Each function returns the non-zero counts only: empty means nothing would be lost.
"""

import datetime as dt
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone

from exchanges.models import (
    ActiveDay,
    City,
    ClassroomExchange,
    LanguageDay,
    Match,
    MatchDay,
    Message,
    MessageDay,
    ParticipantSummary,
    PeopleDay,
    ProfileDay,
    Program,
    PupilPairing,
    RegisterPeopleDay,
    Room,
    RoomMessageDay,
    Session,
    SessionDay,
    SessionSummary,
    Twinning,
)

# The figures' tables with a program column, and those with a twinning column; kept rows
# (services/metrics_kept.py) are the only record left of people whose data was deleted.
PROGRAM_FIGURES = (SessionSummary, ParticipantSummary, RoomMessageDay, SessionDay, ActiveDay,
                   MessageDay, PeopleDay, ProfileDay, LanguageDay)
TWINNING_FIGURES = (SessionSummary, RoomMessageDay, SessionDay, ActiveDay, MessageDay,
                    RegisterPeopleDay)
CITY_FIGURES = {
    SessionSummary: ("city_a", "city_b"), ParticipantSummary: ("city",),
    SessionDay: ("city_a", "city_b"), ActiveDay: ("city", "partner_city"), PeopleDay: ("city",),
}


def _nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {kind: n for kind, n in counts.items() if n}


def program_history(*, program: Program) -> dict[str, int]:
    """The program's enrolled participants, matches, matching runs, class exchanges, their
    sessions, and the rows of its figures."""
    figures = sum(model.objects.filter(program_id=program.pk).count() for model in PROGRAM_FIGURES)
    # Match counts have no foreign key (triggers keep them): a count back at zero is none.
    figures += MatchDay.objects.filter(program_id=program.pk).exclude(count=0).count()
    return _nonzero({
        "participants": program.participants.count(),
        "matches": Match.objects.filter(program=program).count(),
        "match_runs": program.match_runs.count(),
        "class_exchanges": ClassroomExchange.objects.filter(program=program).count(),
        "sessions": Session.objects.filter(
            Q(match__program=program) | Q(exchange__program=program)).count(),
        "figures": figures,
    })


def twinning_history(*, twinning: Twinning) -> dict[str, int]:
    """The programs run over the twinning, its matches and class exchanges, its status
    history (the public register's) and the rows of its figures."""
    figures = sum(model.objects.filter(twinning_id=twinning.pk).count()
                  for model in TWINNING_FIGURES)
    figures += MatchDay.objects.filter(twinning_id=twinning.pk).exclude(count=0).count()
    return _nonzero({
        "programs": twinning.programs.count(),
        "matches": Match.objects.filter(twinning=twinning).count(),
        "class_exchanges": ClassroomExchange.objects.filter(twinning=twinning).count(),
        "status_changes": twinning.status_changes.count(),
        "figures": figures,
    })


def match_history(*, match: Match) -> dict[str, int]:
    """Every match is history: its two people were told of it, and matching never proposes
    a pair twice (selectors.matching.exclusions_among), which a deletion would undo. With
    them, its sessions and the messages of its room."""
    return _nonzero({
        "people": 2,
        "sessions": match.sessions.count(),
        "messages": Message.objects.filter(room__match=match).count(),
    })


def class_exchange_history(
    *, exchange: ClassroomExchange, now: dt.datetime | None = None
) -> dict[str, int]:
    """What both classes did in the exchange: the messages of its class room and of its
    pupils' rooms (their groups dissolved or not), its sessions held or still scheduled
    (as session_history: a cancelled future one is nobody's history), its pupil pairings
    and its wall's posts."""
    now = now or timezone.now()
    return _nonzero({
        "messages": Message.objects.filter(
            Q(room__exchange=exchange) | Q(room__pupil_group__pairing__exchange=exchange)
            | Q(room__pupils_exchange=exchange)  # a group a removal dissolved
        ).count(),
        "sessions": exchange.sessions.filter(
            Q(status=Session.Status.SCHEDULED) | Q(starts_at__lte=now)).count(),
        "pupil_pairings": PupilPairing.objects.filter(exchange=exchange).count(),
        "wall_posts": exchange.wall_posts.count(),
    })


def room_history(*, room: Room) -> dict[str, int]:
    """A room's messages, and whether it is open: its members meet there."""
    return _nonzero({
        "open": int(room.status == Room.Status.OPEN),
        "messages": room.messages.count(),
    })


def session_history(*, session: Session, now: dt.datetime | None = None) -> dict[str, int]:
    """A session's attendance, whether it has begun (held or missed, it counts in the
    figures) and whether it is still scheduled: it is in its people's calendars, which
    only a cancellation updates (the feed then says CANCELLED)."""
    now = now or timezone.now()
    return _nonzero({
        "attendances": session.attendances.count(),
        "begun": int(session.starts_at <= now),
        "scheduled": int(session.status == Session.Status.SCHEDULED),
    })


def city_history(*, city: City) -> dict[str, int]:
    """The rows of figures that count people of the city (the people, classes and
    twinnings themselves protect it already: on_delete=PROTECT)."""
    return _nonzero({"figures": sum(
        model.objects.filter(reduce(or_, (Q(**{f"{column}_id": city.pk}) for column in columns)))
        .count() for model, columns in CITY_FIGURES.items()
    )})
