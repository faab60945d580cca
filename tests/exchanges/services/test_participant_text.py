"""participant_update_profile refuses text the columns cannot hold, with a ValidationError,
never a database error (issue 11: "ⅷ" or "ﬃ" repeated 40 times as an interest)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exchanges.models import Interest
from exchanges.services.participants import (
    INTEREST_MAX_LENGTH,
    MAX_INTERESTS,
    LanguageInput,
    WindowInput,
    interest_key,
    participant_update_profile,
)
from tests.factories import ParticipantFactory, TwinningFactory

pytestmark = pytest.mark.django_db

LANGUAGES = [LanguageInput("en", "native", False), LanguageInput("de", "B1", True)]
WINDOWS = [WindowInput(0, datetime.time(18), datetime.time(20))]


@pytest.fixture
def newcomer():
    """A participant who has not saved a profile yet, and a city they may choose."""
    twinning = TwinningFactory()
    return ParticipantFactory(onboarded_at=None, city=None, bio=""), twinning.city_a


def update(participant, city, **overrides):
    values = {"participant": participant, "city": city, "birth_year": 1990,
              "languages": LANGUAGES, "interests": [], "windows": WINDOWS}
    return participant_update_profile(**{**values, **overrides})


@pytest.mark.parametrize(
    "name",
    [
        "ⅷ" * 40,  # 40 characters; slugify writes "viii" for each
        "ﬃ" * 40,  # slugify writes "ffi" for each
        "İ" * 40,  # lower() writes two characters for each
        "a" * (INTEREST_MAX_LENGTH + 1),
    ],
)
def test_an_interest_too_long_once_written_out_is_refused_and_nothing_is_written(
    newcomer, name
):
    participant, city = newcomer
    with pytest.raises(ValidationError) as caught:
        update(participant, city, interests=["chess", name], bio="Hello")
    assert "too long" in caught.value.message_dict["interests"][0]
    assert not Interest.objects.exists()
    participant.refresh_from_db()
    assert participant.onboarded_at is None and participant.bio == ""


def test_an_interest_that_fits_once_written_out_is_kept(newcomer):
    participant, city = newcomer
    update(participant, city, interests=["ⅷ" * 10, "ﬃ  Jazz"])
    assert sorted(participant.interests.values_list("slug", "name")) == [
        ("ffi-jazz", "ﬃ jazz"), ("viii" * 10, "ⅷ" * 10)
    ]


def test_interests_in_any_script_are_kept_and_shared(newcomer):
    """Japanese, Hebrew or Hindi interests are kept (slugify's ASCII spelling drops them);
    a Latin one keeps its ASCII slug, so "Café" and "cafe" stay one interest."""
    participant, city = newcomer
    update(participant, city, interests=["料理", "שחמט", "संगीत", "Café"])
    assert sorted(participant.interests.values_list("slug", flat=True)) == sorted(
        ["料理", "שחמט", "संगीत", "cafe"]
    )
    assert interest_key(" 料理 ") == ("料理", "料理")
    assert interest_key("CAFE")[1] == interest_key("café")[1] == "cafe"


def test_an_interest_without_a_slug_is_left_out(newcomer):
    participant, city = newcomer
    update(participant, city, interests=["?!", "chess"])
    assert list(participant.interests.values_list("slug", flat=True)) == ["chess"]


@pytest.mark.parametrize(
    ("overrides", "field", "said"),
    [
        ({"interests": ["ch\x00ess"]}, "interests", "Null characters"),
        ({"interests": [f"tag{i}" for i in range(MAX_INTERESTS + 1)]}, "interests", "at most"),
        ({"bio": "Hi\x00"}, "bio", "Null characters"),
        ({"bio": "x" * 1001}, "bio", "at most 1000"),
    ],
)
def test_text_the_database_cannot_hold_is_refused(newcomer, overrides, field, said):
    participant, city = newcomer
    with pytest.raises(ValidationError) as caught:
        update(participant, city, **overrides)
    assert said in caught.value.message_dict[field][0]
    participant.refresh_from_db()
    assert participant.onboarded_at is None


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=60), max_size=MAX_INTERESTS))
def test_any_interests_are_saved_within_the_columns_or_refused(newcomer, names):
    participant, city = newcomer
    try:
        with transaction.atomic():
            update(participant, city, interests=names)
    except ValidationError as refused:
        assert set(refused.message_dict) == {"interests"}
        return
    for name, slug in participant.interests.values_list("name", "slug"):
        assert 0 < len(slug) <= INTEREST_MAX_LENGTH and len(name) <= INTEREST_MAX_LENGTH
    assert participant.interests.count() == len(
        {key[1] for key in map(interest_key, names) if key}
    )


def test_a_bio_and_an_interest_lose_direction_overrides_and_an_invisible_interest_is_none(
    newcomer
):
    participant, city = newcomer
    update(participant, city, bio="I love \u202ezzaj\u202c!",
           interests=["\u202ezzaj", "\u200b\u200b", "échecs"])
    participant.refresh_from_db()
    assert participant.bio == "I love zzaj!"
    assert set(participant.interests.values_list("name", flat=True)) == {"zzaj", "échecs"}


@pytest.mark.parametrize("bio", ["مرحبا، أنا من القدس", "שלום, אני מחיפה", "नमस्ते!", "こんにちは"])
def test_a_bio_in_another_script_is_kept(newcomer, bio):
    participant, city = newcomer
    update(participant, city, bio=bio)
    participant.refresh_from_db()
    assert participant.bio == bio
