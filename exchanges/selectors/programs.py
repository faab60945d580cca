from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from exchanges.models import (
    ClassroomExchange,
    Match,
    PeopleDay,
    Program,
    Role,
    Twinning,
)
from exchanges.selectors.roles import user_roles


def user_is_officer_of(*, user, program: Program) -> bool:
    # The roles are the request's (read once, remembered on the user): the page that
    # checks this, the service it calls and the header ask them alike.
    roles = user_roles(user=user)
    if roles.is_superuser:
        return True
    return roles.is_officer and program.officers.filter(pk=user.pk).exists()


def program_has_people(*, program: Program) -> bool:
    """Whether anyone has joined the program, been matched in it or brought a class."""
    return (
        program.participants.exists() or program.matches.exists()
        or program.classroom_exchanges.exists()
    )


def programs_for_officer(*, user) -> QuerySet[Program]:
    programs = Program.objects.all() if user.is_superuser else Program.objects.filter(
        officers=user, officers__groups__name=Role.OFFICER
    )
    # A program's participants as its page counts them (everyone up to today): the
    # people days of its figures, pupils of its classes' exchanges included, and those
    # who closed their account since, whom the past figures keep (metrics_kept.py).
    people = PeopleDay.objects.filter(program=OuterRef("pk")).order_by().values(
        "program").annotate(n=Sum("count")).values("n")
    return programs.annotate(
        twinning_count=Count("twinnings", distinct=True),
        participant_count=Coalesce(Subquery(people, output_field=IntegerField()), 0),
    ).order_by("-start_date")


def program_removal_reach(*, program: Program, keep) -> list[Twinning]:
    """The program's twinnings left out of ``keep`` (the edit form's choice) across which
    the program still has active matches or class exchanges (active or paused), each
    with ``going_matches`` and ``going_exchanges``. Removing a twinning ends none of them:
    the form says so before it saves."""
    going = (ClassroomExchange.Status.ACTIVE, ClassroomExchange.Status.PAUSED)
    removed = (
        Twinning.objects.filter(programs=program)
        .exclude(pk__in=[t.pk for t in keep])
        .select_related("city_a", "city_b")
        .annotate(
            going_matches=Count("matches", distinct=True, filter=Q(
                matches__program=program, matches__status=Match.Status.ACTIVE)),
            going_exchanges=Count("classroom_exchanges", distinct=True, filter=Q(
                classroom_exchanges__program=program, classroom_exchanges__status__in=going)),
        )
        .order_by("city_a__name", "city_b__name")
    )
    return [t for t in removed if t.going_matches or t.going_exchanges]


def program_removal_token(twinnings) -> str:
    """What the removal question's "yes" carries: the ids of the twinnings it named."""
    return ",".join(str(t.pk) for t in sorted(twinnings, key=lambda t: t.pk))
