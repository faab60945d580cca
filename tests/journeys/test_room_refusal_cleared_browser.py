"""The refusal of a pupil's message (a contact detail) under the composer, in real
Chromium: announced as an alert when it comes, it goes once the pupil edits the text or a
later message of theirs is acknowledged, not at the next send only; the refused message
keeps its "not sent" and its text."""

import json
import re

import pytest

from tests.journeys.steps import room_page, wait_connected

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(180)]

SENT = ".room-message[data-message-id]:not([data-message-id=''])"  # stored, not pending
SNAP = "my snap is lena_k13"


def _hold_refusals_until_next_send(seen: list):
    """A route handler: error frames from the server wait until the page sends its next
    message, so the refusal reaches the page after that send, before its
    acknowledgement. ``seen`` gets each error frame as it is held."""

    def handler(ws):
        _hold(ws, seen)

    return handler


def _hold(ws, seen: list):
    held = []
    server = ws.connect_to_server()

    def from_server(text):
        if json.loads(text).get("type") == "error":
            held.append(text)
            seen.append(text)
        else:
            ws.send(text)

    def from_page(text):
        if json.loads(text).get("type") == "message.send":
            while held:
                ws.send(held.pop(0))
        server.send(text)

    server.on_message(from_server)
    ws.on_message(from_page)


def test_a_refusal_goes_when_the_text_is_edited(live_platform, browser):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    lena = room_page(browser, base, made, "pupil_b")
    lena.fill("#room-body", SNAP)
    lena.press("#room-body", "Enter")
    lena.wait_for_selector(f".room-message.failed:has-text('{SNAP}')")
    alert = lena.get_by_role("alert")
    assert alert.count() == 1 and "social-media" in alert.inner_text()

    lena.press("#room-body", "H")
    lena.wait_for_selector("#room-error", state="hidden", timeout=2000)
    assert lena.get_by_role("alert").count() == 0
    assert lena.inner_text("#room-error") == ""
    assert lena.locator(f".room-message.failed:has-text('{SNAP}')").count() == 1

    # A second refusal is announced again.
    lena.fill("#room-body", SNAP)
    lena.press("#room-body", "Enter")
    lena.wait_for_selector("#room-error:not([hidden])")
    assert "social-media" in lena.get_by_role("alert").inner_text()


def test_a_refusal_goes_when_a_later_message_is_acknowledged(live_platform, browser):
    base = live_platform.url
    made = live_platform.call("class_room", pupil_a="Amelia K.", pupil_b="Lena S.")
    context = browser.new_context()
    context.add_cookies([{"name": made["cookie"], "value": made["pupil_b"], "url": base}])
    lena = context.new_page()
    refusals: list = []
    lena.route_web_socket(re.compile(r".*/ws/rooms/\d+/.*"),
                          _hold_refusals_until_next_send(refusals))
    lena.goto(f"{base}/rooms/{made['room']}/")
    wait_connected(lena)

    lena.fill("#room-body", SNAP)
    lena.press("#room-body", "Enter")
    # The next send releases the refusal only once it is held: on a busy machine the
    # server may answer after a send typed straight away.
    for _ in range(200):
        if refusals:
            break
        lena.wait_for_timeout(50)
    assert refusals, "the server never refused the contact detail"
    lena.fill("#room-body", "I like football")
    lena.press("#room-body", "Enter")
    lena.wait_for_selector(f".room-message.failed:has-text('{SNAP}')")
    lena.wait_for_selector(f"{SENT}:has-text('I like football')")
    lena.wait_for_selector("#room-error", state="hidden", timeout=2000)
    assert lena.inner_text("#room-error") == ""
    context.close()
