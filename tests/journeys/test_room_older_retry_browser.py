"""Older messages after a refused request, in real Chromium: when the server answers the
page's request for older messages with an error (busy, rate limited), "Load older
messages" asks again at the next click instead of staying dead until a reload.

Playwright's WebSocket route between the page and the real server answers the first
history request itself with the server's ``server_busy`` error frame."""

import json
import re

import pytest

from tests.journeys.live import run_script

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]

MESSAGES = """
from exchanges.models import Message, Room, RoomMember
room = Room.objects.get(pk={room})
author = RoomMember.objects.filter(room=room, role="member").order_by("pk")[0].user
Message.objects.bulk_create(
    [Message(room=room, author=author, body=f"old {{i}}", client_id=f"o{{i}}") for i in range(60)])
print("{{}}")
"""


def test_load_older_asks_again_after_an_error(live_platform, browser):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    run_script(live_platform.env, MESSAGES.format(room=made["room"]))
    refused = []

    def route(ws):
        server = ws.connect_to_server()

        def from_page(text):
            if json.loads(text).get("type") == "history" and not refused:
                refused.append(text)
                ws.send(json.dumps({"type": "error", "code": "server_busy",
                                    "detail": "The server is busy; try again in a moment."}))
                return
            server.send(text)

        ws.on_message(from_page)

    context = browser.new_context()
    context.add_cookies([{"name": made["cookie"], "value": made["pupil_b"], "url": base}])
    page = context.new_page()
    page.route_web_socket(re.compile(r".*/ws/rooms/\d+/.*"), route)
    page.goto(f"{base}/rooms/{made['room']}/")
    page.wait_for_selector("#room-connection[data-state=connected]")
    assert page.locator(".room-message").count() == 50
    page.click("#load-older")
    page.wait_for_selector("#room-error:has-text('busy')")
    assert refused
    page.click("#load-older")
    page.wait_for_function("() => document.querySelectorAll('.room-message').length === 60",
                           timeout=5000)
    assert page.locator(".room-message").first.inner_text().count("old 0") == 1
