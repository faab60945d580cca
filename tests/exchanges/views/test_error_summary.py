"""A form sent back with errors opens with a summary (WCAG 3.3.1, the GOV.UK error
summary): a heading that counts the problems, then each error, a link to the id of the
control to fix; form-wide errors are listed too. Through the test client on an allauth
form, the profile with its rows, and the pupils' join page."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from exchanges.services.pupils import WRONG_LOGIN
from tests.exchanges.views.test_accounts import onboarding_data, signup
from tests.exchanges.views.test_pupils import post_join

pytestmark = pytest.mark.django_db


class _Summary(HTMLParser):
    """Every id on the page, and the error summary's heading, items and their links."""

    def __init__(self):
        super().__init__()
        self.ids, self.summaries, self.heading, self.items = set(), [], "", []
        self._in_summary = self._in_heading = self._in_item = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if "error-summary" in (attrs.get("class") or "").split():
            self.summaries.append(attrs)
            self._in_summary = True
        elif self._in_summary and tag == "h2":
            self._in_heading = True
        elif self._in_summary and tag == "li":
            self._in_item = True
            self.items.append(["", ""])
        elif self._in_item and tag == "a":
            self.items[-1][1] = attrs.get("href", "")

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_heading = False
        elif tag == "li":
            self._in_item = False
        elif tag == "ul" and self._in_summary:
            self._in_summary = False

    def handle_data(self, data):
        if self._in_heading:
            self.heading += data
        elif self._in_item:
            self.items[-1][0] += data


def summary_of(response) -> _Summary:
    parsed = _Summary()
    parsed.feed(response.content.decode())
    assert len(parsed.summaries) == 1, "one error summary expected"
    return parsed


def all_errors(*forms) -> list[str]:
    return [str(e) for form in forms for errors in form.errors.values() for e in errors]


def test_a_refused_signup_lists_each_error_linked_to_its_field(client):
    response = signup(client, email="not-an-address", birth_year="",
                      password2="a-long-and-unusual-passphrasf")
    form = response.context["form"]
    summary = summary_of(response)
    errors = all_errors(form)
    assert len(errors) >= 3
    assert summary.heading.strip() == f"There are {len(errors)} problems"
    assert sorted(text.strip() for text, _ in summary.items) == sorted(errors)
    items = [(text.strip(), href) for text, href in summary.items]
    for name, errors_of_field in form.errors.items():
        for error in errors_of_field:
            assert (error, f"#{form[name].id_for_label}") in items
    for _, href in summary.items:
        assert href.startswith("#") and href[1:] in summary.ids


def test_the_summary_is_named_by_its_heading_and_can_take_focus(client):
    summary = summary_of(signup(client, email="not-an-address"))
    box = summary.summaries[0]
    assert box["tabindex"] == "-1" and box["role"] == "alert"
    assert box["aria-labelledby"] in summary.ids
    assert summary.heading.strip() == "There is a problem"


def test_errors_in_the_profile_rows_and_a_checkbox_group_link_to_their_controls(
    client, newcomer, twinning
):
    response = client.post(reverse("onboarding"), onboarding_data(
        twinning.city_a, **{"win-0-end": "17:00", "lang-1-level": "Z9",
                            "interests_picked": ["no-such-interest"]}))
    assert response.status_code == 400
    summary = summary_of(response)
    context = response.context
    expected = all_errors(context["form"], *context["languages"].forms, *context["windows"].forms)
    expected += [str(e) for e in context["windows"].non_form_errors()]
    assert sorted(t.strip() for t, _ in summary.items) == sorted(expected)
    hrefs = [h for _, h in summary.items if h]
    assert "#id_lang-1-level" in hrefs
    assert "#id_interests_picked_0" in hrefs or not context["form"]["interests_picked"].subwidgets
    for href in hrefs:
        assert href[1:] in summary.ids


def test_a_refused_pupil_login_is_in_its_summary_as_a_form_wide_error(
    client, coventry_class, fresh_limits
):
    response = post_join(client, coventry_class, action="login", name="Nobody Here")
    assert response.status_code == 400
    summary = summary_of(response)
    assert summary.summaries[0]["id"] == "login-error-summary"
    assert [(text.strip(), href) for text, href in summary.items] == [(WRONG_LOGIN, "")]
    # Said once, in the summary, not again above the fields.
    assert response.content.decode().count(WRONG_LOGIN) == 1


def test_a_form_without_errors_has_no_summary(client):
    response = client.get(reverse("account_signup"))
    assert "error-summary" not in response.content.decode()
