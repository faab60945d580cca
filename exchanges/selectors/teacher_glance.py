"""What a teacher's dashboard shows of their classes at a glance: counts and the next
class session, each a link to where it is handled (the classes page)."""

from django.db.models import Count, Q
from django.utils import timezone

from exchanges.models import (
    Classroom,
    ClassroomExchange,
    Participant,
    PartnerRequest,
    Session,
)
from exchanges.selectors.classrooms import LIVE_EXCHANGE
from exchanges.selectors.moderation import open_report_count_for_teacher
from exchanges.selectors.sessions import wall_clock


def teacher_glance(*, user) -> dict:
    """Counts over the teacher's own classes only, in a fixed number of queries."""
    mine = Q(classroom_a__teacher=user) | Q(classroom_b__teacher=user)
    live = ClassroomExchange.objects.filter(mine, status__in=LIVE_EXCHANGE)
    next_session = (
        Session.objects.filter(exchange__in=live.filter(status=ClassroomExchange.Status.ACTIVE),
                               status=Session.Status.SCHEDULED, starts_at__gte=timezone.now())
        .select_related("exchange__classroom_a__city", "exchange__classroom_b__city")
        .order_by("starts_at")
        .first()
    )
    # A pupil the teacher added has not joined until they first log in.
    pupils = Participant.objects.filter(classroom__teacher=user, user__is_pupil=True).aggregate(
        all=Count("pk"), signed_in=Count("pk", filter=Q(user__last_login__isnull=False)))
    glance = {
        "classes": Classroom.objects.filter(teacher=user).count(),
        "pupils": pupils["all"],
        "pupils_signed_in": pupils["signed_in"],
        "exchanges": live.count(),
        "requests_waiting": PartnerRequest.objects.filter(
            to_classroom__teacher=user, status=PartnerRequest.Status.PENDING
        ).count(),
        "open_reports": open_report_count_for_teacher(user=user),
        "next_session": None,
    }
    if next_session is not None:
        exchange = next_session.exchange
        own, other = (exchange.classroom_a, exchange.classroom_b)
        if own.teacher_id != user.pk:
            own, other = other, own
        glance["next_session"] = {
            "start": wall_clock(next_session.starts_at, own.city.tz),
            "city": own.city.name,
            "own": own.name,
            "other": other.name,
        }
    return glance
