"""A person whose city's twinning is suspended keeps that city on their profile: the
form shows it and saving other edits does not demand a new city (a suspension only pauses
the twinning; cities with no active twinning stay closed to everyone else)."""

import pytest
from django.urls import reverse

from exchanges.models import Participant, Twinning
from tests.exchanges.views.test_accounts import onboarding_data
from tests.factories import TwinningFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def onboarded(client, newcomer, twinning):
    response = client.post(reverse("onboarding"), onboarding_data(twinning.city_a))
    assert response.status_code == 302
    Twinning.objects.filter(pk=twinning.pk).update(status=Twinning.Status.SUSPENDED)
    return Participant.objects.get(user=newcomer)


def test_the_profile_still_shows_the_city_of_a_suspended_twinning(client, onboarded):
    response = client.get(reverse("profile"))
    assert response.status_code == 200
    city = response.context["form"]["city"]
    assert str(onboarded.city_id) == str(city.value())
    assert f'<option value="{onboarded.city_id}" selected>' in str(city)


def test_other_edits_save_with_the_city_of_a_suspended_twinning(client, onboarded):
    data = onboarding_data(onboarded.city, bio="New bio")
    response = client.post(reverse("profile"), data)
    assert response.status_code == 302, response.context["form"].errors
    onboarded.refresh_from_db()
    assert onboarded.bio == "New bio"


def test_a_newcomer_still_cannot_pick_a_city_without_an_active_twinning(client, newcomer):
    closed = TwinningFactory(status=Twinning.Status.SUSPENDED).city_a
    response = client.post(reverse("onboarding"), onboarding_data(closed))
    assert response.status_code == 400
    assert response.context["form"].errors["city"]
    assert not Participant.objects.filter(user=newcomer).exists()


def test_another_person_cannot_move_into_a_suspended_twinning_city(client, onboarded, twinning):
    other = TwinningFactory(status=Twinning.Status.ACTIVE)
    Twinning.objects.filter(pk=other.pk).update(status=Twinning.Status.SUSPENDED)
    response = client.post(reverse("profile"), onboarding_data(other.city_a))
    assert response.status_code == 400
    assert response.context["form"].errors["city"]
