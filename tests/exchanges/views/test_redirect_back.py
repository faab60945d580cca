"""redirect_back follows a same-site ``next`` as a path, never as a URL name (the forms
fuzz found ``next=a b`` answering 500: redirect() looked it up as a view name)."""

import pytest
from django.urls import reverse

from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("target", "location"),
    [("a b", "a%20b"), ("9999-12-31T23:30", "9999-12-31T23:30"), ("dashboard", "dashboard"),
     ("/profile/?tab=2", "/profile/?tab=2")],
)
@pytest.mark.parametrize("page", ["calendar_token_rotate", "reminders_email_toggle"])
def test_a_same_site_next_is_followed_as_a_path(client, page, target, location):
    client.force_login(ParticipantFactory().user)
    response = client.post(reverse(page), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == location


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "\x00"])
def test_anything_else_goes_to_the_profile_where_the_link_is_shown(client, target):
    client.force_login(ParticipantFactory().user)
    response = client.post(reverse("calendar_token_rotate"), {"next": target})
    assert response["Location"] == reverse("profile")
