"""Which language a page speaks: the account's choice, else the switcher's cookie, else the
browser's Accept-Language; <html lang> says it; the switcher changes it and it sticks."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from exchanges.selectors.interface_language import in_language_of, language_of
from exchanges.services.interface_language import user_language_set
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def html_lang(response) -> str:
    found = re.search(r'<html lang="([^"]*)"', response.content.decode())
    assert found, "no <html lang> on the page"
    return found.group(1)


@pytest.mark.parametrize("header, expected", [
    ("de-DE,de;q=0.9,en;q=0.5", "de"),
    ("ja", "ja"),
    ("fr-CA,fr;q=0.8", "fr"),
    ("pt-BR,pt;q=0.9", "en"),  # not an interface language: the source language
    ("", "en"),
])
def test_the_browsers_language_is_the_default(header, expected):
    response = Client(headers={"accept-language": header}).get(reverse("home"))
    assert response.status_code == 200
    assert html_lang(response) == expected
    assert response.headers["Content-Language"] == expected


def test_the_switcher_is_on_every_page_with_each_language_named_in_itself():
    page = Client(headers={"accept-language": "ja"}).get(reverse("account_login"))
    html = page.content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert 'method="post"' in html
    for code, name in [("en", "English"), ("fr", "Français"), ("de", "Deutsch"),
                       ("ja", "日本語")]:
        assert f'<option value="{code}" lang="{code}"' in html
        assert name in html
    # The current language is the selected one, and the select has a label.
    assert re.search(r'<option value="ja" lang="ja" selected>', html)
    assert '<label for="interface-language">' in html


def test_the_switcher_post_changes_the_language_and_it_sticks():
    client = Client(headers={"accept-language": "de"})
    response = client.post(reverse("set_language"), {"language": "ja", "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ja"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME]["max-age"] == settings.LANGUAGE_COOKIE_AGE
    # The cookie wins over the German browser, on this page and the next.
    assert html_lang(client.get(reverse("home"))) == "ja"
    assert html_lang(client.get(reverse("account_login"))) == "ja"


def test_the_switcher_refuses_get_and_ignores_a_language_the_interface_lacks():
    client = Client()
    assert client.get(reverse("set_language")).status_code == 405
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies


def test_a_signed_in_persons_choice_is_kept_on_their_account_for_every_device():
    user = ParticipantFactory().user
    laptop = Client(headers={"accept-language": "en"})
    laptop.force_login(user)
    laptop.post(reverse("set_language"), {"language": "de", "next": "/"})
    user.refresh_from_db()
    assert user.language == "de"
    # Another device, a Japanese browser, no cookie: the account's choice wins.
    phone = Client(headers={"accept-language": "ja"})
    phone.force_login(user)
    assert html_lang(phone.get(reverse("dashboard"), follow=True)) == "de"


def test_an_account_without_a_language_takes_the_one_it_signs_in_with(password):
    user = UserFactory(email="hana@example.test")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    assert user.language == ""
    client = Client(headers={"accept-language": "ja"})
    client.post(reverse("account_login"), {"login": user.email, "password": password})
    user.refresh_from_db()
    assert user.language == "ja"
    # A later login elsewhere does not overwrite a language already chosen.
    Client(headers={"accept-language": "fr"}).post(
        reverse("account_login"), {"login": user.email, "password": password}
    )
    user.refresh_from_db()
    assert user.language == "ja"


def test_language_of_and_in_language_of():
    user = UserFactory()
    assert language_of(user) == "en"
    assert language_of(None) == "en"
    assert user_language_set(user=user, language="fr-CA")
    assert language_of(user) == "fr"
    assert not user_language_set(user=user, language="xx")
    with in_language_of(user):
        assert translation.get_language() == "fr"


def test_allauth_mails_speak_the_recipients_language():
    user = UserFactory(email="kenji@example.test", language="ja")
    Client(headers={"accept-language": "en"}).post(
        reverse("account_reset_password"), {"email": user.email}
    )
    assert len(mail.outbox) == 1
    # allauth's own Japanese catalogue: "パスワード" (password) in the subject or body.
    message = mail.outbox[0]
    assert "パスワード" in message.subject + message.body
