"""participant_update_profile counts a person's age in the calendar year of their city's
zone: around New Year, Tokyo and New York are a year apart from UTC for some hours."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from exchanges.models import Twinning
from tests.exchanges.services.test_participants import update
from tests.factories import ParticipantFactory, TwinningFactory

pytestmark = pytest.mark.django_db

BORN = 2027  # eighteen in 2045
TOKYO_NEW_YEAR = dt.datetime(2044, 12, 31, 15, 30, tzinfo=dt.UTC)  # 00:30 on 1 Jan in Tokyo
TOKYO_OLD_YEAR = dt.datetime(2044, 12, 31, 14, 30, tzinfo=dt.UTC)  # 23:30 on 31 Dec in Tokyo
NEW_YORK_OLD_YEAR = dt.datetime(2045, 1, 1, 3, 0, tzinfo=dt.UTC)  # 22:00 on 31 Dec in New York


def city_in(zone: str, country: str):
    return TwinningFactory(
        city_a__name=zone.split("/")[1], city_a__country=country, city_a__tz=zone,
        status=Twinning.Status.ACTIVE,
    ).city_a


def test_just_after_midnight_on_new_years_day_in_tokyo_the_new_year_counts(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: TOKYO_NEW_YEAR)
    participant = ParticipantFactory(onboarded_at=None, city=None)
    with timezone.override("UTC"):  # whoever calls: the city's zone decides
        update(participant, city_in("Asia/Tokyo", "JP"), birth_year=BORN)
    participant.refresh_from_db()
    assert participant.birth_year == BORN


def test_just_before_midnight_in_tokyo_the_old_year_still_counts(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: TOKYO_OLD_YEAR)
    participant = ParticipantFactory(onboarded_at=None, city=None)
    with pytest.raises(ValidationError, match="under 18"):
        update(participant, city_in("Asia/Tokyo", "JP"), birth_year=BORN)


def test_on_new_years_eve_in_new_york_the_old_year_still_counts(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NEW_YORK_OLD_YEAR)  # 2045 in UTC already
    participant = ParticipantFactory(onboarded_at=None, city=None)
    with pytest.raises(ValidationError, match="under 18"):
        update(participant, city_in("America/New_York", "US"), birth_year=BORN)
    participant.refresh_from_db()
    assert participant.birth_year != BORN
