"""A pupil's own password page (/join/password/): the card's one-time password is
replaced without more, but a password the pupil chose is changed only by someone who
types it, as an adult's is on allauth's page (a classmate at a shared school computer
left signed in does not lock the pupil out), and wrong tries are limited."""

import re

import pytest
from django.urls import reverse

from exchanges.models import User
from exchanges.services.account_delete_limits import MAX_WRONG_PASSWORDS
from tests.exchanges.classroom_fixtures import PUPIL_BACKEND, partner_pair, pupil

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_limits")]
OWN = "correct-horse-battery"
NEW = "my-own-secret-42"


@pytest.fixture
def own_password_pupil(client):
    a, _, _ = partner_pair()
    member = pupil(a, "Jonas M.", OWN)
    client.force_login(member.user, backend=PUPIL_BACKEND)
    return member.user


def test_a_chosen_password_is_changed_only_with_it(client, own_password_pupil):
    page = client.get(reverse("pupil_password")).content.decode()
    assert 'name="current"' in page
    assert "works once" not in page  # the card's password was replaced long ago
    response = client.post(reverse("pupil_password"), {"password": NEW, "password2": NEW})
    assert response.status_code == 400
    response = client.post(reverse("pupil_password"),
                           {"current": "not-it-at-all", "password": NEW, "password2": NEW})
    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    own_password_pupil.refresh_from_db()
    assert own_password_pupil.check_password(OWN)
    response = client.post(reverse("pupil_password"),
                           {"current": OWN, "password": NEW, "password2": NEW})
    assert response["Location"] == reverse("dashboard")
    own_password_pupil.refresh_from_db()
    assert own_password_pupil.check_password(NEW)


def test_wrong_current_passwords_are_limited(client, own_password_pupil):
    for _ in range(MAX_WRONG_PASSWORDS):
        client.post(reverse("pupil_password"),
                    {"current": "not-it-at-all", "password": NEW, "password2": NEW})
    response = client.post(reverse("pupil_password"),
                           {"current": OWN, "password": NEW, "password2": NEW})
    assert response.status_code == 400
    assert "Too many wrong passwords" in response.content.decode()
    own_password_pupil.refresh_from_db()
    assert own_password_pupil.check_password(OWN)


def test_the_cards_one_time_password_is_replaced_without_it(client, own_password_pupil):
    User.objects.filter(pk=own_password_pupil.pk).update(must_set_password=True)
    page = client.get(reverse("pupil_password")).content.decode()
    assert 'name="current"' not in page and "works once" in page
    response = client.post(reverse("pupil_password"), {"password": NEW, "password2": NEW})
    assert response["Location"] == reverse("dashboard")
    own_password_pupil.refresh_from_db()
    assert own_password_pupil.check_password(NEW) and not own_password_pupil.must_set_password


def test_the_refusals_speak_to_the_pupil_as_du_in_german(client, own_password_pupil):
    User.objects.filter(pk=own_password_pupil.pk).update(language="de")
    response = client.post(reverse("pupil_password"),
                           {"current": "not-it-at-all", "password": NEW, "password2": NEW})
    page = response.content.decode()
    assert "Das ist nicht dein Passwort." in page and "Dein jetziges Passwort" in page
    for _ in range(MAX_WRONG_PASSWORDS):
        response = client.post(reverse("pupil_password"),
                               {"current": "not-it-at-all", "password": NEW, "password2": NEW})
    page = response.content.decode()
    assert "Du kannst es in" in page
    main = re.search(r"<main.*</main>", page, re.S).group(0)
    assert not re.search(r"\b(Sie|Ihre?[mnrs]?|Ihnen)\b", re.sub(r"<[^>]+>", " ", main))
