"""The page a password-reset link opens: its title and heading say the same thing, in
words a person knows, for a working link and for a used or broken one."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from exchanges.models import User

pytestmark = pytest.mark.django_db


def _title_and_heading(html: str) -> tuple[str, str]:
    title = re.search(r"<title>\s*(.*?)\s*</title>", html, re.S).group(1)
    heading = re.search(r"<h1[^>]*>\s*(.*?)\s*</h1>", html, re.S).group(1)
    return " ".join(title.split()), " ".join(heading.split())


def test_a_broken_link_is_named_the_same_in_title_and_heading(client):
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "bad-key"})
    html = client.get(url, follow=True).content.decode()
    title, heading = _title_and_heading(html)
    assert heading == "This reset link no longer works"
    assert title.startswith(heading)
    assert "Bad Token" not in html and "Change Password" not in title
    assert f'href="{reverse("account_reset_password")}"' in html


def test_a_working_link_asks_for_the_new_password(client):
    User.objects.create_user("reset@example.test", "pw-reset-123456", display_name="Reset")
    client.post(reverse("account_reset_password"), {"email": "reset@example.test"})
    body = mail.outbox[-1].body
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", body).group(0)
    html = client.get(link, follow=True).content.decode()
    title, heading = _title_and_heading(html)
    assert heading == "Choose a new password"
    assert title.startswith(heading)
    assert 'type="password"' in html


def test_the_broken_link_page_is_translated(client):
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "bad-key"})
    html = client.get(url, follow=True, headers={"accept-language": "fr"}).content.decode()
    _, heading = _title_and_heading(html)
    assert heading != "This reset link no longer works" and "lien" in heading
