"""The half-time language switch on the room page, in real Chromium: the server's
``session.switch`` event is news, shown as a status note (``role=status``), not as an
error alert, and it stays while the partners go on writing.

Playwright's WebSocket route between the page and the real server hands the page the
server's event, as the beat task would at half time."""

import json
import re

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]


def test_the_half_time_switch_is_a_status_note_not_an_error(live_platform, browser):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    routes = []

    def route(ws):
        ws.connect_to_server()
        routes.append(ws)

    context = browser.new_context()
    context.add_cookies([{"name": made["cookie"], "value": made["pupil_a"], "url": base}])
    page = context.new_page()
    page.route_web_socket(re.compile(r".*/ws/rooms/\d+/.*"), route)
    page.goto(f"{base}/rooms/{made['room']}/")
    page.wait_for_selector("#room-connection[data-state=connected]")
    routes[-1].send(json.dumps({"type": "session.switch", "language": "de",
                                "language_name": "German",
                                "at": "2027-01-01T10:30:00+00:00"}))
    page.wait_for_selector("#room-note[role=status]:has-text('Half time')")
    assert "German" in page.inner_text("#room-note")
    assert page.locator("#room-error").is_hidden()
    page.fill("#room-body", "Okay, jetzt auf Deutsch")
    page.press("#room-body", "Enter")
    page.wait_for_selector(".room-message[data-message-id]:not([data-message-id=''])")
    assert "Half time" in page.inner_text("#room-note")
