"""Reads about classes: a teacher's own, their pupils, partner suggestions, requests and
exchanges, the teacher's home page, and what an officer may see (counts)."""

import datetime as dt

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges.models import (
    Classroom,
    ClassroomExchange,
    Participant,
    PartnerRequest,
    Program,
    Role,
    RoomMember,
    Session,
    Twinning,
)
from exchanges.pure.class_overlap import SchoolCalendar
from exchanges.pure.partner_classes import ClassRecord, Suggestion, suggest
from exchanges.pure.scheduling import Person, Window
from exchanges.selectors.moderation import open_reports_for_teacher
from exchanges.selectors.retention import (
    in_class_zone,
    retention_deletion_date,
    retention_period,
)
from exchanges.selectors.sessions import wall_clock
from exchanges.selectors.teachers import officer_city_ids

# A paused exchange (its twinning suspended) still binds the two classes.
LIVE_EXCHANGE = [
    ClassroomExchange.Status.PROPOSED,
    ClassroomExchange.Status.ACTIVE,
    ClassroomExchange.Status.PAUSED,
]
SUGGESTIONS_SHOWN = 20
# How long the answers to a teacher's requests stay on their home page.
ANSWERS_SHOWN_FOR = dt.timedelta(days=30)


def _with_details(queryset: QuerySet[Classroom]) -> QuerySet[Classroom]:
    return queryset.select_related("city", "teacher").prefetch_related(
        "languages", "hours", "holidays"
    )


def classrooms_for_teacher(*, user) -> QuerySet[Classroom]:
    return (
        _with_details(Classroom.objects.filter(teacher=user))
        .annotate(
            pupil_count=Count("pupils", distinct=True),
            # A pupil the teacher added has not joined until they first log in.
            signed_in_count=Count("pupils", distinct=True,
                                  filter=Q(pupils__user__last_login__isnull=False)),
        )
        .order_by("name")
    )


def classroom_for_teacher(*, classroom_id: int, user) -> Classroom | None:
    """The class if ``user`` is its teacher, else None (the view answers 404)."""
    return _with_details(Classroom.objects.filter(pk=classroom_id, teacher=user)).first()


def classroom_pupils(*, classroom: Classroom) -> QuerySet[Participant]:
    return (
        Participant.objects.filter(classroom=classroom, user__is_pupil=True)
        .select_related("user")
        .order_by(Lower("user__display_name"))
    )


def pupil_of_classroom(*, classroom: Classroom, pupil_id: int) -> Participant | None:
    return classroom_pupils(classroom=classroom).filter(pk=pupil_id).first()


def classroom_by_code(*, code: str) -> Classroom | None:
    code = (code or "").strip().upper().replace("-", "").replace(" ", "")
    if not code:
        return None
    return Classroom.objects.select_related("city", "teacher").filter(join_code=code).first()


def pupil_by_name(*, classroom: Classroom, display_name: str) -> Participant | None:
    return (
        classroom_pupils(classroom=classroom)
        .filter(user__display_name__iexact=" ".join(display_name.split()))
        .first()
    )


def active_twinning_between(*, city_a_id: int, city_b_id: int) -> Twinning | None:
    return Twinning.objects.filter(
        Q(city_a_id=city_a_id, city_b_id=city_b_id) | Q(city_a_id=city_b_id, city_b_id=city_a_id),
        status=Twinning.Status.ACTIVE,
    ).first()


def classroom_program_for(*, twinning: Twinning) -> Program | None:
    """The open classroom program covering the twinning, the most recent first."""
    return (
        Program.objects.filter(
            kind=Program.Kind.CLASSROOM, is_open=True, twinnings=twinning
        )
        .order_by("-start_date", "pk")
        .first()
    )


def classroom_is_in_use(*, classroom: Classroom) -> bool:
    """Pupils joined or an exchange exists: the class's city is then settled."""
    return (Participant.objects.filter(classroom=classroom).exists()
            or classroom_has_exchange(classroom=classroom))


def classroom_has_exchange(*, classroom: Classroom) -> bool:
    """A partner class shares this class's exchange history (rooms, wall, sessions)."""
    return ClassroomExchange.objects.filter(
        Q(classroom_a=classroom) | Q(classroom_b=classroom)
    ).exists()


