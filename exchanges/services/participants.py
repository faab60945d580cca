"""Writes to a participant's profile: creation at sign-up, onboarding edits, and pausing
new matches."""

import unicodedata
from dataclasses import dataclass
from datetime import time
from typing import TypeVar

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exchanges.models import (
    AvailabilityWindow,
    Block,
    BlockedAddress,
    City,
    Interest,
    Participant,
    ParticipantLanguage,
    Program,
    Role,
    Twinning,
)
from exchanges.models.people import Level
from exchanges.pure.address_digest import address_digests
from exchanges.pure.adult_age import is_adult
from exchanges.pure.interest_list import OFFERED
from exchanges.pure.languages import is_language_code, language_name
from exchanges.pure.text_safety import text_clean
from exchanges.pure.window_ends import end_minute, minute_of_day
from exchanges.selectors.dashboard import new_partners_proposable
from exchanges.selectors.twinnings import cities_with_active_twinning
from exchanges.services.metrics_participants import participant_summaries_refresh

INTEREST_MAX_LENGTH = Interest._meta.get_field("slug").max_length  # and name's
# Enough to describe anyone; more is a pasted list that would only inflate the tags.
MAX_INTERESTS = 20
# An offered interest's box stores its English name; a name typed with the same slug
# ("Hiking!!", "#hiking") is that interest, under the platform's word: interests are
# shared, and one person's spelling would otherwise name everyone's box.
OFFERED_BY_SLUG = {slugify(name): name for name in OFFERED}
BIO_MAX_LENGTH = Participant._meta.get_field("bio").max_length

T = TypeVar("T")  # a wording: a msgid, a Message or a sentence already translated


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


def participant_matching_pause(*, participant: Participant, paused: bool) -> Participant:
    """Leave the person out of the next matching runs, or take them back; the matches
    they have go on either way. Waiting for a partner counts from the resumption: the
    weeks away earn no priority over those who waited meanwhile."""
    if participant.matching_paused and not paused:
        participant.waiting_since = timezone.now()
    participant.matching_paused = paused
    participant.save(update_fields=["matching_paused", "waiting_since"])
    return participant


def pool_words(person: Participant, *, staying: T, paused: T, closed: T) -> T:
    """Of a notice's three wordings, the one true for ``person`` when a match of theirs
    ends: one who paused new matches is in no run's pool until they resume them, so is
    told that and where to resume; one whom no run can propose anyone now (their
    programs are closed, or not over an active twinning of their city) is told so, as
    their dashboard says; the others stay in the pool."""
    if person.matching_paused:
        return paused
    return staying if new_partners_proposable(participant=person) else closed


@transaction.atomic
def participant_create(*, user, birth_year: int | None = None) -> Participant:
    participant, _created = Participant.objects.get_or_create(
        user=user, defaults={"birth_year": birth_year}
    )
    group, _created = Group.objects.get_or_create(name=Role.PARTICIPANT)
    user.groups.add(group)
    _blocks_restore(participant)
    return participant


def _blocks_restore(participant: Participant) -> None:
    """Someone blocked before they deleted an account with this address: blocked again."""
    if not participant.user.email or participant.user.is_pupil:
        return
    blockers = BlockedAddress.objects.filter(
        digest__in=address_digests(participant.user.email)
    ).values_list("blocker_id", flat=True).distinct()
    Block.objects.bulk_create(
        [Block(blocker_id=blocker_id, blocked=participant) for blocker_id in blockers
         if blocker_id != participant.pk],
        ignore_conflicts=True,
    )


def _validate_city(city: City) -> None:
    if not cities_with_active_twinning().filter(pk=city.pk).exists():
        raise ValidationError({"city": _("This city has no active twinning on Jumelage yet.")})


def _validate_languages(languages: list[LanguageInput]) -> None:
    seen = set()
    for lang in languages:
        if not is_language_code(lang.code):
            raise ValidationError(
                {"languages": _("Unknown language code %(code)r.") % {"code": lang.code}}
            )
        if lang.level not in Level.values:
            raise ValidationError(
                {"languages": _("Unknown level %(level)r.") % {"level": lang.level}}
            )
        if lang.learning and lang.level == Level.NATIVE:
            raise ValidationError({"languages": _("A language you are learning cannot be native.")})
        if (lang.code, lang.learning) in seen:
            raise ValidationError(
                {"languages": _("%(code)s is listed twice.") % {"code": language_name(lang.code)}}
            )
        seen.add((lang.code, lang.learning))
    spoken = {lang.code for lang in languages if not lang.learning}
    learnt = {lang.code for lang in languages if lang.learning}
    if not spoken:
        raise ValidationError({"languages": _("Add at least one language you speak.")})
    if spoken & learnt:
        # Named as the reader's language names them (the form's list shows names, not codes).
        both = _(", ").join(sorted(language_name(code) for code in spoken & learnt))
        both = both[:1].upper() + both[1:]  # it opens the sentence ("anglais" in French)
        raise ValidationError(
            {"languages": _("%(codes)s: either you speak it or you learn it.") % {"codes": both}}
        )


