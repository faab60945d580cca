"""Confirming an e-mail address lands a newcomer on onboarding, but a person who already
has a profile (confirming an address they added) on their profile, not on the newcomer's
"Welcome to Jumelage … Finish and find me a partner"."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_confirming_an_added_address_lands_an_onboarded_person_on_their_profile(client):
    person = ParticipantFactory().user
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    client.force_login(person)
    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.test"})
    assert response.status_code == 302
    link = re.search(r"(/accounts/confirm-email/[^\s]+/)", mail.outbox[-1].body).group(1)

    response = client.post(link, follow=True)
    assert EmailAddress.objects.get(email="new@example.test").verified
    assert response.redirect_chain[-1][0] == reverse("profile")
    assert "Welcome to Jumelage" not in response.content.decode()


def test_onboarding_still_opens_for_a_person_not_yet_onboarded(client):
    person = ParticipantFactory(onboarded_at=None).user
    client.force_login(person)
    response = client.get(reverse("onboarding"))
    assert response.status_code == 200
    assert "Welcome to Jumelage" in response.content.decode()
