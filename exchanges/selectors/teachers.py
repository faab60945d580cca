"""Reads about teachers: their standing, and the applications an officer may decide."""

from django.db.models import Case, QuerySet, Value, When

from exchanges.models import Program, Role, TeacherApplication, Twinning

# The officers' queue lists this many decided applications, the latest decisions first.
DECIDED_SHOWN = 50


def teacher_is_approved(*, user) -> bool:
    """Approval is membership of the teacher group (what approving an application adds)."""
    if user is None or not user.is_authenticated or user.is_pupil:
        return False
    return user.groups.filter(name=Role.TEACHER).exists()


def teacher_application_latest(*, user) -> TeacherApplication | None:
    if user is None or not user.is_authenticated:
        return None
    return (
        TeacherApplication.objects.select_related("city", "decided_by")
        .filter(user=user)
        .order_by("-created_at", "-pk")
        .first()
    )


def teacher_may_draft(*, user) -> bool:
    """Approved teachers and applicants waiting for a decision may draft classes."""
    if teacher_is_approved(user=user):
        return True
    return TeacherApplication.objects.filter(
        user=user, status=TeacherApplication.Status.PENDING
    ).exists()


def officer_city_ids(*, user) -> set[int] | None:
    """Cities of the twinnings in the officer's programs; None means every city
    (a superuser)."""
    if user.is_superuser:
        return None
    if not user.groups.filter(name=Role.OFFICER).exists():
        return set()
    twinnings = Twinning.objects.filter(
        programs__in=Program.objects.filter(officers=user)
    ).values_list("city_a_id", "city_b_id")
    return {city for pair in twinnings for city in pair}


def officer_covers_city(*, user, city_id: int) -> bool:
    cities = officer_city_ids(user=user)
    return cities is None or city_id in cities


def applications_for_officer(*, user, status: str | None = None) -> QuerySet[TeacherApplication]:
    """Applications from the officer's programs' cities (every city for a superuser)."""
    cities = officer_city_ids(user=user)
    queryset = TeacherApplication.objects.select_related("user", "city", "decided_by")
    if cities is not None:
        queryset = queryset.filter(city_id__in=cities)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by(
        # Pending first, oldest first: the queue is worked from the front.
        Case(When(status=TeacherApplication.Status.PENDING, then=Value(0)), default=Value(1)),
        "created_at",
    )


def applications_decided_for_officer(*, user) -> list[TeacherApplication]:
    """The latest ``DECIDED_SHOWN`` decisions on applications from the officer's programs'
    cities, newest first: what an officer just decided is on the page, however many were
    decided before."""
    return list(
        applications_for_officer(user=user)
        .exclude(status=TeacherApplication.Status.PENDING)
        .order_by("-decided_at", "-pk")[:DECIDED_SHOWN]
    )
