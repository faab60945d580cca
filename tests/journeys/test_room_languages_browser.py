"""One room, two languages, in real Chromium: a Japanese pupil's page says in Japanese what
room.js writes (connection state, who is typing, the placeholder of a hidden message, taken
from the JavaScript catalogue) and what the server refuses over the socket (a phone number),
while the German partner's page says the same things in German.

The expected words come from the catalogues (djangojs for the script, django for the
server), never from guesses; each differs from the English one, so an untranslated page
fails.
"""

import polib
import pytest
from django.conf import settings
from django.utils import translation

from exchanges.pure.contact_details import find_contact_detail
from tests.journeys.live import signed_in_context

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(240)]

PHONE = "call me on 07700 900123"


def _js(language: str, msgid: str) -> str:
    po = polib.pofile(str(settings.LOCALE_PATHS[0] / language / "LC_MESSAGES" / "djangojs.po"))
    text = po.find(msgid).msgstr
    assert text and text != msgid, f"{msgid!r} has no {language} translation"
    return text


def _open(browser, base, made, who, locale):
    # The browser asks for English: the account's language must win.
    context = signed_in_context(browser, base, made["cookie"], made[who], locale=locale,
                                extra_http_headers={"Accept-Language": "en"})
    page = context.new_page()
    page.goto(f"{base}/rooms/{made['room']}/")
    page.wait_for_selector("#room-connection[data-state=connected]")
    return page


def test_each_pupil_reads_the_room_in_their_language(live_platform, browser):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Hana", pupil_b="Lena",
                              language_a="ja", language_b="de")
    hana = _open(browser, base, made, "pupil_a", "ja-JP")
    lena = _open(browser, base, made, "pupil_b", "de-DE")
    teacher = _open(browser, base, made, "teacher", "en-GB")
    for page, language in ((hana, "ja"), (lena, "de")):
        assert page.get_attribute("html", "lang") == language
        assert page.inner_text("#room-connection") == _js(language, "Connected")

    # The server's refusal, written at the socket for the page that opened it.
    hana.fill("#room-body", PHONE)
    hana.press("#room-body", "Enter")
    with translation.override("ja"):
        refusal = find_contact_detail(PHONE).reason
    hana.wait_for_selector("#room-error:not([hidden])")
    assert hana.inner_text("#room-error") == refusal

    # room.js's own words: who is typing, in the reader's language.
    lena.type("#room-body", "Hallo Hana")
    typing = _js("ja", "%(name)s is typing…").replace("%(name)s", "Lena")
    hana.wait_for_function(
        "text => document.getElementById('room-typing').textContent === text", arg=typing)
    lena.press("#room-body", "Enter")
    hana.wait_for_selector(".room-message:has-text('Hallo Hana')")

    # A teacher hides it: the socket's placeholder is English, each page shows its own.
    teacher.on("dialog", lambda dialog: dialog.accept())
    teacher.wait_for_selector(".room-message:has-text('Hallo Hana') button[data-action=hide]")
    teacher.click(".room-message:has-text('Hallo Hana') button[data-action=hide]")
    for page, language in ((hana, "ja"), (lena, "de")):
        placeholder = _js(language, "This message was hidden by a teacher.")
        page.wait_for_selector(f".room-message.hidden-message:has-text('{placeholder}')")
    assert "Hallo Hana" not in hana.inner_text("#room-messages")
