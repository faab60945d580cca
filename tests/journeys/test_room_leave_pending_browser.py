"""Leaving the room page while a message is still "sending…", in real Chromium: the
browser asks first (its own "Leave site?" question), so the text is not dropped without
a word; once the room has the message, leaving asks nothing. Playwright's WebSocket
route keeps the first send from the server."""

import json
import re

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]

WS = re.compile(r".*/ws/rooms/\d+/.*")


def test_leaving_with_a_message_still_sending_asks_first(live_platform, browser):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    context = browser.new_context()
    context.add_cookies([{"name": made["cookie"], "value": made["pupil_a"], "url": base}])
    page = context.new_page()
    kept = []

    def route(ws):
        server = ws.connect_to_server()

        def from_page(text):
            if json.loads(text).get("type") == "message.send" and not kept:
                kept.append(text)
                return
            server.send(text)

        ws.on_message(from_page)

    page.route_web_socket(WS, route)
    page.goto(f"{base}/rooms/{made['room']}/")
    page.wait_for_selector("#room-connection[data-state=connected]")
    page.fill("#room-body", "do not lose me")
    page.press("#room-body", "Enter")
    page.wait_for_selector(".room-message.pending:has-text('do not lose me')")

    asked = []

    def on_dialog(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", on_dialog)
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert not page.is_closed()
    assert page.locator(".room-message.pending:has-text('do not lose me')").count() == 1

    # Once the room has every message, leaving asks nothing.
    other = context.new_page()
    other.goto(f"{base}/rooms/{made['room']}/")
    other.wait_for_selector("#room-connection[data-state=connected]")
    other.fill("#room-body", "and me")
    other.press("#room-body", "Enter")
    other.wait_for_selector(".room-message[data-message-id]:not([data-message-id=''])"
                            ":has-text('and me')")
    other.on("dialog", on_dialog)
    asked.clear()
    other.close(run_before_unload=True)
    page.wait_for_timeout(1000)  # the first page, still open, lets the events in
    assert asked == [] and other.is_closed()
