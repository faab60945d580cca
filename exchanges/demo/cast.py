"""The demo cast that a newcomer logs in as (development only)."""

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from exchanges.demo.classrooms import demo_classrooms_create
from exchanges.demo.population import (
    demo_classroom_program_ensure,
    demo_interests_ensure,
    demo_program_ensure,
)
from exchanges.models import (
    AvailabilityWindow,
    City,
    Match,
    Participant,
    ParticipantLanguage,
    Role,
    Session,
    Twinning,
    User,
)
from exchanges.services.matches import match_create_demo
from exchanges.services.slots import slot_confirm, slot_options, slot_propose


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    about: str


def _user(email: str, name: str, password: str, role: str, *, staff: bool = False) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"display_name": name})
    if created:
        user.set_password(password)
        user.is_staff = staff
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def _participant(user, city, speaks, learns, windows, interests) -> Participant:
    participant, created = Participant.objects.get_or_create(
        user=user,
        defaults={"city": city, "tz": city.tz, "birth_year": 1996, "onboarded_at": timezone.now(),
                  "bio": f"{user.display_name} from {city.name}."},
    )
    if created:
        for code, level in speaks.items():
            ParticipantLanguage.objects.create(participant=participant, code=code, level=level)
        for code, level in learns.items():
            ParticipantLanguage.objects.create(
                participant=participant, code=code, level=level, learning=True
            )
        for weekday, start, end in windows:
            AvailabilityWindow.objects.create(
                participant=participant, weekday=weekday,
                start=datetime.time.fromisoformat(start), end=datetime.time.fromisoformat(end),
            )
        by_name = {i.name: i for i in demo_interests_ensure()}
        participant.interests.set([by_name[name] for name in interests])
    return participant


def _schedule(match: Match, proposer: Participant, confirmer: Participant) -> None:
    """Alice proposes the most stable weekly slot and Bruno confirms it."""
    if Session.objects.filter(match=match).exists():
        return
    options = slot_options(match=match)
    if not options:
        return
    proposal = slot_propose(match=match, by=proposer, option=options[0])
    slot_confirm(proposal=proposal, by=confirmer)


@transaction.atomic
def demo_cast_create(*, password: str) -> list[DemoLogin]:
    coventry = City.objects.get(name="Coventry", country="GB")
    dresden = City.objects.get(name="Dresden", country="DE")
    twinning = Twinning.objects.get(city_a=coventry, city_b=dresden)
    program = demo_program_ensure()

    alice = _participant(
        _user("alice@demo.test", "Alice", password, Role.PARTICIPANT), coventry,
        {"en": "native"}, {"de": "B1"},
        [(0, "18:00", "21:00"), (2, "18:00", "21:00"), (3, "19:00", "21:30"),
         (5, "10:00", "13:00")],
        ["hiking", "jazz", "cooking"],
    )
    bruno = _participant(
        _user("bruno@demo.test", "Bruno", password, Role.PARTICIPANT), dresden,
        {"de": "native"}, {"en": "B2"},
        [(0, "19:00", "22:00"), (2, "19:30", "22:00"), (4, "18:00", "21:00"),
         (5, "11:00", "14:00")],
        ["hiking", "jazz", "photography"],
    )
    for participant in (alice, bruno):
        participant.programs.add(program)
    _user("teacher@demo.test", "Ms Teacher", password, Role.TEACHER)
    officer = _user("officer@demo.test", "Officer Olu", password, Role.OFFICER, staff=True)
    program.officers.add(officer)
    demo_classroom_program_ensure(twinning).officers.add(officer)
    classroom_logins = demo_classrooms_create(password=password)

    match = Match.objects.filter(
        program=program, participant_a=alice, participant_b=bruno
    ).first()
    if match is None:
        match = match_create_demo(program=program, twinning=twinning, a=alice, b=bruno)
    _schedule(match, alice, bruno)
    return [
        DemoLogin("alice@demo.test", "participant",
                  "Coventry, English native, learning German B1; active match with Bruno"),
        DemoLogin("bruno@demo.test", "participant",
                  "Dresden, German native, learning English B2; active match with Alice"),
        *(DemoLogin(*row) for row in classroom_logins),
        DemoLogin("officer@demo.test", "officer",
                  "runs the Twin Cities Tandem and Twin Cities Classrooms programs"),
    ]
