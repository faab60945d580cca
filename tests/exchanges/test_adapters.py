"""allauth's limits through the account adapter: they cost the abuser, not the victim.

The suite runs with JUMELAGE_DISABLE_RATE_LIMITS=1; these tests switch the project's
limits back on, each with an empty cache of its own.
"""

import uuid

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # UserFactory's
TOO_MANY = "Too many failed login attempts"


@pytest.fixture
def limits(settings):
    """The project's rate limits on, with a fresh cache; returns the settings to tweak."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"rate-limits-{uuid.uuid4()}",
        }
    }
    settings.ACCOUNT_RATE_LIMITS = dict(settings.JUMELAGE_ACCOUNT_RATE_LIMITS)
    settings.JUMELAGE_TRUSTED_PROXIES = []
    return settings


@pytest.fixture
def owner():
    user = UserFactory(email="owner@example.test")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _login(client, email, password, *, remote="203.0.113.1", xff=None):
    extra = {"REMOTE_ADDR": remote}
    if xff:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def _logged_in(response) -> bool:
    return response.status_code == 302 and response.wsgi_request.user.is_authenticated


def test_five_wrong_passwords_lock_the_attackers_address_only(client, limits, owner):
    for _ in range(5):
        response = _login(client, owner.email, "wrong-guess", remote="203.0.113.66")
        assert response.status_code == 200
        assert TOO_MANY not in response.content.decode()
    # The sixth attempt from the attacker's address is refused, even with the password…
    response = _login(client, owner.email, PASSWORD, remote="203.0.113.66")
    assert not _logged_in(response)
    assert TOO_MANY in response.content.decode()
    # …while the owner, from their own address, signs in.
    response = _login(client, owner.email, PASSWORD, remote="198.51.100.7")
    assert _logged_in(response)


def test_the_owners_own_typos_on_another_address_are_counted_apart(client, limits, owner):
    for _ in range(5):
        _login(client, owner.email, "wrong-guess", remote="203.0.113.66")
    for _ in range(4):
        response = _login(client, owner.email, "typo", remote="198.51.100.7")
        assert TOO_MANY not in response.content.decode()
    assert _logged_in(_login(client, owner.email, PASSWORD, remote="198.51.100.7"))


def test_a_forged_forwarded_address_does_not_pin_the_lock_on_the_owner(client, limits, owner):
    # Without a trusted proxy the header is the attacker's text: the lock stays on them.
    for _ in range(6):
        _login(client, owner.email, "wrong-guess", remote="203.0.113.66", xff="198.51.100.7")
    assert _logged_in(_login(client, owner.email, PASSWORD, remote="198.51.100.7"))


def test_rotating_x_forwarded_for_from_an_untrusted_peer_does_not_reset_the_ip_limit(
    client, limits
):
    limits.ACCOUNT_RATE_LIMITS = {**limits.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    statuses = [
        _login(client, f"p{i}@example.test", "x", remote="203.0.113.66", xff=f"10.9.8.{i}")
        .status_code
        for i in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_x_forwarded_for_from_a_trusted_proxy_is_honoured(client, limits):
    limits.ACCOUNT_RATE_LIMITS = {**limits.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    limits.JUMELAGE_TRUSTED_PROXIES = ["10.0.0.0/24"]
    statuses = [
        _login(client, f"p{i}@example.test", "x", remote="10.0.0.2", xff=f"198.51.100.{i}")
        .status_code
        for i in range(4)
    ]
    assert statuses == [200, 200, 200, 200]
    # …and the real client behind the proxy is still limited.
    again = [
        _login(client, "p@example.test", "x", remote="10.0.0.2", xff="6.6.6.6, 198.51.100.9")
        .status_code
        for _ in range(4)
    ]
    assert again == [200, 200, 200, 429]


def test_rotating_x_forwarded_for_does_not_reset_the_signup_limit(client, limits):
    limits.ACCOUNT_RATE_LIMITS = {**limits.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    statuses = []
    for i in range(3):
        response = client.post(
            reverse("account_signup"),
            {
                "email": f"new{i}@example.test",
                "password1": "a-long-and-unusual-passphrase",
                "password2": "a-long-and-unusual-passphrase",
                "display_name": "Nia",
                "birth_year": 1999,
            },
            REMOTE_ADDR="203.0.113.66",
            HTTP_X_FORWARDED_FOR=f"10.1.1.{i}",
        )
        statuses.append(response.status_code)
    assert statuses == [302, 302, 429]


def test_a_password_reset_for_a_pupils_placeholder_address_sends_nothing(client, mailoutbox):
    pupil = UserFactory(email=f"{uuid.uuid4().hex}@pupils.invalid", is_pupil=True)
    EmailAddress.objects.create(user=pupil, email=pupil.email, verified=True, primary=True)
    adult = UserFactory()
    EmailAddress.objects.create(user=adult, email=adult.email, verified=True, primary=True)
    client.post(reverse("account_reset_password"), {"email": pupil.email})
    assert mailoutbox == []
    client.post(reverse("account_reset_password"), {"email": adult.email})
    assert [m.to for m in mailoutbox] == [[adult.email]]


def test_the_signup_verification_email_names_jumelage_and_its_site(client, mailoutbox, settings):
    settings.JUMELAGE_SITE_URL = "https://jumelage.example"
    response = client.post(reverse("account_signup"), {
        "email": "newcomer@example.test", "display_name": "Nia", "birth_year": 1999,
        "password1": "a-long-and-unusual-passphrase",
        "password2": "a-long-and-unusual-passphrase",
    })
    assert response.status_code == 302
    (sent,) = mailoutbox
    assert "Hello from Jumelage!" in sent.body
    assert "Thank you for using Jumelage!" in sent.body
    assert "register an account on jumelage.example." in sent.body
    assert "Hello from testserver" not in sent.body


@pytest.mark.parametrize("language", ["en", "de", "ja"])
def test_a_reached_limit_answers_the_platforms_page_in_the_readers_language(
    client, limits, language
):
    # allauth's fallback is a bare English "429 Too Many Requests" page; a second "send
    # the link again" within its three minutes reaches the limit.
    limits.ACCOUNT_RATE_LIMITS = {**limits.ACCOUNT_RATE_LIMITS, "signup": "1/m/ip"}
    for i in range(2):
        response = client.post(
            reverse("account_signup"),
            {"email": f"new{i}@example.test", "password1": "a-long-and-unusual-passphrase",
             "password2": "a-long-and-unusual-passphrase", "display_name": "Nia",
             "birth_year": 1999},
            HTTP_ACCEPT_LANGUAGE=language,
        )
    assert response.status_code == 429
    html = response.content.decode()
    assert "429 Too Many Requests" not in html
    assert f'<html lang="{language}">' in html
    assert 'id="main"' in html
