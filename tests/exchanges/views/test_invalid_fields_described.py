"""A field sent back invalid names its error (WCAG 3.3.1, 1.3.1): each ``aria-invalid``
control points with ``aria-describedby`` at an element that holds the error's text, so a
screen reader reads why along with the field, not only that it is wrong. Checked on the
hand-written one-line forms of lists (a teacher's reply, a partner request's message, an
officer's refusal), which Django's own field rendering does not cover."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from exchanges.models import PartnerRequest
from tests.exchanges.classroom_fixtures import PUPIL_BACKEND, partner_pair
from tests.exchanges.views.test_accounts import onboarding_data
from tests.exchanges.views.test_class_exchanges import exchange_3_2  # noqa: F401
from tests.exchanges.views.test_teachers import application, setting  # noqa: F401
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    """Each element's id with the text inside it, and the invalid controls' describedby."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "col", "area", "wbr"}

    def __init__(self):
        super().__init__()
        self.texts, self.invalid, self.open = {}, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("aria-invalid") == "true":
            self.invalid.append((attrs.get("name"), attrs.get("aria-describedby") or ""))
        if tag in self.VOID:
            return
        self.open.append((tag, attrs.get("id")))
        if attrs.get("id"):
            self.texts[attrs["id"]] = ""

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for _tag, element_id in self.open:
            if element_id:
                self.texts[element_id] += data


def described_errors(page: str) -> dict[str, str]:
    """Each invalid control's name -> the text of what its aria-describedby names."""
    parsed = _Page()
    parsed.feed(page)
    assert parsed.invalid, "no control is marked invalid"
    return {name: " ".join(parsed.texts.get(i, "") for i in ids.split())
            for name, ids in parsed.invalid}


def test_an_over_long_request_message_names_its_error(client):
    a, b, _ = partner_pair()
    client.force_login(a.teacher)
    response = client.post(reverse("partner_request", args=[a.pk, b.pk]),
                           {"message": "Hallo! " * 150})
    assert "at most 1000 characters" in described_errors(response.content.decode())["message"]


def test_an_over_long_reply_names_its_error(client):
    a, b, _ = partner_pair()
    client.force_login(a.teacher)
    client.post(reverse("partner_request", args=[a.pk, b.pk]), {"message": "Hello!"})
    client.force_login(b.teacher)
    asked = PartnerRequest.objects.get()
    response = client.post(reverse("partner_request_accept", args=[asked.pk]),
                           {"reply": "Danke! " * 150})
    assert "at most 1000 characters" in described_errors(response.content.decode())["reply"]


def test_a_refusal_without_a_reason_names_its_error(client, setting):  # noqa: F811
    coventry, program_officer = setting
    pending = application(UserFactory(), coventry)
    client.force_login(program_officer)
    response = client.post(reverse("teacher_application_refuse", args=[pending.pk]),
                           {"reason": ""})
    assert described_errors(response.content.decode())["reason"].strip()


def test_a_pupils_refused_interests_are_a_named_group_that_names_its_error(
        client, exchange_3_2):  # noqa: F811
    """Checkboxes have no one control to describe: their fieldset's legend names the
    group and the fieldset points at the error."""
    _, pupils_a, _ = exchange_3_2
    client.force_login(pupils_a[0].user, backend=PUPIL_BACKEND)
    response = client.post(reverse("pupil_interests"), {"interests": ["my-phone-number"]})
    page = response.content.decode()
    group = re.search(r'<fieldset[^>]*aria-describedby="([^"]+)"[^>]*>\s*<legend[^>]*>([^<]+)<',
                      page)
    assert group and group.group(2).strip(), "the checkboxes are not a named group"
    parsed = _Page()
    parsed.feed(page)
    described = " ".join(parsed.texts.get(i, "") for i in group.group(1).split())
    assert "my-phone-number" in described and 'name="interests"' in page[group.end():]


def test_a_refused_pick_of_interests_on_the_profile_names_its_error(client, twinning):
    client.force_login(UserFactory())
    response = client.post(reverse("onboarding"), onboarding_data(
        twinning.city_a, interests_picked=["not-an-interest"]))
    page = response.content.decode()
    group = re.search(r'<div class="chips" role="group"[^>]*aria-describedby="([^"]+)"', page)
    assert group, "the chips' group does not point at its error"
    parsed = _Page()
    parsed.feed(page)
    assert "not-an-interest" in " ".join(parsed.texts.get(i, "") for i in group.group(1).split())
