"""Rows past a profile formset's limit: the refused page keeps every row typed and says
in words how many are allowed (not Django's "Please submit at most N forms")."""

import re

import pytest
from django.urls import reverse

from exchanges.models import Participant, Twinning
from exchanges.pure.languages import language_choices
from tests.exchanges.views.test_accounts import onboarding_data
from tests.factories import TwinningFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return TwinningFactory(status=Twinning.Status.ACTIVE).city_a


def _languages(count: int) -> dict:
    codes = [code for code, _ in language_choices()][:count]
    data = {"lang-TOTAL_FORMS": count}
    for row, code in enumerate(codes):
        data.update({f"lang-{row}-code": code, f"lang-{row}-level": "B1",
                     f"lang-{row}-learning": "0"})
    return data


def _windows(count: int) -> dict:
    data = {"win-TOTAL_FORMS": count}
    for row in range(count):
        data.update({f"win-{row}-weekday": row % 7, f"win-{row}-start": f"{row % 20:02d}:00",
                     f"win-{row}-end": f"{row % 20:02d}:30"})
    return data


def test_a_thirteenth_language_keeps_every_row_and_says_why(client, newcomer, city):
    data = onboarding_data(city, **_languages(13))
    response = client.post(reverse("onboarding"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please submit" not in page
    assert "You can list at most 12 languages" in page
    for row in range(13):
        code = data[f"lang-{row}-code"]
        assert re.search(rf'name="lang-{row}-code"[^>]*>.*?<option value="{code}" selected',
                         page, re.S), row
    assert not Participant.objects.filter(user=newcomer).exists()


def test_a_twenty_second_window_keeps_every_row_and_says_why(client, newcomer, city):
    data = onboarding_data(city, **_windows(22))
    response = client.post(reverse("onboarding"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please submit" not in page
    assert "You can give at most 21 weekly time windows" in page
    for row in range(22):
        assert f'name="win-{row}-start" value="{data[f"win-{row}-start"]}"' in page, row
    assert not Participant.objects.filter(user=newcomer).exists()


def test_rows_removed_with_their_box_do_not_count(client, newcomer, city):
    data = onboarding_data(city, **_languages(13), **{"lang-12-DELETE": "on"})
    data.update({"lang-1-learning": "1"})
    response = client.post(reverse("onboarding"), data)
    assert response.status_code == 302
    assert Participant.objects.get(user=newcomer).languages.count() == 12

