"""The error pages Django renders without a request context speak the page's language
in the platform's own look: a bad request (400) and a refused form (CSRF)."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_settings(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]
    return settings


@pytest.mark.parametrize("language", ["en", "fr", "de", "ja"])
def test_a_refused_host_gets_the_platforms_bad_request_page(live_settings, language):
    client = Client(headers={"accept-language": language}, raise_request_exception=False)
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    html = response.content.decode()
    # Django's fallback is the bare, English "<h1>Bad Request (400)</h1>".
    assert "Bad Request (400)" not in html
    assert f'<html lang="{language}">' in html
    assert 'href="/static/css/jumelage.css"' in html and 'href="/"' in html


@pytest.mark.parametrize("language", ["en", "fr", "de", "ja"])
def test_a_form_refused_by_the_csrf_check_says_what_to_do(live_settings, language):
    client = Client(headers={"accept-language": language}, enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@example.test"})
    assert response.status_code == 403
    html = response.content.decode()
    # Django's own page speaks of DEBUG=True to the visitor and has none of the site.
    assert "DEBUG" not in html
    assert f'<html lang="{language}">' in html
    assert 'href="/static/css/jumelage.css"' in html


def test_the_english_pages_say_what_happened(live_settings):
    client = Client(headers={"accept-language": "en"}, enforce_csrf_checks=True,
                    raise_request_exception=False)
    assert "Request not understood" in client.get(
        "/", headers={"host": "evil.example"}).content.decode()
    refused = client.post(reverse("account_login"), {}).content.decode()
    assert "reload the page and send the form again" in refused


def test_a_button_pressed_after_the_session_ended_leads_to_a_page_after_the_sign_in(client):
    # Accept on a dashboard left open past the session: the sign-in's next visits the
    # button's address, which answered an empty 405 (the browser's own error screen).
    from allauth.account.models import EmailAddress

    from tests.factories import ParticipantFactory

    person = ParticipantFactory().user
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    pressed = client.post(reverse("match_accept", args=[1]))
    assert pressed.status_code == 302 and "/accounts/login/" in pressed["Location"]
    signed_in = client.post(
        pressed["Location"], {"login": person.email, "password": "correct-horse-battery"},
        follow=True,
    )
    assert signed_in.redirect_chain[-1][0] == reverse("match_accept", args=[1])
    assert signed_in.status_code == 405
    assert signed_in["Allow"] == "POST"
    html = signed_in.content.decode()
    assert "Press the button again" in html and 'id="main"' in html
    assert f'href="{reverse("dashboard")}"' in html


def test_a_post_only_address_still_refuses_a_get_without_acting(client):
    from tests.factories import ParticipantFactory

    client.force_login(ParticipantFactory().user)
    response = client.get(reverse("matching_pause_set"))
    assert response.status_code == 405
