"""A registered adult who types a birth year under 18 on their profile is told what fits
someone already registered (pupils join through their teacher's class), not the sign-up
text about registering themselves; nothing is saved."""

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Participant
from tests.exchanges.views.test_accounts import onboarding_data

pytestmark = pytest.mark.django_db


def test_a_birth_year_under_18_on_the_profile_is_refused_in_profile_words(
        client, newcomer, twinning):
    assert client.post(reverse("onboarding"), onboarding_data(twinning.city_a)).status_code == 302
    before = Participant.objects.get(user=newcomer).birth_year
    data = onboarding_data(twinning.city_a, birth_year=timezone.now().year - 15)
    response = client.post(reverse("profile"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors["birth_year"]
    assert errors == ["People under 18 join through their teacher's class."]
    page = response.content.decode()
    assert "join through their teacher&#x27;s class" in page
    assert "to register yourself" not in page
    assert Participant.objects.get(user=newcomer).birth_year == before
