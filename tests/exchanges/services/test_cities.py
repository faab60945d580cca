"""A city's region: validated against its country, set only by an officer concerned."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from exchanges.services.cities import city_region_set
from tests.exchanges.lifecycle_fixtures import make_officer
from tests.factories import CityFactory, ProgramFactory, TwinningFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def indianapolis():
    city = CityFactory(name="Indianapolis", country="US", tz="America/Indiana/Indianapolis")
    return city, make_officer(ProgramFactory(twinnings=[TwinningFactory(city_a=city)]))


def test_officer_sets_and_clears_the_region(indianapolis):
    city, officer = indianapolis
    assert city_region_set(city=city, by=officer, region="us-in").region == "US-IN"
    city.refresh_from_db()
    assert city.region == "US-IN"
    assert city_region_set(city=city, by=officer, region="").region == ""


@pytest.mark.parametrize("region", ["US-ZZ", "GB-COV", "Indiana"])
def test_a_code_that_is_not_a_subdivision_of_the_country_is_refused(indianapolis, region):
    city, officer = indianapolis
    with pytest.raises(ValidationError) as caught:
        city_region_set(city=city, by=officer, region=region)
    assert "region" in caught.value.message_dict
    city.refresh_from_db()
    assert city.region == ""


def test_an_officer_of_other_cities_and_a_participant_are_refused(indianapolis):
    city, _ = indianapolis
    for user in (make_officer(ProgramFactory(twinnings=[TwinningFactory()])), UserFactory()):
        with pytest.raises(PermissionDenied):
            city_region_set(city=city, by=user, region="US-IN")


def test_a_superuser_may_set_any_region(indianapolis):
    city, _ = indianapolis
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert city_region_set(city=city, by=admin, region="US-IN").region == "US-IN"
