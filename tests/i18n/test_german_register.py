"""German adults are addressed as "Sie" on every page, allauth's included (allauth's own
German says "du"; locale_allauth/ overrides it)."""

import re
from pathlib import Path

import allauth
import polib
import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
OVERRIDES = ROOT / "locale_allauth" / "de" / "LC_MESSAGES" / "django.po"
ALLAUTH_DE = Path(allauth.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.po"
INFORMAL = re.compile(r"\b(du|dein\w*|dich|dir)\b", re.IGNORECASE)


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("name", [
    "account_signup", "account_login", "account_reset_password", "account_email_verification_sent",
])
def test_allauths_pages_say_sie_in_german(name):
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    page = _text(client.get(reverse(name)).content.decode())
    assert "Passwort" in page or "E-Mail" in page  # a German page at all
    assert not INFORMAL.findall(page), INFORMAL.findall(page)


def test_signed_in_account_pages_say_sie_in_german():
    user = UserFactory(language="de")
    client = Client()
    client.force_login(user)
    for name in ("account_change_password", "account_email", "account_logout"):
        page = _text(client.get(reverse(name)).content.decode())
        assert not INFORMAL.findall(page), (name, INFORMAL.findall(page))


def test_the_overrides_are_formal_and_still_allauths_messages():
    """Each override is allauth's msgid (an allauth upgrade that rewords one is noticed)
    and says "Sie", never "du"."""
    theirs = {(e.msgctxt, e.msgid) for e in polib.pofile(str(ALLAUTH_DE)) if not e.obsolete}
    ours = [e for e in polib.pofile(str(OVERRIDES)) if e.msgid]
    assert len(ours) > 40
    for entry in ours:
        assert (entry.msgctxt, entry.msgid) in theirs, entry.msgid
        assert entry.msgstr and not INFORMAL.search(entry.msgstr), entry.msgstr
