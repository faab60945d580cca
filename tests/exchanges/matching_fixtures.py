"""Data for the platform's matching tests: two twinned cities and complementary people."""

import datetime

from django.utils import timezone

from exchanges.models import Program, Twinning
from tests.factories import CityFactory, ParticipantFactory, ProgramFactory, TwinningFactory


def program_next_monday(twinnings: list[Twinning], kind=Program.Kind.TANDEM) -> Program:
    today = timezone.now().date()
    start = today + datetime.timedelta(days=7 - today.weekday())
    return ProgramFactory(twinnings=twinnings, kind=kind, start_date=start, weeks=4)


def coventry_dresden():
    coventry = CityFactory(name="Coventry", country="GB", tz="Europe/London", languages=["en"])
    dresden = CityFactory(name="Dresden", country="DE", tz="Europe/Berlin", languages=["de"])
    twinning = TwinningFactory(city_a=coventry, city_b=dresden)
    return coventry, dresden, twinning


def english_speaker(city, program, **kwargs):
    person = ParticipantFactory(city=city, speaks={"en": "native"}, learns={"de": "B1"}, **kwargs)
    person.programs.add(program)
    return person


def german_speaker(city, program, **kwargs):
    person = ParticipantFactory(city=city, speaks={"de": "native"}, learns={"en": "B2"}, **kwargs)
    person.programs.add(program)
    return person


def pair_program(**names):
    """A program next Monday over Coventry–Dresden with one person the engine pairs on
    each side (English native learning German, German native learning English):
    ``(program, english, german)``; ``names`` gives their display names."""
    coventry, dresden, twinning = coventry_dresden()
    program = program_next_monday([twinning])
    english = english_speaker(coventry, program, **_named(names.get("english")))
    german = german_speaker(dresden, program, **_named(names.get("german")))
    return program, english, german


def _named(name: str | None) -> dict:
    return {"user__display_name": name} if name else {}
