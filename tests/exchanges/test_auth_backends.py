"""Pupils never authenticate with an e-mail address and password; adults do."""

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth import authenticate

from exchanges.auth_backends import AdultAllauthBackend, AdultModelBackend, PupilBackend
from exchanges.selectors.viewer_zone import viewer_zone
from tests.factories import CityFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def test_no_backend_authenticates_a_pupil_by_email(rf):
    pupil = UserFactory(email="abc@pupils.invalid", is_pupil=True)
    request = rf.post("/accounts/login/")
    assert authenticate(request, email=pupil.email, password=PASSWORD) is None
    assert authenticate(request, username=pupil.email, password=PASSWORD) is None
    adult = UserFactory()
    assert authenticate(request, username=adult.email, password=PASSWORD) == adult


def test_sessions_of_pupils_are_restored_only_by_the_pupil_backend():
    pupil, adult = UserFactory(is_pupil=True), UserFactory()
    assert PupilBackend().get_user(pupil.pk) == pupil
    assert PupilBackend().get_user(adult.pk) is None
    assert AdultModelBackend().get_user(pupil.pk) is None
    assert AdultAllauthBackend().get_user(pupil.pk) is None
    assert AdultModelBackend().get_user(adult.pk) == adult


# Sessions name one of these three; each restores the user with the zone joined, so pages
# read a zone changed on another device at no cost (selectors.viewer_zone).
def test_every_backend_restores_the_user_with_their_zone_at_no_further_query(
    django_assert_num_queries,
):
    adult = ParticipantFactory(tz="", city=CityFactory(name="Tokyo", tz="Asia/Tokyo")).user
    pupil = ParticipantFactory(tz="America/Sao_Paulo", user=UserFactory(is_pupil=True)).user
    staff = UserFactory(is_staff=True)
    for backend, user, zone in [
        (AdultModelBackend(), adult, "Asia/Tokyo"),
        (AdultAllauthBackend(), adult, "Asia/Tokyo"),
        (PupilBackend(), pupil, "America/Sao_Paulo"),
        (AdultModelBackend(), staff, None),
    ]:
        with django_assert_num_queries(1):
            restored = backend.get_user(user.pk)
            assert viewer_zone(user=restored) == zone


@pytest.mark.django_db(transaction=True)
async def test_the_async_restore_joins_the_zone_too_and_keeps_pupils_out():
    adult = await sync_to_async(ParticipantFactory)(tz="Asia/Tokyo")
    pupil = await sync_to_async(UserFactory)(is_pupil=True)
    restored = await AdultAllauthBackend().aget_user(adult.user_id)
    assert viewer_zone(user=restored) == "Asia/Tokyo"  # no query: none may run here
    assert await AdultAllauthBackend().aget_user(pupil.pk) is None
    assert await AdultModelBackend().aget_user(pupil.pk) is None
