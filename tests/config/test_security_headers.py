"""A strict Content-Security-Policy and a Permissions-Policy, and pages that live with them."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


class _InlineFinder(HTMLParser):
    """Collects what a strict policy would block: inline scripts, handlers, styles."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        for name, _ in attrs:
            if name.startswith("on") or name == "style" or name.startswith("hx-on"):
                self.found.append(f"<{tag} {name}=…>")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self._in_inline_script = True

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def _inline(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    return finder.found


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    for sources in policy.values():
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(sources)


def test_pages_carry_a_permissions_policy(client):
    header = client.get(reverse("home"))["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header


def test_json_and_account_responses_carry_the_policy_too(client):
    assert "Content-Security-Policy" in client.get(reverse("healthz"))
    assert "Content-Security-Policy" in client.get(reverse("account_login"))


def test_htmx_is_told_not_to_inject_its_indicator_style_or_eval(client):
    html = client.get(reverse("home")).content.decode()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'', html)
    assert config, "no htmx-config meta tag"
    assert '"includeIndicatorStyles": false' in config.group(1)
    assert '"allowEval": false' in config.group(1)


@pytest.mark.parametrize("name", ["home", "account_login", "account_signup"])
def test_public_pages_have_nothing_inline(client, name):
    assert _inline(client.get(reverse(name)).content.decode()) == []


@pytest.mark.parametrize("name", ["dashboard", "profile", "notifications"])
def test_participant_pages_have_nothing_inline(client, name):
    client.force_login(ParticipantFactory().user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert _inline(response.content.decode()) == []


def test_no_template_has_inline_script_handlers_or_styles():
    offenders = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        found = _inline(path.read_text())
        offenders += [f"{path.name}: {item}" for item in found]
    assert offenders == []
