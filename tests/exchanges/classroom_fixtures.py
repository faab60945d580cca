"""Builders for the classroom tests: approved teachers, classes in Coventry and Dresden
with school hours that overlap (Tue and Thu), and pupils."""

import datetime as dt

from django.contrib.auth.models import Group
from django.utils import timezone

from exchanges.models import (
    Classroom,
    ClassroomExchange,
    ClassroomLanguage,
    Participant,
    Program,
    Role,
    SchoolHours,
    Twinning,
    User,
)
from exchanges.services.pupils import LoginCard, pupils_add
from tests.factories import CityFactory, ProgramFactory, TwinningFactory, UserFactory

PUPIL_BACKEND = "exchanges.auth_backends.PupilBackend"
T = dt.time.fromisoformat


def twin_cities():
    coventry = CityFactory(name="Coventry", country="GB", tz="Europe/London", languages=["en"])
    dresden = CityFactory(name="Dresden", country="DE", tz="Europe/Berlin", languages=["de"])
    twinning = Twinning.objects.filter(city_a=coventry, city_b=dresden).first() or (
        TwinningFactory(city_a=coventry, city_b=dresden)
    )
    return coventry, dresden, twinning


def teacher(approved: bool = True, **kwargs) -> User:
    user = UserFactory(**kwargs)
    if approved:
        user.groups.add(Group.objects.get_or_create(name=Role.TEACHER)[0])
    return user


def officer(**kwargs) -> User:
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(Group.objects.get_or_create(name=Role.OFFICER)[0])
    return user


def classroom(
    *, teacher_user: User, city, speaks="en", learns="de", hours=None, ages=(11, 12),
    size=24, name="7B",
) -> Classroom:
    today = timezone.localdate()
    room = Classroom.objects.create(
        teacher=teacher_user, city=city, school=f"School in {city.name}", name=name,
        age_min=ages[0], age_max=ages[1], size=size, term_start=today,
        term_end=today + dt.timedelta(days=90),
        join_code_expires_at=timezone.now() + dt.timedelta(days=14),
    )
    ClassroomLanguage.objects.create(classroom=room, code=speaks, level="native")
    ClassroomLanguage.objects.create(classroom=room, code=learns, level="A2", learning=True)
    for weekday, start, end in hours if hours is not None else []:
        SchoolHours.objects.create(classroom=room, weekday=weekday, start=T(start), end=T(end))
    return room


def partner_pair():
    """(coventry class, dresden class, twinning): Tue/Thu 14:00–15:15 London shared."""
    coventry, dresden, twinning = twin_cities()
    a = classroom(teacher_user=teacher(), city=coventry,
                  hours=[(1, "13:00", "15:15"), (3, "13:00", "15:15")])
    b = classroom(teacher_user=teacher(), city=dresden, speaks="de", learns="en", name="7c",
                  hours=[(1, "15:00", "17:00"), (3, "15:00", "17:00")])
    return a, b, twinning


def pupil(room: Classroom, name: str = "Amelia K.", password: str = "correct-horse-battery"):
    user = User(email=f"{name.replace(' ', '').replace('.', '').lower()}-{room.pk}@pupils.invalid",
                display_name=name, is_pupil=True)
    user.set_password(password)
    user.save()
    return Participant.objects.create(user=user, classroom=room, city=room.city, tz=room.city.tz,
                                      onboarded_at=timezone.now())


def pupils_added(room: Classroom, *names: str) -> list[LoginCard]:
    """The login cards of the pupils ``names`` whom ``room``'s teacher adds to it."""
    return pupils_add(classroom=room, by=room.teacher, names=list(names))


def auckland_los_angeles_exchange(weeks: int = 20) -> ClassroomExchange:
    """An active exchange of a class in Auckland (Tuesdays 08:00–12:00) and one in Los
    Angeles (Mondays 11:00–17:00: the same hours), in a classroom program of ``weeks``
    weeks that started a week ago."""
    auckland = CityFactory(name="Auckland", country="NZ", tz="Pacific/Auckland")
    los_angeles = CityFactory(name="Los Angeles", country="US", tz="America/Los_Angeles")
    twinning = TwinningFactory(city_a=auckland, city_b=los_angeles)
    a = classroom(teacher_user=teacher(), city=auckland, hours=[(1, "08:00", "12:00")])
    b = classroom(teacher_user=teacher(), city=los_angeles, speaks="de", learns="en",
                  name="7c", hours=[(0, "11:00", "17:00")])
    program = ProgramFactory(kind=Program.Kind.CLASSROOM, twinnings=[twinning],
                             start_date=timezone.localdate() - dt.timedelta(weeks=1),
                             weeks=weeks)
    return ClassroomExchange.objects.create(
        program=program, twinning=twinning, classroom_a=a, classroom_b=b,
        status=ClassroomExchange.Status.ACTIVE, activated_at=timezone.now(),
    )