def classroom_keeps_exchange(*, classroom: Classroom) -> bool:
    """An exchange of the class still holds what it shares with the partner class: it
    has not ended, or its pupils' data is not yet purged (the class then stays)."""
    return ClassroomExchange.objects.filter(
        Q(classroom_a=classroom) | Q(classroom_b=classroom)
    ).filter(
        ~Q(status=ClassroomExchange.Status.ENDED) | Q(retention__purged_at__isnull=True)
    ).exists()


def classroom_exchange_retention(*, classroom: Classroom) -> list[dict]:
    """For the class's delete page: each exchange it had, with its partner class and when
    its pupils' data goes (None while the exchange runs) or went."""
    rows = []
    for exchange in (
        ClassroomExchange.objects.filter(Q(classroom_a=classroom) | Q(classroom_b=classroom))
        .select_related("classroom_a__city", "classroom_b__city", "retention")
        .order_by("-pk")
    ):
        retention = getattr(exchange, "retention", None)
        rows.append({
            "exchange": exchange,
            "partner": exchange.partner_of(classroom),
            "ended": _class_day(exchange.ended_at, exchange, classroom.teacher_id),
            "deletion": _class_day(retention_deletion_date(exchange), exchange,
                                   classroom.teacher_id),
            "purged": retention is not None and retention.purged_at is not None,
        })
    return rows


def live_partner_classes(*, classroom: Classroom) -> list[Classroom]:
    """The classes that share a live exchange (proposed, active, paused) with this one."""
    return [
        exchange.partner_of(classroom)
        for exchange in ClassroomExchange.objects.filter(
            Q(classroom_a=classroom) | Q(classroom_b=classroom), status__in=LIVE_EXCHANGE,
        ).select_related("classroom_a", "classroom_b").order_by("pk")
    ]


def live_exchange_between(*, a: Classroom, b: Classroom) -> ClassroomExchange | None:
    return ClassroomExchange.objects.filter(
        Q(classroom_a=a, classroom_b=b) | Q(classroom_a=b, classroom_b=a),
        status__in=LIVE_EXCHANGE,
    ).first()


def class_record(classroom: Classroom) -> ClassRecord:
    """The plain record the ranking works on (prefetched languages, hours, holidays)."""
    languages = list(classroom.languages.all())
    hours = tuple(Window(h.weekday, h.start, h.end) for h in classroom.hours.all())
    calendar = None
    if hours and classroom.term_start and classroom.term_end:
        calendar = SchoolCalendar(
            person=Person(key=classroom.pk, name=classroom.city.name, zone=classroom.city.tz,
                          windows=hours),
            term_start=classroom.term_start,
            term_end=classroom.term_end,
            holidays=tuple((h.first_day, h.last_day) for h in classroom.holidays.all()),
        )
    return ClassRecord(
        key=classroom.pk, name=classroom.name, city_name=classroom.city.name,
        age_min=classroom.age_min, age_max=classroom.age_max, size=classroom.size,
        speaks=frozenset(lang.code for lang in languages if not lang.learning),
        learns=frozenset(lang.code for lang in languages if lang.learning),
        calendar=calendar,
    )


def partner_candidates(*, classroom: Classroom) -> list[Classroom]:
    """Classes of approved teachers in cities twinned with this class's city by an
    active twinning (never another class of the same teacher)."""
    twinned = Twinning.objects.filter(
        Q(city_a=classroom.city_id) | Q(city_b=classroom.city_id), status=Twinning.Status.ACTIVE
    ).values_list("city_a_id", "city_b_id")
    cities = {city for pair in twinned for city in pair} - {classroom.city_id}
    return list(
        _with_details(
            Classroom.objects.filter(city_id__in=cities, teacher__groups__name=Role.TEACHER)
            .exclude(teacher=classroom.teacher_id)
            .distinct()
        )
    )


