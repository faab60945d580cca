"""A message flashed before a redirect is rendered to be announced (static/js/messages.js):
in a region that can take focus, named by its title, and beside an empty live region,
present from page load, into which the script copies the message when the page has put
the focus elsewhere (a change is what a live region announces, not its first content)."""

import re

import pytest
from django.urls import reverse

from tests.exchanges.views.test_accounts import signup

pytestmark = pytest.mark.django_db

LIVE_REGION = re.compile(r'<div id="messages-said" class="visually-hidden" role="status">'
                         r"(.*?)</div>", re.S)


def test_the_page_after_a_redirect_holds_its_message_in_a_focusable_named_region(client):
    landed = client.get(signup(client)["Location"]).content.decode()
    region = re.search(r'<div id="messages"([^>]*)>(.*?)</div>', landed, re.S)
    assert region, "no message region"
    attributes, inside = region.groups()
    assert 'tabindex="-1"' in attributes and 'role="alert"' in attributes
    assert 'aria-labelledby="messages-title"' in attributes
    assert 'id="messages-title"' in inside and "newcomer@example.test" in inside
    assert LIVE_REGION.search(landed).group(1).strip() == ""


def test_every_page_has_the_empty_live_region_and_no_message_region_without_a_message(client):
    page = client.get(reverse("home")).content.decode()
    assert LIVE_REGION.search(page).group(1) == ""
    assert 'id="messages"' not in page
