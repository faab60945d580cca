"""The classroom pages on a phone: a pupil's class room in every language and the
teachers' pairs page with long names are no wider than a 360 px window. Each page is
rendered by Django and laid out by Chromium with the site's own style sheets."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from exchanges.models import Room
from exchanges.services.pupil_pairing import pairing_propose
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


@pytest.fixture
def pairs_page(db):
    """The pairs page of a proposed pairing, with a long pupil name and class name."""
    exchange, pupils_a, _ = active_exchange(2, 2)
    a = exchange.classroom_a
    a.name = "Year 7 German and French (set 2)"
    a.save(update_fields=["name"])
    user = pupils_a[0].user
    user.display_name = "Maximilian-Alexander W."
    user.save(update_fields=["display_name"])
    pairing_propose(exchange=exchange, by=a.teacher)
    response = client_for(a.teacher).get(f"/exchanges/{exchange.pk}/pairs/")
    assert response.status_code == 200 and 'id="swap"' in response.content.decode()
    return _laid_out_offline(response.content.decode())


def test_the_pairs_page_with_its_swap_form_fits_a_phone(pairs_page, browser):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.set_content(pairs_page)
    over = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    page.close()
    assert over <= 0, f"the pairs page is {over} px wider than a 360 px phone"
