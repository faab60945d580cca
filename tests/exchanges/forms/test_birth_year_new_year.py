"""Around New Year the age a year of birth gives is the one reached in the calendar year
where the person is, not in UTC's: at half past midnight on 1 January in Tokyo (still
31 December in UTC) someone born eighteen years before the new year may register; at
ten in the evening of 31 December in New York (1 January in UTC) they may not yet.
Before a city is chosen the viewer's zone (profile, else browser) says where they are;
once it is chosen, the city's."""

import datetime as dt

import pytest
from django.utils import timezone

from exchanges.forms.accounts import SignupExtraForm
from exchanges.forms.profile import ProfileForm
from exchanges.models import Twinning
from tests.factories import TwinningFactory

pytestmark = pytest.mark.django_db

BORN = 2027  # eighteen in 2045
TOKYO_NEW_YEAR = dt.datetime(2044, 12, 31, 15, 30, tzinfo=dt.UTC)  # 00:30 on 1 Jan in Tokyo
TOKYO_OLD_YEAR = dt.datetime(2044, 12, 31, 14, 30, tzinfo=dt.UTC)  # 23:30 on 31 Dec in Tokyo
NEW_YORK_OLD_YEAR = dt.datetime(2045, 1, 1, 3, 0, tzinfo=dt.UTC)  # 22:00 on 31 Dec in New York


def at(monkeypatch, now: dt.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: now)


def signup_refusal(zone: str) -> list[str]:
    with timezone.override(zone):
        form = SignupExtraForm(data={"display_name": "Aiko", "birth_year": str(BORN)})
        form.is_valid()
    return form.errors.get("birth_year", [])


def test_signup_in_tokyo_just_after_its_midnight_takes_the_new_year(monkeypatch):
    at(monkeypatch, TOKYO_NEW_YEAR)
    assert signup_refusal("Asia/Tokyo") == []
    with timezone.override("Asia/Tokyo"):
        assert SignupExtraForm().fields["birth_year"].max_value == 2045


def test_signup_in_tokyo_just_before_its_midnight_is_still_the_old_year(monkeypatch):
    at(monkeypatch, TOKYO_OLD_YEAR)
    assert signup_refusal("Asia/Tokyo")


def test_signup_in_new_york_on_its_new_years_eve_is_still_the_old_year(monkeypatch):
    at(monkeypatch, NEW_YORK_OLD_YEAR)
    assert signup_refusal("America/New_York")
    assert signup_refusal("UTC") == []  # already 2045 in UTC


@pytest.fixture
def tokyo_twinning():
    return TwinningFactory(
        city_a__name="Tokyo", city_a__country="JP", city_a__tz="Asia/Tokyo",
        status=Twinning.Status.ACTIVE,
    )


@pytest.mark.parametrize(("now", "refused"), [(TOKYO_NEW_YEAR, False), (TOKYO_OLD_YEAR, True)])
def test_the_profile_takes_the_year_in_the_chosen_citys_zone_not_the_viewers(
        monkeypatch, tokyo_twinning, now, refused):
    at(monkeypatch, now)
    with timezone.override("Europe/London"):  # the viewer's zone: their former city's
        form = ProfileForm(data={"city": tokyo_twinning.city_a.pk, "birth_year": str(BORN)})
        form.is_valid()
    assert bool(form.errors.get("birth_year")) is refused
