"""Reads about classes: a teacher's own, their pupils, partner suggestions, requests and
exchanges, and what an officer may see (counts). The teacher's and the pupil's home
pages are read in ``class_homes``."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from exchanges.models import (
    Classroom,
    ClassroomExchange,
    Participant,
    PartnerRequest,
    Program,
    Role,
    Twinning,
)
from exchanges.pure.class_overlap import SchoolCalendar
from exchanges.pure.partner_classes import ClassRecord, Suggestion, suggest
from exchanges.pure.scheduling import Person, Window
from exchanges.selectors.retention import (
    in_class_zone,
    retention_deletion_date,
)
from exchanges.selectors.teachers import officer_city_ids

# A paused exchange (its twinning suspended) still binds the two classes.
LIVE_EXCHANGE = [
    ClassroomExchange.Status.PROPOSED,
    ClassroomExchange.Status.ACTIVE,
    ClassroomExchange.Status.PAUSED,
]
SUGGESTIONS_SHOWN = 20


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


def class_day(when: dt.datetime | None, exchange: ClassroomExchange,
               teacher_id: int) -> dt.date | None:
    """The day ``when`` falls on in the teacher's class's zone: a date, so the template
    does not turn it back into UTC's day."""
    return in_class_zone(when, exchange, teacher_id).date() if when else None


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
            "ended": class_day(exchange.ended_at, exchange, classroom.teacher_id),
            "deletion": class_day(retention_deletion_date(exchange), exchange,
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


def partner_requests():
    return PartnerRequest.objects.select_related(
        "from_classroom__city", "from_classroom__teacher", "to_classroom__city",
        "to_classroom__teacher",
    )


def partner_request_for_teacher(*, request_id: int, user) -> PartnerRequest | None:
    """A request one of the user's classes sent or received."""
    return (
        partner_requests()
        .filter(Q(from_classroom__teacher=user) | Q(to_classroom__teacher=user), pk=request_id)
        .first()
    )


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
