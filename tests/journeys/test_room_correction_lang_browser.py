"""A correction is marked in the language its event names, in real Chromium: Bruno's page
gets Nia's German message without its ``lang`` (as from an older server: Playwright's
WebSocket route takes it out), so the page does not know the message's language; the
room's ``correction`` event says German, and the page marks Bruno's correction so."""

import json
import re

import pytest

from tests.journeys.steps import room_page, wait_connected

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(240)]

WS = re.compile(r".*/ws/rooms/\d+/.*")
GERMAN = "Ich habe gestern ins Kino gegangen"
CORRECTED = "Ich bin gestern ins Kino gegangen"


def _messages_without_lang(ws):
    server = ws.connect_to_server()

    def from_server(text):
        frame = json.loads(text)
        if frame.get("type") == "message":
            frame.pop("lang", None)
        ws.send(json.dumps(frame))

    server.on_message(from_server)


def test_a_correction_takes_the_language_its_event_names(live_platform, browser):
    base = live_platform.url
    made = live_platform.call("tandem_room")
    nia = room_page(browser, base, made, "nia")
    context = browser.new_context()
    context.add_cookies([{"name": made["cookie"], "value": made["bruno"], "url": base}])
    bruno = context.new_page()
    bruno.route_web_socket(WS, _messages_without_lang)
    bruno.goto(f"{base}/rooms/{made['room']}/")
    wait_connected(bruno)

    nia.select_option("#room-lang", "de")
    nia.fill("#room-body", GERMAN)
    nia.press("#room-body", "Enter")
    message = f".room-message[data-message-id]:not([data-message-id='']):has-text('{GERMAN}')"
    bruno.wait_for_selector(message)
    assert bruno.get_attribute(f"{message} .message-body", "lang") is None  # not known

    bruno.click(f"{message} button[data-action=correct]")
    field = bruno.locator(f"{message} form[data-form=correct] textarea")
    field.fill(CORRECTED)
    field.press("Enter")
    done = f"{message} .correction[data-correction-id]:has-text('{CORRECTED}') .correction-text"
    bruno.wait_for_selector(done)
    assert bruno.get_attribute(done, "lang") == "de"
    nia.wait_for_selector(f".correction[data-correction-id]:has-text('{CORRECTED}')")
    assert nia.get_attribute(".correction[data-correction-id] .correction-text", "lang") == "de"
