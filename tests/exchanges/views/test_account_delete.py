"""Deleting one's own account through the pages: the profile leads to it, the page says
what goes and asks the password, a wrong one deletes nothing, the right one signs out."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.urls import reverse

from exchanges.models import Match, Role, User
from exchanges.services.account_delete_limits import MAX_WRONG_PASSWORDS
from exchanges.services.roles import roles_ensure
from exchanges.views.pupils import PUPIL_BACKEND
from tests.exchanges.classroom_fixtures import partner_pair, pupil
from tests.factories import MatchFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def test_the_profile_leads_to_the_page_that_says_what_goes(client):
    match = MatchFactory(status=Match.Status.ACTIVE)
    client.force_login(match.participant_a.user)
    url = reverse("account_delete")
    profile = client.get(reverse("profile")).content.decode()
    assert f'href="{url}"' in profile and f'href="{reverse("account_data")}"' in profile
    page = client.get(url).content.decode()
    assert "your partners lose these conversations too" in page
    # Whether a partner stays in the pool is theirs to say (they may have paused).
    assert "Partners of your current matches are told that you left" in page
    assert "stay in the pool" not in page
    assert 'autocomplete="current-password"' in page
    assert f'href="{reverse("account_data")}" download' in page  # a copy first


def test_the_page_says_past_figures_keep_the_person_as_a_number(client):
    # Past days' figures keep anonymous counts of the people deleted (metrics_kept):
    # the page must not promise that no figure counts them any more.
    match = MatchFactory(status=Match.Status.ACTIVE)
    client.force_login(match.participant_a.user)
    page = client.get(reverse("account_delete")).content.decode()
    assert "Program figures no longer count you." not in page
    assert ("Program figures stop counting you; those of the days already past keep you as "
            "an anonymous number, never who you are.") in page


def test_a_wrong_password_is_a_form_error_and_deletes_nothing(client):
    match = MatchFactory(status=Match.Status.ACTIVE)
    client.force_login(match.participant_a.user)
    response = client.post(reverse("account_delete"), {"password": "not-mine"})
    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    assert Match.objects.filter(pk=match.pk).exists()
    assert client.get(reverse("dashboard")).status_code == 200  # still signed in


def test_the_right_password_deletes_the_account_and_signs_out(client):
    match = MatchFactory(status=Match.Status.ACTIVE)
    user = match.participant_a.user
    client.force_login(user)
    response = client.post(reverse("account_delete"), {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Your account is deleted, with everything it held." in response.content.decode()
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Match.objects.filter(pk=match.pk).exists()
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("account_login"))
    # Nothing is left to sign in with.
    assert client.login(email=user.email, password=PASSWORD) is False


def test_an_officer_is_told_why_not_and_nothing_is_deleted(client):
    roles_ensure()
    officer = UserFactory()
    officer.groups.add(Group.objects.get(name=Role.OFFICER))
    client.force_login(officer)
    for response in (client.get(reverse("account_delete")),
                     client.post(reverse("account_delete"), {"password": PASSWORD})):
        assert response.status_code == 403
        assert "closed by an administrator" in response.content.decode()
    assert User.objects.filter(pk=officer.pk).exists()


def test_a_pupil_is_told_to_ask_their_teacher_as_du_in_german(client):
    a, _, _ = partner_pair()
    user = pupil(a).user
    user.language = "de"
    user.save(update_fields=["language"])
    client.force_login(user, backend=PUPIL_BACKEND)
    response = client.get(reverse("account_delete"))
    assert response.status_code == 403
    main = re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)
    text = re.sub(r"<[^>]+>", " ", main)
    assert "Lehrkraft" in text  # the refusal, in German
    assert not re.search(r"\b(Sie|Ihre?[mnrs]?|Ihnen)\b", text), text
    assert User.objects.filter(pk=user.pk).exists()


def test_wrong_passwords_are_limited_and_the_page_says_when_to_try_again(client):
    cache.clear()
    match = MatchFactory(status=Match.Status.ACTIVE)
    user = match.participant_a.user
    client.force_login(user)
    for _ in range(MAX_WRONG_PASSWORDS):
        response = client.post(reverse("account_delete"), {"password": "not-mine"})
        assert response.status_code == 400
    # Past the limit, even the right password is refused, in words next to the field.
    response = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.status_code == 400
    assert "Too many wrong passwords. You can try again in 15 minutes." in (
        response.content.decode())
    assert User.objects.filter(pk=user.pk).exists()
    assert Match.objects.filter(pk=match.pk).exists()
    cache.clear()
