"""What the teacher's and the pupil's home pages list about their classes' exchanges."""

import datetime as dt

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges.models import (
    ClassroomExchange,
    Participant,
    PartnerRequest,
    PupilPairing,
    RoomMember,
    Session,
    Twinning,
)
from exchanges.selectors.classrooms import (
    LIVE_EXCHANGE,
    class_day,
    classrooms_for_teacher,
    partner_requests,
)
from exchanges.selectors.moderation import open_reports_for_teacher
from exchanges.selectors.retention import retention_deletion_date, retention_period
from exchanges.selectors.sessions import wall_clock
from exchanges.selectors.wall import PUPILS_STILL_READ, pupil_was_in

# How long the answers to a teacher's requests stay on their home page.
ANSWERS_SHOWN_FOR = dt.timedelta(days=30)


def _exchange_row(exchange: ClassroomExchange, *, teacher_id: int) -> dict:
    """One exchange on the home page: its state in words, and when (on the teacher's
    class's calendar) it ended and its pupils' data goes."""
    row = {"exchange": exchange, "room": getattr(exchange, "room", None),
           "ended": class_day(exchange.ended_at, exchange, teacher_id),
           "deletion": class_day(retention_deletion_date(exchange), exchange, teacher_id)}
    if exchange.status == ClassroomExchange.Status.PAUSED:
        twinning = exchange.twinning
        row["reason"] = (
            _("the twinning %(twinning)s is suspended since %(date)s")
            % {"twinning": twinning, "date": twinning.status_changed_display}
            if twinning.status == Twinning.Status.SUSPENDED and twinning.status_changed
            else _("the twinning %(twinning)s is not active") % {"twinning": twinning}
        )
    elif exchange.status == ClassroomExchange.Status.ENDED:
        if exchange.ended_reason == ClassroomExchange.EndedReason.TEACHER and exchange.ended_by:
            row["reason"] = _("ended by %(teacher)s") % {"teacher": exchange.ended_by.public_name}
        else:
            row["reason"] = exchange.get_ended_reason_display()
    return row


def teacher_exchanges(*, user, now: dt.datetime | None = None) -> list[dict]:
    """The exchanges of the teacher's classes that still have something to show: active,
    paused (its twinning suspended) and ended ones until their pupils' data is deleted."""
    now = now or timezone.now()
    mine = Q(classroom_a__teacher=user) | Q(classroom_b__teacher=user)
    shown = Q(status__in=[ClassroomExchange.Status.ACTIVE, ClassroomExchange.Status.PAUSED]) | Q(
        status=ClassroomExchange.Status.ENDED, ended_at__gt=now - retention_period()
    )
    exchanges = (
        ClassroomExchange.objects.filter(mine, shown)
        .select_related("classroom_a__city", "classroom_b__city", "twinning__city_a",
                        "twinning__city_b", "program", "room", "ended_by")
        .order_by("-pk")
    )
    rank = {ClassroomExchange.Status.ACTIVE: 0, ClassroomExchange.Status.PAUSED: 1}
    return [_exchange_row(exchange, teacher_id=user.pk) for exchange in
            sorted(exchanges, key=lambda exchange: rank.get(exchange.status, 2))]


def _in_my_class_zone(sessions, *, user) -> list[Session]:
    """Each session with its start in the zone of the teacher's own class of the exchange
    (``local_start``, naive) and that class's city (``local_city``), as the exchange's
    sessions page shows it."""
    shown = []
    for session in sessions:
        exchange = session.exchange
        mine = exchange.classroom_a if exchange.classroom_a.teacher_id == user.pk else (
            exchange.classroom_b
        )
        session.local_start = wall_clock(session.starts_at, mine.city.tz)
        session.local_city = mine.city.name
        shown.append(session)
    return shown


def teacher_home(*, user) -> dict:
    """Everything the teacher's home page lists, in a fixed number of queries."""
    classrooms = list(classrooms_for_teacher(user=user))
    rows = teacher_exchanges(user=user)
    live = [row["exchange"].pk for row in rows
            if row["exchange"].status != ClassroomExchange.Status.ENDED]
    pending = PartnerRequest.Status.PENDING
    return {
        "classrooms": classrooms,
        "requests_received": list(
            partner_requests().filter(to_classroom__teacher=user, status=pending)
        ),
        "requests_sent": list(
            partner_requests().filter(from_classroom__teacher=user, status=pending)
        ),
        # The other teacher's reply is read here in full (a notification holds 300 characters).
        "requests_answered": list(
            partner_requests().filter(
                from_classroom__teacher=user,
                status__in=[PartnerRequest.Status.ACCEPTED, PartnerRequest.Status.DECLINED],
                decided_at__gte=timezone.now() - ANSWERS_SHOWN_FOR,
            ).order_by("-decided_at")[:10]
        ),
        "exchanges": rows,
        "retention_days": retention_period().days,
        "upcoming_sessions": _in_my_class_zone(
            Session.objects.filter(
                exchange__in=live,
                status=Session.Status.SCHEDULED,
                starts_at__gte=timezone.now(),
            ).select_related("exchange__classroom_a__city", "exchange__classroom_b__city")[:10],
            user=user,
        ),
        "open_reports": open_reports_for_teacher(user=user, limit=20),
    }


def pupil_exchanges(*, participant: Participant) -> list[dict]:
    """The pupil's class's exchanges, as the pupil may see them: the partner class's
    name, school and city (never its pupils or teacher). An ended one stays while its
    wall and rooms can still be read, until its pupils' data goes; live ones first."""
    if participant.classroom_id is None:
        return []
    classroom_id = participant.classroom_id
    joined = participant.user.date_joined
    # A pupil who joined after an exchange ended was never in its class room: no link
    # that would answer 404.
    rooms_in = set(RoomMember.objects.filter(
        user_id=participant.user_id, room__exchange__isnull=False,
    ).values_list("room_id", flat=True))
    exchanges = list(
        ClassroomExchange.objects.filter(
            Q(classroom_a_id=classroom_id) | Q(classroom_b_id=classroom_id),
            Q(status__in=LIVE_EXCHANGE) | Q(status=ClassroomExchange.Status.ENDED),
            PUPILS_STILL_READ,
        ).select_related("classroom_a__city", "classroom_b__city", "room")
        .order_by(F("ended_at").desc(nulls_first=True), "pk")
    )
    final = set(PupilPairing.objects.filter(
        exchange__in=exchanges, status=PupilPairing.Status.CONFIRMED,
    ).values_list("exchange_id", flat=True))
    rows = []
    for exchange in exchanges:
        partner = exchange.classroom_b if exchange.classroom_a_id == classroom_id else (
            exchange.classroom_a
        )
        room = getattr(exchange, "room", None)
        rows.append({"exchange": exchange, "partner": partner,
                     "room": room if room is not None and room.pk in rooms_in else None,
                     # Nor to its wall, which answers 404 to them as well.
                     "wall": pupil_was_in(exchange=exchange, joined=joined),
                     "pairs_final": exchange.pk in final})
    return rows


def pupil_pairs_final(rows: list[dict]) -> bool:
    """The pupil's class has final pairs (``pupil_exchanges`` rows) and no live exchange
    whose pupils are still to pair: their interests choose no partner until another
    exchange (a pupil who joins later takes the smallest group, whatever they like)."""
    live = [row for row in rows if row["exchange"].status in LIVE_EXCHANGE]
    return any(row["pairs_final"] for row in rows) and all(row["pairs_final"] for row in live)
