"""A paginated list's later pages say which page they are in the <title>: a browser's
tabs, history and bookmarks, and a screen reader's first words, tell them apart."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from exchanges.selectors.register import REGISTER_ROWS_PER_PAGE
from exchanges.services.notifications import notification_create
from tests.exchanges.views.test_notifications_page import active_match
from tests.factories import TwinningFactory

pytestmark = pytest.mark.django_db


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_the_registers_later_pages_name_their_page_in_the_title(client):
    TwinningFactory.create_batch(REGISTER_ROWS_PER_PAGE * 2 + 7)
    url = reverse("transparency")
    first = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _title(first) == "Transparency register · Jumelage"
    second = client.get(url, {"page": 2}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _title(second) == "Transparency register — page 2 of 3 · Jumelage"


def test_the_page_is_named_in_the_pages_language(client):
    TwinningFactory.create_batch(REGISTER_ROWS_PER_PAGE + 1)
    with translation.override("fr"):
        expected = translation.gettext("Transparency register")
    assert expected != "Transparency register"
    page = client.get(reverse("transparency"), {"page": 2}, HTTP_ACCEPT_LANGUAGE="fr")
    title = _title(page.content.decode())
    assert title.startswith(expected) and "2" in title and "Jumelage" in title


def test_a_signed_in_list_says_its_page_too(client):
    user = active_match().participant_a.user
    for k in range(60):
        notification_create(user=user, kind="test", message="Notice %(k)d", params={"k": k})
    client.force_login(user)
    second = client.get(reverse("notifications"), {"page": 2}).content.decode()
    assert _title(second) == "Notifications — page 2 of 2 · Jumelage"


def test_a_title_is_escaped_once_and_a_page_that_is_no_paginator_page_changes_nothing():
    template = Template("{% load page_title %}{% paged_title %}A &amp; {{ name }}"
                        "{% endpaged_title %}")
    assert template.render(Context({"name": "<b>", "page": 2})) == "A &amp; &lt;b&gt;"
