"""A city's region: validated against its country, set only by an officer concerned."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext

from exchanges.models import AuditEvent, City
from exchanges.services.cities import city_region_set, twinning_regions_set
from tests.exchanges.lifecycle_fixtures import make_officer
from tests.factories import CityFactory, ProgramFactory, TwinningFactory, UserFactory
from tests.i18n.extract_common import ROOT
from tests.i18n.extract_python import python_messages

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


def test_the_refusal_is_said_in_the_readers_language(indianapolis):
    msgid = "%(region)s is not a subdivision of %(country)s."
    marked = {m.msgid for m in python_messages(ROOT / "exchanges" / "models" / "places.py")}
    assert msgid in marked
    city, officer = indianapolis
    with translation.override("fr"):
        with pytest.raises(ValidationError) as caught:
            city_region_set(city=city, by=officer, region="GB-COV")
        expected = gettext(msgid) % {"region": "GB-COV", "country": "US"}
    assert caught.value.message_dict["region"] == [expected]


def test_an_officer_of_other_cities_and_a_participant_are_refused(indianapolis):
    city, _ = indianapolis
    for user in (make_officer(ProgramFactory(twinnings=[TwinningFactory()])), UserFactory()):
        with pytest.raises(PermissionDenied):
            city_region_set(city=city, by=user, region="US-IN")


def test_a_superuser_may_set_any_region(indianapolis):
    city, _ = indianapolis
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert city_region_set(city=city, by=admin, region="US-IN").region == "US-IN"


@pytest.fixture
def indianapolis_coventry():
    twinning = TwinningFactory(
        city_a=CityFactory(name="Indianapolis", country="US", tz="America/Indiana/Indianapolis"),
        city_b=CityFactory(name="Coventry", country="GB"),
    )
    return twinning, make_officer(ProgramFactory(twinnings=[twinning]))


def test_a_twinnings_regions_are_saved_together_or_not_at_all(indianapolis_coventry):
    twinning, officer = indianapolis_coventry
    # Indianapolis's region is right, Coventry's is another country's: neither is saved.
    with pytest.raises(ValidationError):
        twinning_regions_set(twinning=twinning, by=officer, region_a="US-IN", region_b="US-TX")
    for city in (twinning.city_a, twinning.city_b):
        city.refresh_from_db()
        assert city.region == ""
    assert not AuditEvent.objects.filter(verb="city.region_set").exists()
    twinning_regions_set(twinning=twinning, by=officer, region_a="US-IN", region_b="GB-COV")
    assert [c.region for c in City.objects.filter(pk__in=[twinning.city_a_id, twinning.city_b_id])
            .order_by("name")] == ["GB-COV", "US-IN"]
    assert AuditEvent.objects.filter(verb="city.region_set").count() == 2


def test_both_cities_are_checked_before_either_is_saved_and_both_refusals_told(
    indianapolis_coventry
):
    twinning, officer = indianapolis_coventry
    with pytest.raises(ValidationError) as caught:
        twinning_regions_set(twinning=twinning, by=officer, region_a="GB-COV", region_b="US-IN")
    errors = caught.value.message_dict
    assert set(errors) == {"region_a", "region_b"}
    assert "GB-COV" in errors["region_a"][0] and "US-IN" in errors["region_b"][0]
