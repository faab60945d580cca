"""A message the server failed to handle (``server_error``: a database hiccup, nothing
saved) is sent again by the page with the same client_id, in real Chromium, and arrives
once; it is not left "not sent" for its writer to type again.

The failure is made by Playwright's WebSocket route between the page and the real
server: it answers the first send itself with the server's error frame."""

import json
import re

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]


def _page(browser, base, made, who, route=None):
    context = browser.new_context()
    context.add_cookies([{"name": made["cookie"], "value": made[who], "url": base}])
    page = context.new_page()
    if route:
        page.route_web_socket(re.compile(r".*/ws/rooms/\d+/.*"), route)
    page.goto(f"{base}/rooms/{made['room']}/")
    page.wait_for_selector("#room-connection[data-state=connected]")
    return page


def test_a_send_the_server_failed_on_is_sent_again_and_arrives_once(live_platform, browser):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    failed = []

    def route(ws):
        server = ws.connect_to_server()

        def from_page(text):
            frame = json.loads(text)
            if frame.get("type") == "message.send" and not failed:
                failed.append(frame["client_id"])
                ws.send(json.dumps({"type": "error", "code": "server_error",
                                    "detail": "The server could not handle this frame",
                                    "client_id": frame["client_id"]}))
                return
            server.send(text)

        ws.on_message(from_page)

    lena = _page(browser, base, made, "pupil_b")
    amelia = _page(browser, base, made, "pupil_a", route)
    amelia.fill("#room-body", "Hello Lena")
    amelia.press("#room-body", "Enter")
    sent = ".room-message[data-message-id]:not([data-message-id='']):has-text('Hello Lena')"
    amelia.wait_for_selector(sent, timeout=10000)
    lena.wait_for_selector(sent)
    assert failed, "the route did not fail the first send"
    assert amelia.locator(".room-message.failed").count() == 0
    assert amelia.locator(".room-message:has-text('Hello Lena')").count() == 1
    assert lena.locator(".room-message:has-text('Hello Lena')").count() == 1
