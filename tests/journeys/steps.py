"""Steps the journeys share: a person's browser in their language, the page's language
checked against the catalogue, a room's live connection, a question answered, a
newcomer's profile page.

Pages are driven through stable hooks (ids, names, form actions, data-* attributes), never
through visible text, so a journey runs unchanged in every interface language; the visible
text is what ``assert_in_language`` checks, against the catalogue's own translation.
"""

import re

from tests.i18n.speaking import translated
from tests.journeys.live import run_script, signed_in_context

# Interface language -> the browser locale a person there has (Accept-Language).
LOCALES = {"en": "en-GB", "fr": "fr-FR", "de": "de-DE", "ja": "ja-JP"}


def person(browser, lang: str = "en", **options):
    """A browser context as a person in ``lang`` opens it (locale and Accept-Language)."""
    context = browser.new_context(locale=LOCALES[lang], **options)
    context.set_default_timeout(20_000)
    return context


def assert_in_language(page, lang: str, *msgids, within: str = "body") -> None:
    """``<html lang>`` is ``lang`` and each string (a msgid, or a (context, msgid) pair)
    is in ``within`` as the catalogue translates it (and, outside English, translated at
    all: an untranslated page fails here). A msgid with placeholders (``%(name)s``) is
    checked piece by piece around them."""
    assert page.get_attribute("html", "lang") == lang, page.url
    text = page.inner_text(within)
    for item in msgids:
        context, msgid = item if isinstance(item, tuple) else (None, item)
        expected = translated(lang, msgid, context)
        if lang != "en":
            assert expected != msgid, f"{msgid!r} has no {lang} translation in the catalogue"
        for piece in re.split(r"%\(\w+\)[sd]", expected):
            assert piece.strip() in text, f"{expected!r} ({msgid!r}) is not on {page.url}"


def wait_connected(page) -> None:
    """The room page's socket has joined the room (room.js marks #room-connection)."""
    page.wait_for_selector("#room-connection[data-state=connected]")


def room_page(browser, base: str, made: dict, who: str):
    """``made``'s room (``world.class_room``) open in a new context signed in as ``who``,
    its socket joined."""
    context = browser.new_context()
    context.add_cookies([{"name": made["cookie"], "value": made[who], "url": base}])
    page = context.new_page()
    page.goto(f"{base}/rooms/{made['room']}/")
    wait_connected(page)
    return page


class SocketLine:
    """A page's room socket through Playwright's WebSocket route, which can cut it from
    the server: while "offline" the page's socket reaches no server (it hears nothing),
    then it closes and the page reconnects to the real one. Route it before the page loads."""

    def __init__(self, page):
        self.offline = False
        self.current = None
        page.route_web_socket(re.compile(r".*/ws/rooms/\d+/.*"), self._route)

    def _route(self, ws):
        self.current = ws
        if not self.offline:
            ws.connect_to_server()

    def cut(self, *, offline: bool):
        """Close the page's socket; the page reconnects, to the server or to a line that
        hears nothing."""
        self.offline = offline
        self.current.close(code=4000, reason="dropped")


def answer_next_dialog(page, *, accept: bool, asked: list[str]) -> None:
    """The page's next question (``confirm()``) is noted in ``asked``, then accepted or
    dismissed."""
    def answer(dialog):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()
    page.once("dialog", answer)


def submit(page, form: str = "main form") -> None:
    """Press the submit button of the first ``form`` in the page's main content."""
    page.locator(form).first.locator("button[type=submit], button:not([type])").first.click()


NEWCOMER = """
import json
from django.conf import settings
from tests.factories import UserFactory

print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "session": session(UserFactory())}))
"""


def newcomer_profile_page(live_platform, browser, **options):
    """A new user with no profile yet, signed in on /onboarding/ (the profile form) in a
    fresh context (``options`` as Playwright's: a viewport, say)."""
    made = run_script(live_platform.env, NEWCOMER)
    page = signed_in_context(browser, live_platform.url, made["cookie"], made["session"],
                             **options).new_page()
    page.goto(f"{live_platform.url}/onboarding/")
    return page


def onboarding_fill(page) -> None:
    """A Coventry newcomer's profile on /onboarding/: English native, learning German B1,
    Mondays 18:00–20:00. Hooks only (ids, data-*), so it works in any language."""
    page.fill("#city-filter", "Coventry")
    assert "Coventry" in page.eval_on_selector("#id_city", "s => s.selectedOptions[0].text")
    page.select_option("#id_capacity", "1")
    page.select_option("#id_lang-0-learning", "0")
    page.select_option("#id_lang-0-code", "en")
    page.select_option("#id_lang-0-level", "native")
    page.click("button[data-add-form=lang]")
    page.select_option("#id_lang-1-learning", "1")
    page.select_option("#id_lang-1-code", "de")
    page.select_option("#id_lang-1-level", "B1")
    page.fill("#id_interests", "hiking, jazz")
    page.fill("#id_bio", "Hello from Coventry")
    page.select_option("#id_win-0-weekday", "0")
    page.fill("#id_win-0-start", "18:00")
    page.fill("#id_win-0-end", "20:00")
