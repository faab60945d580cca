"""What people did before a journey starts, run inside the live platform's database by
``live_platform.call(name, **kwargs)`` (tests/journeys/conftest.py): each function builds
through the services where one exists and returns JSON.

Everyone signs in with ``PASSWORD`` on the real login page; adults' addresses are verified,
as allauth requires before a login.
"""

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from exchanges.models import City, Program, Role, Twinning, User
from exchanges.services.participants import (
    LanguageInput,
    WindowInput,
    participant_create,
    participant_update_profile,
)
from exchanges.services.roles import roles_ensure

PASSWORD = "a-long-and-unusual-passphrase"
T = dt.time.fromisoformat


def _adult(email: str, name: str, *roles: str, **extra) -> User:
    roles_ensure()
    user = User.objects.create_user(email, PASSWORD, display_name=name, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    return user


def _coventry_dresden() -> tuple[City, City, Twinning]:
    coventry = City.objects.get(name="Coventry", country="GB")
    dresden = City.objects.get(name="Dresden", country="DE")
    twinning = Twinning.objects.get(city_a__in=[coventry, dresden], city_b__in=[coventry, dresden])
    return coventry, dresden, twinning


def tandem_program() -> dict:
    """An officer's open tandem program over Coventry–Dresden, starting today for 12 weeks,
    and Bruno in Dresden already in its pool: German native learning English, free on
    Monday and Wednesday evenings (Berlin time)."""
    coventry, dresden, twinning = _coventry_dresden()
    officer = _adult("officer@journeys.test", "Olivia", Role.OFFICER, is_staff=True)
    program = Program.objects.create(
        name="Twin Cities Tandem", slug="twin-cities-tandem", kind=Program.Kind.TANDEM,
        start_date=timezone.localdate(), weeks=12, session_minutes=60,
    )
    program.twinnings.add(twinning)
    program.officers.add(officer)
    bruno = _adult("bruno@journeys.test", "Bruno")
    participant = participant_create(user=bruno, birth_year=1995)
    participant_update_profile(
        participant=participant, city=dresden, birth_year=1995, bio="Hallo aus Dresden",
        capacity=1,
        languages=[LanguageInput("de", "native", False), LanguageInput("en", "B2", True)],
        interests=["hiking", "jazz"],
        windows=[WindowInput(0, T("19:00"), T("21:30")), WindowInput(2, T("19:00"), T("21:30"))],
    )
    return {"program": program.slug, "officer": officer.email, "partner": bruno.email,
            "twinning": twinning.pk}


def session_starts(*, match_partner_email: str) -> list[str]:
    """The confirmed sessions of the match of the person with this address (UTC, ISO)."""
    from exchanges.models import Session

    sessions = Session.objects.filter(
        match__participant_a__user__email=match_partner_email
    ) | Session.objects.filter(match__participant_b__user__email=match_partner_email)
    return [s.starts_at.astimezone(dt.UTC).isoformat() for s in sessions.order_by("starts_at")]
