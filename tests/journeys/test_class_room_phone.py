"""The class room on a phone: a pupil's room page, in the languages whose words are
longest, is no wider than a 360 px window. The page is rendered by Django and laid out
by Chromium with the site's own style sheets."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from exchanges.models import Room
from tests.exchanges.class_exchange_fixtures import active_exchange
from tests.exchanges.wall_fixtures import client_for

pytestmark = [pytest.mark.slow, pytest.mark.browser]

STATIC = Path(settings.BASE_DIR) / "static"
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="/static/([^"?]+)[^"]*">')


def _laid_out_offline(html: str) -> str:
    """The page with its style sheets inlined and its scripts dropped, to lay out alone."""
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.S)
    return _STYLESHEET.sub(lambda m: f"<style>{(STATIC / m.group(1)).read_text()}</style>", html)


LANGUAGES = ["en", "fr", "de", "ja"]


@pytest.fixture
def room_pages(db):
    """A pupil's class-room page in each language, rendered before the browser starts
    (Django's database calls refuse to run beside Playwright's event loop)."""
    exchange, pupils_a, _ = active_exchange(2, 2)
    pupil = pupils_a[0].user
    room = Room.objects.get(exchange=exchange)
    pages = {}
    for lang in LANGUAGES:
        pupil.language = lang
        pupil.save(update_fields=["language"])
        response = client_for(pupil).get(f"/rooms/{room.pk}/")
        assert response.status_code == 200
        pages[lang] = _laid_out_offline(response.content.decode())
    return pages


def test_a_pupils_class_room_fits_a_phone_in_every_language(room_pages, browser):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    wider = {}
    for lang, html in room_pages.items():
        page.set_content(html)
        assert page.get_attribute("html", "lang") == lang
        over = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if over > 0:
            wider[lang] = over
    page.close()
    assert not wider, f"the class room is wider than a 360 px phone (px, by language): {wider}"
