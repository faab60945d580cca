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


class _Marked(HTMLParser):
    """The controls whose label shows the required mark (the asterisk, hidden from screen
    readers), and each control's attributes by id."""

    def __init__(self):
        super().__init__()
        self.controls: dict[str, dict] = {}
        self.marked: list[str] = []
        self._label_for: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and attrs.get("id"):
            self.controls[attrs["id"]] = attrs
        if tag == "label":
            self._label_for = attrs.get("for")
        elif tag == "span" and "req" in (attrs.get("class") or "").split() and self._label_for:
            self.marked.append(self._label_for)

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_for = None


@pytest.mark.parametrize("pages", [_signup, _profile, _class_form, _program_form])
def test_a_field_marked_required_says_so_to_screen_readers_too(client, twinning, pages):
    """The asterisk is aria-hidden: the control itself carries required or aria-required
    (formset rows and selects with no empty choice get no ``required`` from Django)."""
    marked = 0
    for response in pages(client, twinning):
        parser = _Marked()
        parser.feed(response.content.decode())
        silent = [control for control in parser.marked
                  if "required" not in parser.controls.get(control, {})
                  and parser.controls.get(control, {}).get("aria-required") != "true"]
        assert silent == [], response.request["PATH_INFO"]
        marked += len(parser.marked)
    assert marked