def partner_suggestions(
    *, classroom: Classroom, today: dt.date | None = None
) -> list[tuple[Suggestion, Classroom, str]]:
    """(suggestion, class, state) best first; state is "" or "requested", "asked you",
    "partners" when a request or an exchange already links the two, "declined" when the
    class declined this one's request."""
    today = today or timezone.localdate()
    candidates = {c.pk: c for c in partner_candidates(classroom=classroom)}
    ranked = suggest(
        class_record(classroom), [class_record(c) for c in candidates.values()], today=today
    )[:SUGGESTIONS_SHOWN]
    # A class that declined this one's request is not asked again (a pending request or
    # a live exchange between them says more).
    states = dict.fromkeys(PartnerRequest.objects.filter(
        from_classroom=classroom, status=PartnerRequest.Status.DECLINED,
    ).values_list("to_classroom_id", flat=True), "declined")
    for request in PartnerRequest.objects.filter(
        Q(from_classroom=classroom) | Q(to_classroom=classroom),
        status=PartnerRequest.Status.PENDING,
    ):
        if request.from_classroom_id == classroom.pk:
            states[request.to_classroom_id] = "requested"
        else:
            states[request.from_classroom_id] = "asked you"
    for exchange in ClassroomExchange.objects.filter(
        Q(classroom_a=classroom) | Q(classroom_b=classroom), status__in=LIVE_EXCHANGE
    ):
        other = exchange.classroom_b_id if exchange.classroom_a_id == classroom.pk else (
            exchange.classroom_a_id
        )
        states[other] = "partners"
    return [(s, candidates[s.key], states.get(s.key, "")) for s in ranked]


def _requests():
    return PartnerRequest.objects.select_related(
        "from_classroom__city", "from_classroom__teacher", "to_classroom__city",
        "to_classroom__teacher",
    )


def partner_request_for_teacher(*, request_id: int, user) -> PartnerRequest | None:
    """A request one of the user's classes sent or received."""
    return (
        _requests()
        .filter(Q(from_classroom__teacher=user) | Q(to_classroom__teacher=user), pk=request_id)
        .first()
    )


def _class_day(when: dt.datetime | None, exchange: ClassroomExchange,
               teacher_id: int) -> dt.date | None:
    """The day ``when`` falls on in the teacher's class's zone: a date, so the template
    does not turn it back into UTC's day."""
    return in_class_zone(when, exchange, teacher_id).date() if when else None


def _exchange_row(exchange: ClassroomExchange, *, teacher_id: int) -> dict:
    """One exchange on the home page: its state in words, and when (on the teacher's
    class's calendar) it ended and its pupils' data goes."""
    row = {"exchange": exchange, "room": getattr(exchange, "room", None),
           "ended": _class_day(exchange.ended_at, exchange, teacher_id),
           "deletion": _class_day(retention_deletion_date(exchange), exchange, teacher_id)}
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
            _requests().filter(to_classroom__teacher=user, status=pending)
        ),
        "requests_sent": list(_requests().filter(from_classroom__teacher=user, status=pending)),
        # The other teacher's reply is read here in full (a notification holds 300 characters).
        "requests_answered": list(
            _requests().filter(
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
    # A pupil who joined after an exchange ended was never in its class room: no link
    # that would answer 404.
    rooms_in = set(RoomMember.objects.filter(
        user_id=participant.user_id, room__exchange__isnull=False,
    ).values_list("room_id", flat=True))
    rows = []
    for exchange in (
        ClassroomExchange.objects.filter(
            Q(classroom_a_id=classroom_id) | Q(classroom_b_id=classroom_id),
            Q(status__in=LIVE_EXCHANGE)
            | Q(status=ClassroomExchange.Status.ENDED, retention__purged_at__isnull=True),
        ).select_related("classroom_a__city", "classroom_b__city", "room")
        .order_by(F("ended_at").desc(nulls_first=True), "pk")
    ):
        partner = exchange.classroom_b if exchange.classroom_a_id == classroom_id else (
            exchange.classroom_a
        )
        room = getattr(exchange, "room", None)
        rows.append({"exchange": exchange, "partner": partner,
                     "room": room if room is not None and room.pk in rooms_in else None})
    return rows


def classroom_counts_for_officer(*, user) -> dict:
    """How many classes, pupils and exchanges there are in the officer's cities: counts
    only, never a class's or a pupil's name."""
    cities = officer_city_ids(user=user)
    classrooms = Classroom.objects.all()
    if cities is not None:
        classrooms = classrooms.filter(city_id__in=cities)
    return {
        "classes": classrooms.count(),
        "pupils": Participant.objects.filter(classroom__in=classrooms).count(),
        "exchanges": ClassroomExchange.objects.filter(
            Q(classroom_a__in=classrooms) | Q(classroom_b__in=classrooms),
            status=ClassroomExchange.Status.ACTIVE,
        ).count(),
    }
