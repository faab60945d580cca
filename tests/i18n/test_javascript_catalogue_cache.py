"""/jsi18n/ is cached: a page links the catalogue by language and fingerprint (kept by the
browser), a second request is a 304 or served from the process's cache without rendering
the catalogue again, and switching the language switches the catalogue."""

import html
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.views.i18n import JavaScriptCatalog

from exchanges.views import javascript_catalogue
from tests.i18n.speaking import translated

pytestmark = pytest.mark.django_db

# A string of the room's script (static/js/room/socket.js), in every djangojs catalogue.
MSGID = "Connecting…"


def _js_translation(language: str) -> str:
    from django.utils.translation.trans_real import DjangoTranslation

    text = DjangoTranslation(language, domain="djangojs").gettext(MSGID)
    assert text != MSGID, f"{MSGID!r} has no {language} translation"
    return text


def _linked_catalogue(client: Client) -> str:
    page = client.get(reverse("home")).content.decode()
    src = re.search(r'<script src="([^"]*/jsi18n/[^"]*)"', page)
    assert src, "the page links no catalogue"
    return html.unescape(src.group(1))


def test_the_page_links_its_languages_catalogue_which_the_browser_may_keep():
    client = Client(headers={"accept-language": "fr"})
    url = _linked_catalogue(client)
    assert url.startswith(reverse("javascript_catalog") + "?lang=fr&v=")

    response = client.get(url)
    assert response.status_code == 200
    assert json.dumps(_js_translation("fr")) in response.content.decode()
    assert "immutable" in response["Cache-Control"] and "max-age=31536000" in response[
        "Cache-Control"]
    assert response["ETag"].startswith('"fr-')


def test_a_second_request_is_a_304_and_the_catalogue_is_not_rendered_again(monkeypatch):
    client = Client(headers={"accept-language": "de"})
    first = client.get(reverse("javascript_catalog"))
    assert first.status_code == 200 and "no-cache" in first["Cache-Control"]

    def render_again(*args, **kwargs):
        raise AssertionError("the catalogue was rendered again")

    monkeypatch.setattr(JavaScriptCatalog, "get", render_again)
    again = client.get(reverse("javascript_catalog"), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    # A browser without the ETag gets the same bytes, from the cache.
    fresh = Client(headers={"accept-language": "de"}).get(reverse("javascript_catalog"))
    assert fresh.status_code == 200 and fresh.content == first.content


def test_switching_the_language_switches_the_catalogue():
    client = Client(headers={"accept-language": "fr"})
    french_url = _linked_catalogue(client)
    french = client.get(french_url)

    client.post(reverse("set_language"), {"language": "ja", "next": "/"})
    japanese_url = _linked_catalogue(client)
    assert "lang=ja" in japanese_url and japanese_url != french_url
    # The French ETag does not hold for Japanese: the page gets a body, not a 304.
    japanese = client.get(japanese_url, headers={"if-none-match": french["ETag"]})
    assert japanese.status_code == 200
    body = japanese.content.decode()
    assert json.dumps(_js_translation("ja")) in body
    assert json.dumps(_js_translation("fr")) not in body
    # The page itself is in Japanese too (the switch took).
    assert translated("ja", "Skip to the content") in client.get("/").content.decode()


def test_a_new_compiled_catalogue_is_rendered_again():
    # The cache lasts while the .mo file does: a newer one (make messages, then a
    # compile) is read again, and its fingerprint moves the pages' link.
    client = Client(headers={"accept-language": "de"})
    before = _linked_catalogue(client)
    javascript_catalogue._rendered["de"] = ((-1,), b"stale", '"de-stale"')
    assert _linked_catalogue(client) == before
    assert client.get(reverse("javascript_catalog")).content != b"stale"
