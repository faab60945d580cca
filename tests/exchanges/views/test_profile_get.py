"""Visiting /profile/ or /onboarding/ writes nothing, and never makes staff participants."""

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from exchanges.models import Participant, Role
from exchanges.views.pupils import PUPIL_BACKEND
from tests.exchanges.classroom_fixtures import partner_pair, pupil
from tests.exchanges.views.test_accounts import onboarding_data
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = ["profile", "onboarding"]


def _with_role(role: str, **kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


STAFF = {
    "teacher": lambda: _with_role(Role.TEACHER),
    "officer": lambda: _with_role(Role.OFFICER, is_staff=True),
    "superuser": lambda: UserFactory(is_staff=True, is_superuser=True),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", sorted(STAFF))
def test_a_staff_visit_creates_no_participant_and_lands_on_the_dashboard(client, page, who):
    user = STAFF[who]()
    client.force_login(user)
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert not Participant.objects.filter(user=user).exists()
    assert not user.groups.filter(name=Role.PARTICIPANT).exists()
    dashboard = client.get(reverse("dashboard"))
    assert dashboard.status_code == 200
    assert "exchanges/dashboard_staff.html" in [t.name for t in dashboard.templates]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", sorted(STAFF))
def test_a_staff_post_creates_no_participant_either(client, twinning, page, who):
    user = STAFF[who]()
    client.force_login(user)
    response = client.post(reverse(page), onboarding_data(twinning.city_a))
    assert response.status_code == 302
    assert not Participant.objects.filter(user=user).exists()


def test_onboarding_get_without_a_profile_row_renders_the_empty_form_and_writes_nothing(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("onboarding"))
    assert response.status_code == 200
    assert 'name="city"' in response.content.decode()
    assert not Participant.objects.filter(user=user).exists()
    assert not user.groups.exists()


def test_profile_get_without_a_profile_row_sends_to_onboarding_and_writes_nothing(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding")
    assert not Participant.objects.filter(user=user).exists()


def test_the_dashboard_of_a_user_without_a_profile_sends_to_onboarding(client):
    client.force_login(UserFactory())
    assert client.get(reverse("dashboard"))["Location"] == reverse("onboarding")


def test_onboarding_post_creates_the_profile(client, twinning):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("onboarding"), onboarding_data(twinning.city_a))
    assert response.status_code == 302
    participant = Participant.objects.get(user=user)
    assert participant.city == twinning.city_a
    assert participant.onboarded_at is not None
    assert user.groups.filter(name=Role.PARTICIPANT).exists()


def test_an_invalid_first_post_leaves_no_half_made_profile(client, twinning):
    user = UserFactory()
    client.force_login(user)
    data = onboarding_data(twinning.city_a, **{"lang-1-code": "en", "lang-1-level": "B1"})
    response = client.post(reverse("onboarding"), data)
    assert response.status_code == 400
    assert not Participant.objects.filter(user=user).exists()


def test_a_participant_profile_get_changes_nothing(client):
    participant = ParticipantFactory()
    client.force_login(participant.user)
    before = Participant.objects.filter(pk=participant.pk).values().get()
    assert client.get(reverse("profile")).status_code == 200
    assert client.get(reverse("onboarding")).status_code == 302
    assert Participant.objects.filter(pk=participant.pk).values().get() == before


def test_an_onboarded_participant_visiting_onboarding_lands_on_their_profile(client):
    participant = ParticipantFactory()
    client.force_login(participant.user)
    response = client.get(reverse("onboarding"))
    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    page = client.get(response["Location"]).content.decode()
    assert "Welcome to Jumelage" not in page
    assert "<h1>Your profile</h1>" in page


def test_an_onboarding_form_sent_again_after_onboarding_saves_as_the_profile(client, twinning):
    """A second tab's welcome form, sent after the first finished: the edits are kept
    (not thrown away by a redirect), and a refusal shows the profile, not the welcome."""
    user = UserFactory()
    client.force_login(user)
    assert client.post(reverse("onboarding"), onboarding_data(twinning.city_a)).status_code == 302
    response = client.post(reverse("onboarding"), onboarding_data(twinning.city_a, bio="Again"))
    assert response.status_code == 302
    assert Participant.objects.get(user=user).bio == "Again"
    refused = client.post(reverse("onboarding"), onboarding_data(twinning.city_a, birth_year="x"))
    assert refused.status_code == 400
    assert "Welcome to Jumelage" not in refused.content.decode()


PROFILE_LINK = f'<a href="{reverse("profile")}">'


@pytest.mark.parametrize("who", sorted(STAFF))
def test_staff_get_no_profile_link_in_the_header(client, who):
    client.force_login(STAFF[who]())
    assert PROFILE_LINK not in client.get(reverse("notifications")).content.decode()


def test_a_participant_gets_the_profile_link_in_the_header(client):
    client.force_login(ParticipantFactory().user)
    assert PROFILE_LINK in client.get(reverse("notifications")).content.decode()


@pytest.mark.django_db
def test_a_pupil_sent_away_from_the_profile_is_told_why_as_du_in_german(client):
    a, _, _ = partner_pair()
    user = pupil(a).user
    user.language = "de"
    user.save(update_fields=["language"])
    client.force_login(user, backend=PUPIL_BACKEND)
    response = client.get(reverse("profile"))
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    (told,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert not re.search(r"\b(Sie|Ihre?[mnrs]?|Ihnen)\b", told), told


def test_a_signed_up_person_not_yet_onboarded_is_sent_from_the_profile_to_the_welcome(client):
    """Sign-up makes the profile row; until its first save the person is a newcomer, whom
    the dashboard and sign-in send to the welcome: the header's Profile link does too."""
    person = ParticipantFactory(onboarded_at=None, city=None)
    client.force_login(person.user)
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"] == reverse("onboarding")
    assert "Welcome to Jumelage" in client.get(response["Location"]).content.decode()


def test_the_profile_does_not_tell_a_registered_adult_how_to_register(client):
    """The minors' note fits the sign-up form; someone editing their profile is already
    registered, so their year of birth carries no sign-up help."""
    note = "You must be 18 or older to register yourself"
    assert note in client.get(reverse("account_signup")).content.decode()
    client.force_login(ParticipantFactory().user)
    page = client.get(reverse("profile")).content.decode()
    assert 'name="birth_year"' in page and note not in page
