"""Every aria-describedby on a rendered form points at an element of the page, so screen
readers read the help text and errors that belong to each field."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.exchanges.classroom_fixtures import teacher
from tests.exchanges.lifecycle_fixtures import make_officer
from tests.exchanges.views.test_accounts import onboarding_data
from tests.exchanges.views.test_classrooms import class_form
from tests.exchanges.views.test_programs import _post as program_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.described: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        self.described += (attrs.get("aria-describedby") or "").split()


def _dangling(response) -> tuple[list[str], list[str]]:
    parser = _Ids()
    parser.feed(response.content.decode())
    return parser.described, [i for i in parser.described if i not in parser.ids]


def _signup(client, twinning):
    return [
        client.get(reverse("account_signup")),
        client.post(reverse("account_signup"), {"email": "not-an-address", "birth_year": "x"}),
    ]


def _profile(client, twinning):
    client.force_login(UserFactory())
    pages = [
        client.get(reverse("onboarding")),
        client.post(reverse("onboarding"), onboarding_data(twinning.city_a, bio="x" * 5000)),
    ]
    assert client.post(reverse("onboarding"), onboarding_data(twinning.city_a)).status_code == 302
    return pages + [
        client.get(reverse("profile")),
        client.post(reverse("profile"), onboarding_data(twinning.city_a, birth_year="x")),
    ]


def _class_form(client, twinning):
    client.force_login(teacher())
    return [
        client.get(reverse("classroom_create")),
        client.post(reverse("classroom_create"), class_form(twinning.city_a, size="x", consent="")),
    ]


def _program_form(client, twinning):
    client.force_login(make_officer())
    return [
        client.get(reverse("program_new")),
        client.post(reverse("program_new"), program_data(twinning, weeks="99")),
    ]


@pytest.mark.parametrize("pages", [_signup, _profile, _class_form, _program_form])
def test_every_described_by_id_exists_on_the_page(client, twinning, pages):
    described_anywhere = []
    for response in pages(client, twinning):
        assert response.status_code in (200, 400)
        described, dangling = _dangling(response)
        assert dangling == [], response.request["PATH_INFO"]
        described_anywhere += described
    assert any(i.endswith("_helptext") for i in described_anywhere)
    assert any(i.endswith("_error") for i in described_anywhere)
