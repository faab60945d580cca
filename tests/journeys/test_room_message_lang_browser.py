"""The language a message is written in, in real Chromium: Nia and Bruno's tandem room
offers its two languages in the composer's "Written in" select; Nia's message, written in
German, reaches Bruno's page and her own marked lang="de" (so screen readers read it in
German), and so does Bruno's correction of it, inside a sentence of the page's language;
a reload keeps both marks; and while a session runs, the select is the current half's
language whatever Nia chose before."""

import pytest

from tests.journeys.steps import room_page, wait_connected

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(240)]

GERMAN = "Ich habe gestern ins Kino gegangen"
CORRECTED = "Ich bin gestern ins Kino gegangen"
ENGLISH = "We watched a film about Dresden"

# The language a screen reader reads an element's text in: that of the innermost element
# holding it, else its nearest ancestor's (the page's own, <html lang>, when none says).
LANG_OF = """el => {
  while (el.firstElementChild) el = el.firstElementChild;
  return el.closest('[lang]').lang;
}"""
# The language of an element's own words (a sentence around someone's text).
OWN_LANG = "el => el.closest('[lang]').lang"


def _message(text: str) -> str:
    # data-message-id is filled once the room has it (a page's own copy is sent first).
    return f".room-message:not([data-message-id='']):has(.message-body:text-is('{text}'))"


def _lang_of_message(page, text: str) -> str:
    return page.eval_on_selector(f"{_message(text)} .message-body", LANG_OF)


def _lang_of_correction(page, text: str) -> str:
    selector = f".correction[data-correction-id]:has-text('{text}')"
    page.wait_for_selector(selector)
    return page.eval_on_selector(f"{selector} .correction-text", LANG_OF)


def _offered(page) -> list[str]:
    return page.eval_on_selector_all("#room-lang option", "os => os.map(o => o.value)")


def _send(page, text: str) -> None:
    page.fill("#room-body", text)
    page.press("#room-body", "Enter")


def test_a_message_and_its_correction_carry_the_language_it_is_written_in(live_platform,
                                                                         browser):
    base = live_platform.url
    made = live_platform.call("tandem_room")
    nia = room_page(browser, base, made, "nia")
    bruno = room_page(browser, base, made, "bruno")
    for page in (nia, bruno):
        assert page.get_attribute("html", "lang") == "en"
        assert sorted(_offered(page)) == ["de", "en"]  # the tandem's two, nothing else

    nia.select_option("#room-lang", "de")
    _send(nia, GERMAN)
    for page in (bruno, nia):
        page.wait_for_selector(_message(GERMAN))
        assert _lang_of_message(page, GERMAN) == "de"

    # Bruno corrects it: the text he edits and the correction shown are German too, the
    # sentence around them ("… suggests: …") the page's.
    bruno.click(f"{_message(GERMAN)} button[data-action=correct]")
    field = bruno.locator(f"{_message(GERMAN)} form[data-form=correct] textarea")
    assert field.get_attribute("lang") == "de"
    field.fill(CORRECTED)
    field.press("Enter")
    for page in (bruno, nia):
        assert _lang_of_correction(page, CORRECTED) == "de"
        assert page.eval_on_selector(f"{_message(GERMAN)} .correction", OWN_LANG) == "en"

    # The server-rendered history keeps both marks.
    for page in (bruno, nia):
        page.reload()
        wait_connected(page)
        assert _lang_of_message(page, GERMAN) == "de"
        assert _lang_of_correction(page, CORRECTED) == "de"
    assert nia.input_value("#room-lang") == "de"  # her last choice in this room

    # A session is on, in its English half: the select follows it, and her next message
    # goes out in English without her touching it.
    live_platform.call("session_running", room=made["room"], halves=["de", "en"],
                       minutes_in=40)
    nia.reload()
    nia.wait_for_selector("#session-timer [data-timer][data-phase=running][data-language=en]")
    nia.wait_for_function("() => document.getElementById('room-lang').value === 'en'")
    _send(nia, ENGLISH)
    bruno.wait_for_selector(_message(ENGLISH))
    assert _lang_of_message(bruno, ENGLISH) == "en"
