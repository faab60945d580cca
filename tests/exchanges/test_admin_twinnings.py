"""In the admin a twinning's status is read-only: it changes on the officer's page,
where the cascade runs and the history is written."""

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Twinning
from exchanges.services.twinning_lifecycle import twinning_suspend
from tests.factories import TwinningFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_admin_shows_the_history_and_does_not_change_the_status(client):
    admin_user = UserFactory(is_superuser=True, is_staff=True)
    twinning = TwinningFactory()
    twinning_suspend(twinning=twinning, by=admin_user, reason="Council vote",
                     effective=timezone.localdate())
    client.force_login(admin_user)
    url = reverse("admin:exchanges_twinning_change", args=[twinning.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Council vote" in html
    assert 'name="status"' not in html
    client.post(url, {
        "city_a": twinning.city_a_id, "city_b": twinning.city_b_id, "since": "1956-01-01",
        "since_precision": "year", "status": "active", "kind": "twin town", "note": "",
        "status_changes-TOTAL_FORMS": "1", "status_changes-INITIAL_FORMS": "1",
        "status_changes-MIN_NUM_FORMS": "0", "status_changes-MAX_NUM_FORMS": "1000",
    })
    twinning.refresh_from_db()
    assert twinning.status == Twinning.Status.SUSPENDED


def _add_form(city_a, city_b) -> dict:
    return {
        "city_a": city_a.pk, "city_b": city_b.pk, "since": "", "since_precision": "day",
        "kind": "twin town", "note": "",
        "status_changes-TOTAL_FORMS": "0", "status_changes-INITIAL_FORMS": "0",
        "status_changes-MIN_NUM_FORMS": "0", "status_changes-MAX_NUM_FORMS": "0",
    }


def test_the_admin_refuses_a_second_twinning_of_two_cities_in_the_other_order(client):
    twinning = TwinningFactory()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.post(reverse("admin:exchanges_twinning_add"),
                       _add_form(twinning.city_b, twinning.city_a))
    assert page.status_code == 200
    assert f"These cities are already twinned: {twinning}." in page.content.decode()
    assert Twinning.objects.count() == 1


def test_the_admin_says_in_words_that_a_city_is_not_twinned_with_itself(client):
    city = TwinningFactory().city_a
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.post(reverse("admin:exchanges_twinning_add"), _add_form(city, city))
    assert "A twinning joins two different cities." in page.content.decode()
    assert "twinning_two_cities" not in page.content.decode()
    assert Twinning.objects.count() == 1


def test_the_admin_still_saves_a_twinning_under_its_own_cities(client):
    twinning = TwinningFactory()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.post(reverse("admin:exchanges_twinning_change", args=[twinning.pk]),
                       {**_add_form(twinning.city_a, twinning.city_b), "note": "renewed"})
    assert page.status_code == 302
    twinning.refresh_from_db()
    assert twinning.note == "renewed"
