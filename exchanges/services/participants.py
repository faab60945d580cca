"""Writes to a participant's profile: creation at sign-up and onboarding edits."""

from dataclasses import dataclass
from datetime import time

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from exchanges.models import (
    AvailabilityWindow,
    City,
    Interest,
    Participant,
    ParticipantLanguage,
    Program,
    Role,
    Twinning,
)
from exchanges.models.people import ADULT_AGE, Level
from exchanges.pure.languages import is_language_code
from exchanges.selectors.twinnings import cities_with_active_twinning


@dataclass(frozen=True)
class LanguageInput:
    code: str
    level: str
    learning: bool


@dataclass(frozen=True)
class WindowInput:
    weekday: int
    start: time
    end: time


@transaction.atomic
def participant_create(*, user, birth_year: int | None = None) -> Participant:
    participant, _ = Participant.objects.get_or_create(
        user=user, defaults={"birth_year": birth_year}
    )
    group, _ = Group.objects.get_or_create(name=Role.PARTICIPANT)
    user.groups.add(group)
    return participant


def _validate_city(city: City) -> None:
    if not cities_with_active_twinning().filter(pk=city.pk).exists():
        raise ValidationError({"city": "This city has no active twinning on Jumelage yet."})


def _validate_languages(languages: list[LanguageInput]) -> None:
    seen = set()
    for lang in languages:
        if not is_language_code(lang.code):
            raise ValidationError({"languages": f"Unknown language code {lang.code!r}."})
        if lang.level not in Level.values:
            raise ValidationError({"languages": f"Unknown level {lang.level!r}."})
        if lang.learning and lang.level == Level.NATIVE:
            raise ValidationError({"languages": "A language you are learning cannot be native."})
        if (lang.code, lang.learning) in seen:
            raise ValidationError({"languages": f"{lang.code} is listed twice."})
        seen.add((lang.code, lang.learning))
    spoken = {lang.code for lang in languages if not lang.learning}
    learnt = {lang.code for lang in languages if lang.learning}
    if not spoken:
        raise ValidationError({"languages": "Add at least one language you speak."})
    if spoken & learnt:
        both = ", ".join(sorted(spoken & learnt))
        raise ValidationError({"languages": f"{both}: either you speak it or you learn it."})


def _validate_windows(windows: list[WindowInput]) -> None:
    by_day: dict[int, list[WindowInput]] = {}
    for window in windows:
        if window.end <= window.start:
            raise ValidationError({"availability": "Each window must end after it starts."})
        by_day.setdefault(window.weekday, []).append(window)
    for day_windows in by_day.values():
        day_windows.sort(key=lambda w: w.start)
        for earlier, later in zip(day_windows, day_windows[1:], strict=False):
            if later.start < earlier.end:
                raise ValidationError({"availability": "Two windows overlap on the same day."})


@transaction.atomic
def participant_update_profile(
    *,
    participant: Participant,
    city: City,
    birth_year: int,
    bio: str = "",
    capacity: int = 1,
    languages: list[LanguageInput],
    interests: list[str],
    windows: list[WindowInput],
) -> Participant:
    """Replace the whole profile at once; the first complete save ends onboarding."""
    if timezone.now().year - birth_year < ADULT_AGE and participant.classroom_id is None:
        raise ValidationError(
            {"birth_year": "People under 18 join through their teacher's class."}
        )
    if not 1 <= capacity <= 3:
        raise ValidationError({"capacity": "Choose between 1 and 3 partners."})
    _validate_city(city)
    _validate_languages(languages)
    _validate_windows(windows)

    participant.city = city
    participant.tz = city.tz
    participant.birth_year = birth_year
    participant.bio = bio.strip()
    participant.capacity = capacity
    if participant.onboarded_at is None:
        participant.onboarded_at = timezone.now()
    participant.save()

    participant.languages.all().delete()
    ParticipantLanguage.objects.bulk_create(
        ParticipantLanguage(participant=participant, code=lang.code, level=lang.level,
                            learning=lang.learning)
        for lang in languages
    )
    participant.availability.all().delete()
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(participant=participant, weekday=w.weekday, start=w.start, end=w.end)
        for w in windows
    )
    participant.interests.set(_interests_get_or_create(interests))
    _enrol_in_open_programs(participant)
    return participant


def _interests_get_or_create(names: list[str]) -> list[Interest]:
    result = []
    for name in names:
        clean = " ".join(name.split())[:40]
        slug = slugify(clean)
        if not slug:
            continue
        interest, _ = Interest.objects.get_or_create(slug=slug, defaults={"name": clean.lower()})
        result.append(interest)
    return result


def _enrol_in_open_programs(participant: Participant) -> None:
    """Join every open, non-classroom program whose active twinnings include the city."""
    programs = Program.objects.filter(
        is_open=True,
        twinnings__status=Twinning.Status.ACTIVE,
    ).exclude(kind=Program.Kind.CLASSROOM)
    programs = programs.filter(twinnings__city_a=participant.city) | programs.filter(
        twinnings__city_b=participant.city
    )
    participant.programs.add(*programs.distinct())
