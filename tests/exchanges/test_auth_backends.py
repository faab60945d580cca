"""Pupils never authenticate with an e-mail address and password; adults do."""

import pytest
from django.contrib.auth import authenticate

from exchanges.auth_backends import AdultAllauthBackend, AdultModelBackend, PupilBackend
from tests.factories import UserFactory

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
