import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from exchanges.models import Participant, Twinning
from exchanges.services.participants import (
    LanguageInput,
    WindowInput,
    participant_matching_pause,
    participant_update_profile,
)
from tests.factories import ParticipantFactory, ProgramFactory, TwinningFactory

pytestmark = pytest.mark.django_db

LANGUAGES = [LanguageInput("en", "native", False), LanguageInput("de", "B1", True)]
WINDOWS = [WindowInput(0, datetime.time(18), datetime.time(20))]


def update(participant, city, **overrides):
    values = {"participant": participant, "city": city, "birth_year": 1990,
              "languages": LANGUAGES, "interests": ["Hiking", "hiking "], "windows": WINDOWS}
    return participant_update_profile(**{**values, **overrides})


def test_profile_is_replaced_whole_and_enrols_in_open_programs():
    twinning = TwinningFactory()
    program = ProgramFactory(twinnings=[twinning])
    participant = ParticipantFactory(onboarded_at=None, city=None)
    update(participant, twinning.city_a)
    assert participant.onboarded_at is not None
    assert participant.tz == twinning.city_a.tz
    assert list(participant.interests.values_list("slug", flat=True)) == ["hiking"]
    assert participant.availability.count() == 1
    assert list(participant.programs.all()) == [program]


def test_a_profile_joins_no_program_through_its_citys_suspended_twinning():
    # The program runs over the city's suspended twinning and another, active one
    # elsewhere; the city signs people up through its active twinning of a second
    # program. Only that second program is theirs until the first twinning is active
    # again (its reactivation enrols them), as a program's own enrolment counts them.
    suspended = TwinningFactory(status=Twinning.Status.SUSPENDED)
    city = suspended.city_a
    both = ProgramFactory(twinnings=[suspended, TwinningFactory()])
    other = ProgramFactory(twinnings=[TwinningFactory(city_a=city)])
    participant = ParticipantFactory(onboarded_at=None, city=None)
    update(participant, city)
    assert list(participant.programs.all()) == [other]
    assert not both.participants.exists()


def test_a_city_without_an_active_twinning_is_refused():
    twinning = TwinningFactory(status=Twinning.Status.SUSPENDED)
    participant = ParticipantFactory(onboarded_at=None, city=None)
    with pytest.raises(ValidationError) as caught:
        update(participant, twinning.city_a)
    assert "no active twinning" in str(caught.value)
    participant.refresh_from_db()
    assert participant.onboarded_at is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"birth_year": 2015}, "under 18"),
        ({"capacity": 4}, "between 1 and 3"),
        ({"languages": [LanguageInput("de", "B1", True)]}, "at least one language you speak"),
        ({"languages": [*LANGUAGES, LanguageInput("xx", "B1", True)]}, "Unknown language"),
        ({"windows": [*WINDOWS, WindowInput(0, datetime.time(19), datetime.time(21))]},
         "overlap"),
    ],
)
def test_bad_profiles_are_refused_and_nothing_is_written(overrides, message):
    twinning = TwinningFactory()
    participant = ParticipantFactory(onboarded_at=None, city=None)
    before = list(participant.languages.values_list("code", "level", "learning"))
    with pytest.raises(ValidationError, match=message):
        update(participant, twinning.city_a, **overrides)
    assert list(participant.languages.values_list("code", "level", "learning")) == before


def test_resuming_new_matches_starts_the_wait_for_a_partner_again_and_pausing_keeps_it():
    long_ago = timezone.now() - datetime.timedelta(days=90)
    person = ParticipantFactory(waiting_since=long_ago)
    participant_matching_pause(participant=person, paused=True)
    assert Participant.objects.get(pk=person.pk).waiting_since == long_ago
    participant_matching_pause(participant=person, paused=False)
    resumed = Participant.objects.get(pk=person.pk).waiting_since
    assert timezone.now() - resumed < datetime.timedelta(minutes=1)
    participant_matching_pause(participant=person, paused=False)  # a stale tab's resume
    assert Participant.objects.get(pk=person.pk).waiting_since == resumed