def _validate_windows(windows: list[WindowInput]) -> None:
    by_day: dict[int, list[WindowInput]] = {}
    for window in windows:
        # An end of 00:00 is the midnight that closes the day.
        if end_minute(window.end) <= minute_of_day(window.start):
            raise ValidationError({"availability": _("Each window must end after it starts.")})
        by_day.setdefault(window.weekday, []).append(window)
    for day_windows in by_day.values():
        day_windows.sort(key=lambda w: w.start)
        for earlier, later in zip(day_windows, day_windows[1:], strict=False):
            if minute_of_day(later.start) < end_minute(earlier.end):
                raise ValidationError({"availability": _("Two windows overlap on the same day.")})


def _validate_bio(bio: str) -> None:
    if len(bio) > BIO_MAX_LENGTH:
        raise ValidationError(
            {"bio": _("A bio has at most %(count)d characters.") % {"count": BIO_MAX_LENGTH}}
        )
    if "\x00" in bio:  # PostgreSQL text cannot hold it
        raise ValidationError({"bio": _("Null characters are not allowed.")})


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
    if not is_adult(birth_year, zone=city.tz) and participant.classroom_id is None:
        raise ValidationError(
            {"birth_year": _("People under 18 join through their teacher's class.")}
        )
    if not 1 <= capacity <= 3:
        raise ValidationError({"capacity": _("Choose between 1 and 3 partners.")})
    if city.pk != participant.city_id:
        # A person keeps the city they have when its twinning is suspended (a pause);
        # only a move needs an active twinning.
        _validate_city(city)
    _validate_languages(languages)
    _validate_windows(windows)
    _validate_bio(bio)
    interest_keys = _interest_keys(interests)

    participant.city = city
    participant.tz = city.tz
    participant.birth_year = birth_year
    participant.bio = text_clean(bio)  # partners read it: no direction overrides
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
    participant.interests.set(_interests_get_or_create(interest_keys))
    _enrol_in_open_programs(participant)
    # The officers' figures count people by city, birth year and language learned.
    # By program, as the beat's refreshes go (metrics.metrics_lock).
    for program_id in participant.programs.order_by("pk").values_list("pk", flat=True):
        participant_summaries_refresh(program_id=program_id, participant_ids=[participant.pk])
    return participant


def interest_key(name: str) -> tuple[str, str] | None:
    """The (name, slug) an interest is stored under, or None when the name has no slug
    (only punctuation or symbols).

    Both are measured after normalisation, which can lengthen text: slugify spells "ⅷ"
    as "viii" and "ﬃ" as "ffi", and lower() turns "İ" into two characters. A name too
    long for the columns is a ValidationError, never a database error.
    """
    if "\x00" in name:  # slugify drops it, PostgreSQL text refuses it
        raise ValidationError({"interests": _("Null characters are not allowed.")})
    # Shown on profiles: no direction overrides; one made of invisible characters is none.
    clean = " ".join(text_clean(name).split()).lower()
    # ASCII first, so "Café" keeps the slug "cafe" it always had; a name in a script that
    # has no ASCII spelling (料理, שחמט, संगीत) keeps its own letters.
    slug = slugify(clean) or _letters_slug(clean)
    if not slug:
        return None
    clean = OFFERED_BY_SLUG.get(slug, clean)
    if len(clean) > INTEREST_MAX_LENGTH or len(slug) > INTEREST_MAX_LENGTH:
        shown = clean if len(clean) <= 20 else clean[:20] + "…"
        raise ValidationError(
            {"interests": _("“%(interest)s” is too long: an interest has at most %(count)d "
                            "characters, written out.")
                          % {"interest": shown, "count": INTEREST_MAX_LENGTH}}
        )
    return clean, slug


def _letters_slug(text: str) -> str:
    """Letters, marks and digits of any script, runs of anything else as one hyphen
    (slugify's unicode spelling drops the vowel signs of Devanagari: संगीत → सगत)."""
    kept = "".join(
        ch if unicodedata.category(ch)[0] in "LMN" else " "
        for ch in unicodedata.normalize("NFKC", text)
    )
    return "-".join(kept.split())


def _interest_keys(names: list[str]) -> list[tuple[str, str]]:
    if len(names) > MAX_INTERESTS:
        raise ValidationError({"interests": ngettext("List at most %(count)d interest.",
                                                "List at most %(count)d interests.",
                                                MAX_INTERESTS) % {"count": MAX_INTERESTS}})
    return [key for key in map(interest_key, names) if key is not None]


def _interests_get_or_create(keys: list[tuple[str, str]]) -> list[Interest]:
    interests = []
    for clean, slug in keys:
        interest, _created = Interest.objects.get_or_create(slug=slug, defaults={"name": clean})
        if slug in OFFERED_BY_SLUG and interest.name != clean:
            # Stored before offered names were kept: someone's variant took the word.
            Interest.objects.filter(pk=interest.pk).update(name=clean)
            interest.name = clean
        interests.append(interest)
    return interests


def _enrol_in_open_programs(participant: Participant) -> None:
    """Join every open, non-classroom program whose active twinnings include the city."""
    # One filter: the active twinning and the city's twinning are the same one (in two
    # filters, any active twinning of the program would let a suspended one through).
    programs = Program.objects.filter(
        Q(twinnings__city_a=participant.city) | Q(twinnings__city_b=participant.city),
        is_open=True, twinnings__status=Twinning.Status.ACTIVE,
    ).exclude(kind=Program.Kind.CLASSROOM)
    participant.programs.add(*programs.distinct())
